#!/usr/bin/env python3
"""The bureau's console in headless Chromium (issue 15 item 8), driven by Selenium. Started by
Scripts/console-test, which runs the registry, the simulated site and the agent. Asserts what a person sees:

  1. sign in (form labels present), see the reference shelter on the overview;
  2. an alert arrives on the open alerts page without a reload, within 2 s of the registry storing it;
  3. acknowledge it with a note: the page names who and when;
  4. activate the shelter from its page: the agent learns it within one heartbeat interval (its status), the page
     shows the gateway's confirmation without a reload, and the agent's report cadence changes (standby: none in
     the minute before; activated: one every REPORT seconds);
  5. screenshots at 1280x800 and 390x844 in OUT; WCAG 2.1 contrast of the main text/background pairs >= 4.5.

Exit 0 when everything holds; an AssertionError names what did not.
"""
import argparse
import json
import os
import ssl
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException


def parse():
    p = argparse.ArgumentParser()
    for name in ("registry", "user", "password", "pki", "state-dir", "agent-log", "shelter", "out"):
        p.add_argument("--" + name, required=True)
    p.add_argument("--heartbeat-seconds", type=float, required=True)
    p.add_argument("--report-seconds", type=float, required=True)
    return p.parse_args()


class Admin:
    """The registry's admin API with the operator's client certificate (what scripts use)."""

    def __init__(self, registry, pki):
        self.registry = registry
        self.context = ssl.create_default_context(cafile=os.path.join(pki, "ca.crt"))
        self.context.check_hostname = False
        self.context.load_cert_chain(os.path.join(pki, "operator.crt"), os.path.join(pki, "operator.key"))

    def get(self, path):
        with urllib.request.urlopen(self.registry + path, context=self.context, timeout=10) as response:
            return json.load(response)


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--lang=zh-CN", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    # The registry's certificate comes from the development CA (Scripts/pki), which Chromium does not know.
    options.set_capability("acceptInsecureCerts", True)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(width, height)
    return driver


def wait(what, predicate, timeout, step=0.1):
    """Polls `predicate` until it returns a true value. A page that is being replaced (a form posted, a live
    update re-rendering a list) is not a failure: an element gone stale or not there yet is polled again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except (StaleElementReferenceException, NoSuchElementException):
            value = None
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def text(driver):
    """The page's visible text, read in one script call so that no element reference can go stale between
    finding the body and reading it (the acknowledgement form posts and the page is replaced)."""
    return driver.execute_script("return document.body ? document.body.innerText : ''") or ""


def check_labels(driver, page):
    """Every visible form field has a <label for> or an aria-label."""
    missing = driver.execute_script("""
        return Array.from(document.querySelectorAll('input, select, textarea'))
          .filter(e => e.type !== 'hidden')
          .filter(e => !(e.id && document.querySelector('label[for="' + e.id + '"]')) && !e.getAttribute('aria-label'))
          .map(e => e.outerHTML);""")
    assert not missing, f"{page}: form fields without a label: {missing}"


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def check_contrast(driver, page, selectors):
    """WCAG 2.1 contrast of each selector's text colour against its effective background (>= 4.5, AA)."""
    results = driver.execute_script("""
        function rgb(s) { const m = s.match(/\\d+(\\.\\d+)?/g).map(Number); return m.length > 3 && m[3] === 0 ? null : m.slice(0, 3); }
        function background(e) { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c) return c; } return [255, 255, 255]; }
        return arguments[0].map(sel => { const e = document.querySelector(sel); return e ? [sel, rgb(getComputedStyle(e).color), background(e)] : [sel, null, null]; });
        """, selectors)
    checked = []
    for selector, fg, bg in results:
        if fg is None:
            continue
        ratio = contrast(fg, bg)
        checked.append((selector, round(ratio, 2)))
        assert ratio >= 4.5, f"{page}: {selector} contrast {ratio:.2f} < 4.5 (text {fg} on {bg})"
    print(f"console-test: contrast on {page}: " + ", ".join(f"{s} {r}" for s, r in checked))
    return checked


def agent_lifecycle(agent_log):
    """The agent's lifecycle as it last logged it (`msg=lifecycle lifecycle.state=…`, at the tick that applies
    the registry's word), or None."""
    state = None
    with open(agent_log, encoding="utf-8", errors="replace") as log:
        for line in log:
            if "msg=lifecycle " in line and "lifecycle.state=" in line:
                state = line.split("lifecycle.state=", 1)[1].split()[0].strip('"')
    return state


def saved_lifecycle(state_dir):
    """The registry's word the agent saved in its state directory (lifecycle.json), or None."""
    try:
        with open(os.path.join(state_dir, "lifecycle.json"), encoding="utf-8") as file:
            return json.load(file).get("state")
    except (OSError, ValueError):
        return None


def main():
    args = parse()
    admin = Admin(args.registry, args.pki)
    base = args.registry
    os.makedirs(args.out, exist_ok=True)
    driver = browser(1280, 800)
    try:
        # 1. Sign in.
        driver.get(base + "/")
        assert driver.current_url.endswith("/signin"), driver.current_url
        assert "登录" in text(driver), "the sign-in page is not in Chinese"
        check_labels(driver, "signin")
        check_contrast(driver, "signin", ["body", "label", ".top .brand", "button"])
        driver.save_screenshot(os.path.join(args.out, "signin-1280.png"))
        driver.find_element(By.ID, "name").send_keys(args.user)
        driver.find_element(By.ID, "password").send_keys(args.password)
        driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
        wait("the overview", lambda: "总览" in driver.title + text(driver), 10)
        wait("the reference shelter on the overview", lambda: "Hubin District No. 7" in text(driver), 10)
        check_labels(driver, "overview")

        # 2. An alert arrives live on the open alerts page.
        driver.get(base + "/alerts")
        check_labels(driver, "alerts")
        driver.execute_script("window.__loaded = 'once';")
        before = len(admin.get(f"/v1/admin/alerts?shelterId={args.shelter}"))
        assert before == 0, f"{before} alert events already stored: the test cannot watch one arrive"
        stored_at = [None]

        def alert_seen():
            if stored_at[0] is None and admin.get(f"/v1/admin/alerts?shelterId={args.shelter}"):
                stored_at[0] = time.monotonic()
            return driver.find_elements(By.CSS_SELECTOR, "ol.alerts > li")

        cards = wait("an alert on the alerts page", alert_seen, 150)
        shown_at = time.monotonic()
        assert driver.execute_script("return window.__loaded") == "once", "the page was reloaded"
        stored = stored_at[0] if stored_at[0] is not None else shown_at
        delay = shown_at - stored
        print(f"console-test: alert shown {delay:.2f} s after the registry stored it (no reload)")
        assert delay <= 2.5, f"the alert took {delay:.2f} s to appear"
        first = wait("the first alert's text",
                     lambda: driver.find_element(By.CSS_SELECTOR, "ol.alerts > li").text, 5)
        print("console-test: first alert: " + first.splitlines()[0])

        # 3. Acknowledge it.
        note = driver.find_element(By.CSS_SELECTOR, "ol.alerts > li .ack-form input[name=note]")
        note.send_keys("已通知安置组")
        driver.find_element(By.CSS_SELECTOR, "ol.alerts > li .ack-form button").click()
        wait("the acknowledgement", lambda: f"确认人：{args.user}" in text(driver), 10)
        check_contrast(driver, "alerts", [".alert .headline", ".alert .description", ".severity", ".ack",
                                           ".facts dt", ".top nav a", ".badge-exercise"])
        driver.save_screenshot(os.path.join(args.out, "alerts-1280.png"))

        # 4. Activate the shelter; the gateway confirms.
        reports_before = admin.get(f"/v1/admin/reports?shelterId={args.shelter}")
        driver.get(base + f"/shelters/{args.shelter}")
        driver.execute_script("window.__loaded = 'once';")
        assert agent_lifecycle(args.agent_log) in (None, "standby"), agent_lifecycle(args.agent_log)
        standby_window_start = time.time() - 60
        standby_reports = [r for r in reports_before if r["lifecycle"]["state"] == "standby"
                           and parse_time(r["observedAt"]) >= standby_window_start]
        driver.find_element(By.CSS_SELECTOR, "button[value=activate]").click()
        decided = time.monotonic()
        decided_wall = time.time()
        wait("the agent to learn the activation",
             lambda: agent_lifecycle(args.agent_log) == "activated" and saved_lifecycle(args.state_dir) == "activated",
             args.heartbeat_seconds + 3, step=0.05)
        learned = time.monotonic()
        print(f"console-test: agent activated {learned - decided:.2f} s after the decision "
              f"(heartbeat every {args.heartbeat_seconds:g} s)")
        assert learned - decided <= args.heartbeat_seconds + 1.0, "the agent did not learn within one heartbeat interval"
        driver.execute_script("window.__loaded = 'once';")
        wait("the gateway's confirmation on the shelter page", lambda: "网关已确认" in text(driver),
             2 * args.heartbeat_seconds + 4)
        confirmed = time.monotonic()
        assert driver.execute_script("return window.__loaded") == "once", "the shelter page was reloaded"
        print(f"console-test: confirmation shown {confirmed - decided:.2f} s after the decision")
        # Cadence: activated reports every REPORT seconds.
        window = 3 * args.report_seconds + 1
        time.sleep(window)
        after = [r for r in admin.get(f"/v1/admin/reports?shelterId={args.shelter}")
                 if r["lifecycle"]["state"] == "activated" and parse_time(r["observedAt"]) >= decided_wall]
        times = sorted(parse_time(r["observedAt"]) for r in after)
        gaps = [b - a for a, b in zip(times, times[1:])]
        print(f"console-test: {len(standby_reports)} standby report(s) in the minute before; "
              f"{len(after)} activated reports in {window:g} s, gaps {[round(g, 1) for g in gaps]}")
        assert len(after) >= 3, "the agent's report cadence did not change to activated"
        assert all(abs(g - args.report_seconds) <= 1.5 for g in gaps), f"activated gaps {gaps}"
        assert len(standby_reports) <= 2, "standby reports were already frequent"
        driver.refresh()
        wait("the shelter page", lambda: "已启用" in text(driver), 10)
        check_contrast(driver, "shelter", ["h1", ".status-line", ".confirmed", ".check-ok", ".check-unknown",
                                            ".check-warning", ".check-critical", "figcaption", "button"])
        driver.save_screenshot(os.path.join(args.out, "shelter-1280.png"))
        driver.execute_script("document.querySelector('.charts').scrollIntoView()")
        time.sleep(0.3)
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg.chart polyline.series")) >= 1, "no chart line drawn"
        driver.save_screenshot(os.path.join(args.out, "shelter-charts-1280.png"))
        driver.get(base + "/")
        wait("the overview", lambda: "Hubin District No. 7" in text(driver), 10)
        check_contrast(driver, "overview", ["body", "thead th a", "tbody th a", ".count", ".state", ".level-adequate",
                                             ".level-insufficient", ".level-unknown", ".stale", ".id", ".top .lang"])
        driver.save_screenshot(os.path.join(args.out, "overview-1280.png"))

        # 5. Phone width.
        driver.set_window_size(390, 844)
        for name, path in (("overview", "/"), ("alerts", "/alerts"), ("shelter", f"/shelters/{args.shelter}")):
            driver.get(base + path)
            time.sleep(0.5)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= 400, f"{name} at phone width scrolls sideways ({width} px)"
            driver.save_screenshot(os.path.join(args.out, f"{name}-390.png"))
        driver.set_window_size(1280, 800)
        driver.get(base + "/lang/en?back=/")
        wait("English", lambda: "Overview" in text(driver), 10)
        driver.save_screenshot(os.path.join(args.out, "overview-en-1280.png"))
    finally:
        driver.quit()
    print("console-test: passed; screenshots in " + args.out + ": " + ", ".join(sorted(os.listdir(args.out))))


def parse_time(value):
    """An RFC 3339 time as the registry writes it (with Z or an offset) → seconds since 1970."""
    from datetime import datetime
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"console-test: FAILED: {error}", file=sys.stderr)
        sys.exit(1)
