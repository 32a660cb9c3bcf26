// The console's live updates (issue 15 item 7): listens to /events (server-sent events) and, on a change,
// re-reads the page and swaps its <main data-live>. Coalesces bursts; waits while a form field has focus or
// holds text, so it never takes an officer's note away. Every page works without this script.
(function () {
  "use strict";
  var main = document.querySelector("main[data-live]");
  if (!main || !window.EventSource || !window.fetch) { return; }
  var status = document.getElementById("live-status");
  var timer = null, busy = false, again = false;

  function typing() {
    var active = document.activeElement;
    if (active && main.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) { return true; }
    var fields = main.querySelectorAll(".ack-form input[name=note]");
    for (var i = 0; i < fields.length; i++) { if (fields[i].value) { return true; } }
    return false;
  }

  function refresh() {
    timer = null;
    if (busy) { again = true; return; }
    if (typing()) { schedule(1000); return; }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main[data-live]");
        if (fresh && !typing()) { main.innerHTML = fresh.innerHTML; main.setAttribute("data-refreshed", String(Date.now())); }
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; schedule(300); } });
  }

  function schedule(delay) { if (!timer) { timer = window.setTimeout(refresh, delay); } }

  var source = new EventSource("/events");
  source.addEventListener("change", function () { schedule(250); });
  source.onopen = function () { if (status) { status.hidden = false; } };
  source.onerror = function () { if (status) { status.hidden = true; } };
})();
