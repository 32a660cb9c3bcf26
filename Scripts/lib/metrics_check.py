"""Checks the agent's GET /metrics on the running reference site (issue 17), for Scripts/test-metrics.

Fetches the page with curl, parses it with prometheus-client's parsers (Prometheus text 0.0.4 and, asked for
by Accept, OpenMetrics 1.0.0), asserts the families and their labels, then injects faults through the
simulator's control socket (no answer, then exception code 4) and asserts that the counters move and the link
state follows. Also: 404 and 405, and a client that connects and sends nothing does not stop the next scrape.
Prints one line per check and exits 1 on the first failure.
"""

import argparse
import socket
import subprocess
import sys
import time

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_prometheus

FAMILIES = {
    # name as prometheus-client's Prometheus text parser reports it: type (OpenMetrics: `OPENMETRICS_FAMILIES`)
    "shelter_agent_build_info": "gauge",
    "shelter_agent_start_time_seconds": "gauge",
    "shelter_agent_device_requests": "counter",
    "shelter_agent_device_failures": "counter",
    "shelter_agent_device_exceptions": "counter",
    "shelter_agent_device_reply_faults": "counter",
    "shelter_agent_device_last_round_trip_seconds": "gauge",
    "shelter_agent_device_link_state": "gauge",
    "shelter_agent_device_skipped_polls": "counter",
    "shelter_agent_bus_cycle_seconds": "gauge",
    "shelter_agent_bus_utilisation_ratio": "gauge",
    "shelter_agent_bus_busy_seconds": "counter",
    "shelter_agent_checks": "gauge",
    "shelter_agent_outbox_depth": "gauge",
    "shelter_agent_outbox_oldest_age_seconds": "gauge",
    "shelter_agent_outbox_dead_letters": "gauge",
    "shelter_agent_outbox_held": "gauge",
    "shelter_agent_uplink_last_success_timestamp_seconds": "gauge",
    "shelter_agent_uplink_reachable": "gauge",
}
# Prometheus text 0.0.4 has no info type: the OpenMetrics parser sees shelter_agent_build as an info family.
OPENMETRICS_FAMILIES = {**{k: v for k, v in FAMILIES.items() if k != "shelter_agent_build_info"},
                        "shelter_agent_build": "info"}
DEVICES = ["genset", "ups1", "ups2", "tank1-level", "tank2-level", "tank3-level", "flow1", "counter-north",
           "counter-south", "counter-east", "counter-west", "mains-meter", "io"]
BUSES = ["rs485-1", "meter-gateway", "io"]


def fail(message):
    print(f"metrics: FAIL {message}", file=sys.stderr)
    sys.exit(1)


def ok(message):
    print(f"metrics: ok   {message}")


def curl(url, *extra):
    """(status, content type, body) of one request made with curl."""
    out = subprocess.run(
        ["curl", "-sS", "--max-time", "10", "-o", "-", "-w", "\n%{http_code} %{content_type}", *extra, url],
        check=True, capture_output=True, text=True).stdout
    body, _, tail = out.rpartition("\n")
    status, _, content_type = tail.partition(" ")
    return int(status), content_type, body


def scrape(url, openmetrics=False):
    """{family name: family} from one scrape, parsed by prometheus-client."""
    extra = ["-H", "Accept: application/openmetrics-text; version=1.0.0"] if openmetrics else []
    status, content_type, body = curl(url, *extra)
    if status != 200:
        fail(f"GET {url} answered {status}")
    families = parse_openmetrics(body) if openmetrics else parse_prometheus(body)
    return {f.name: f for f in families}, content_type, body


def value(families, family, sample_name, **labels):
    """The value of the one sample with these labels (a subset), or None."""
    for s in families[family].samples:
        if s.name == sample_name and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    return None


def control(path, command):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(path)
        s.sendall((command + "\n").encode())
        reply = s.makefile().readline().strip()
    if not reply.startswith("ok"):
        fail(f"simulator refused '{command}': {reply}")


def wait_until(url, what, predicate, seconds=60):
    """Scrapes until predicate(families) holds; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        families, _, _ = scrape(url)
        if predicate(families):
            ok(what)
            return families
        if time.monotonic() > deadline:
            fail(f"{what}: not within {seconds} s")
        time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--control", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--registry-url", required=True)
    args = parser.parse_args()
    url = args.url

    # 1. Prometheus text: every family, with the reference site's devices and buses, once each bus has polled.
    families = wait_until(
        url, "every bus has a cycle time (each device polled once)",
        lambda f: all(value(f, "shelter_agent_bus_cycle_seconds", "shelter_agent_bus_cycle_seconds", bus=b)
                      is not None for b in BUSES))
    for name, kind in FAMILIES.items():
        if name not in families:
            fail(f"family {name} missing; got {sorted(families)}")
        if families[name].type != kind:
            fail(f"family {name} is {families[name].type}, want {kind}")
    ok(f"{len(FAMILIES)} families with their types (Prometheus text 0.0.4)")
    for device in DEVICES:
        requests = value(families, "shelter_agent_device_requests", "shelter_agent_device_requests_total",
                         device=device)
        if not requests or requests < 1:
            fail(f"no requests counted for {device}")
        for kind in ["timeout", "exception", "busy", "bad_data", "link_lost"]:
            if value(families, "shelter_agent_device_failures", "shelter_agent_device_failures_total",
                     device=device, kind=kind) is None:
                fail(f"no failures sample for {device} kind={kind}")
    ok(f"requests and failures by kind for all {len(DEVICES)} devices")
    states = [s for s in families["shelter_agent_device_link_state"].samples if s.labels["device"] == "mains-meter"]
    if sorted(s.labels["state"] for s in states) != ["degraded", "down", "unknown", "up"] or \
            sum(s.value for s in states) != 1:
        fail(f"link state of mains-meter: {states}")
    for bus in BUSES:
        ratio = value(families, "shelter_agent_bus_utilisation_ratio", "shelter_agent_bus_utilisation_ratio", bus=bus)
        if ratio is None or not 0 < ratio:
            fail(f"utilisation of {bus}: {ratio}")
    ok("link state (one of four is 1) and bus utilisation")
    build = value(families, "shelter_agent_build_info", "shelter_agent_build_info", version=args.version)
    if build != 1:
        fail(f"build info for version {args.version}: {families['shelter_agent_build_info'].samples}")
    ok(f"build info version {args.version}")
    wait_until(url, "the registry answered (uplink reachable, last success timestamp)",
               lambda f: value(f, "shelter_agent_uplink_reachable", "shelter_agent_uplink_reachable") == 1 and
               (value(f, "shelter_agent_uplink_last_success_timestamp_seconds",
                      "shelter_agent_uplink_last_success_timestamp_seconds") or 0) > time.time() - 120)
    wait_until(url, "checks counted by status after the first tick",
               lambda f: sum(s.value for s in f["shelter_agent_checks"].samples) > 0 and
               {s.labels["status"] for s in f["shelter_agent_checks"].samples} ==
               {"ok", "warning", "critical", "unknown"})

    # 2. OpenMetrics, asked for: parsed by the strict OpenMetrics parser (which requires # EOF).
    om, content_type, body = scrape(url, openmetrics=True)
    if not content_type.startswith("application/openmetrics-text; version=1.0.0") or not body.endswith("\n# EOF\n"):
        fail(f"OpenMetrics reply: {content_type!r}, ends {body[-20:]!r}")
    if {n: f.type for n, f in om.items()} != OPENMETRICS_FAMILIES:
        fail(f"OpenMetrics families differ: {sorted((n, f.type) for n, f in om.items())}")
    if value(om, "shelter_agent_build", "shelter_agent_build_info", version=args.version) != 1:
        fail("OpenMetrics build info")
    ok("OpenMetrics 1.0.0 on Accept: same families, # EOF")

    # 3. Only GET /metrics.
    base = url.rsplit("/", 1)[0]
    if curl(base + "/other")[0] != 404 or curl(url, "-X", "POST")[0] != 405:
        fail("another path is not 404 or another method not 405")
    ok("404 elsewhere, 405 for POST")

    # 4. A client that connects and says nothing: the next scrape is still answered.
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))):
        started = time.monotonic()
        scrape(url)
    ok(f"a silent client does not stop the next scrape ({time.monotonic() - started:.1f} s)")

    # 5. Faults from the simulator move the counters.
    def failures(f, device, kind):
        return value(f, "shelter_agent_device_failures", "shelter_agent_device_failures_total",
                     device=device, kind=kind) or 0

    before = failures(families, "mains-meter", "timeout")
    control(args.control, "fault mains-meter timeout on")
    wait_until(url, "timeouts of mains-meter counted after 'fault mains-meter timeout on'",
               lambda f: failures(f, "mains-meter", "timeout") >= before + 2)
    wait_until(url, "mains-meter's link state leaves up",
               lambda f: value(f, "shelter_agent_device_link_state", "shelter_agent_device_link_state",
                               device="mains-meter", state="up") == 0)
    control(args.control, "fault mains-meter clear")
    wait_until(url, "mains-meter up again after 'fault mains-meter clear'",
               lambda f: value(f, "shelter_agent_device_link_state", "shelter_agent_device_link_state",
                               device="mains-meter", state="up") == 1, seconds=90)

    families, _, _ = scrape(url)
    before = failures(families, "io", "exception")
    control(args.control, "fault io exception coil 0-65535 4")
    control(args.control, "fault io exception discrete 0-65535 4")
    control(args.control, "fault io exception holding 0-65535 4")
    control(args.control, "fault io exception input 0-65535 4")
    wait_until(url, "exception code 4 of io counted by code and as failures of kind exception",
               lambda f: failures(f, "io", "exception") > before and
               (value(f, "shelter_agent_device_exceptions", "shelter_agent_device_exceptions_total",
                      device="io", code="4") or 0) >= 1)
    control(args.control, "fault io clear")

    # 6. The registry's own figures: requests by route template and status, store latency, connected gateways.
    registry = args.registry_url
    status, content_type, body = curl(registry)
    if status != 200 or not content_type.startswith("text/plain; version=0.0.4"):
        fail(f"registry /metrics answered {status} {content_type}")
    reg = {f.name: f for f in parse_prometheus(body)}
    heartbeats = value(reg, "shelter_registry_http_requests", "shelter_registry_http_requests_total",
                       route="/v1/gateways/{gatewayId}/heartbeat", method="POST", status="200")
    if not heartbeats or heartbeats < 1:
        fail(f"registry: no heartbeat requests by route; got {sorted(reg)}")
    if reg.get("shelter_registry_store_duration_seconds") is None or \
            reg["shelter_registry_store_duration_seconds"].type != "histogram" or \
            (value(reg, "shelter_registry_store_duration_seconds", "shelter_registry_store_duration_seconds_count",
                   operation="heartbeat") or 0) < 1:
        fail("registry: no store latency histogram for heartbeats")
    if value(reg, "shelter_registry_connected_gateways", "shelter_registry_connected_gateways") != 1:
        fail("registry: connected gateways is not 1")
    if curl(registry.rsplit("/", 1)[0] + "/v1/admin/alerts")[0] != 404:
        fail("registry: the metrics listener serves more than /metrics")
    ok(f"registry: {int(heartbeats)} heartbeats by route and status, store latency histogram, 1 connected gateway")
    print("metrics: every check passed")


if __name__ == "__main__":
    main()
