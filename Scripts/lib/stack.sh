# shellcheck shell=bash
# The whole stack on one machine, for Scripts/demo and Scripts/bench-agent: a development PKI, the reference
# registry, the simulated reference site and the agent, each a child process stopped by PID on exit.
# Source it from the repository root after setting: bin (build products), work (a directory).

shelter=SMX-HB-0007
gateway=gw-smx-hb-0007
pids=()
stack_started=$(date +%s)

say() { printf '[%3ds] %s\n' "$(($(date +%s) - stack_started))" "$*"; }

stop_stack() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
}

# wait_for FILE PATTERN SECONDS: until FILE has a line matching PATTERN, or fail showing the file's tail.
wait_for() {
    local file=$1 pattern=$2 seconds=$3
    for _ in $(seq $((seconds * 10))); do
        grep -qE "$pattern" "$file" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "timed out waiting for '$pattern' in $file:" >&2
    tail -20 "$file" >&2
    return 1
}

# start_registry [SITE] [EXTRA ARGUMENTS]: PKI and the reference registry on a free loopback port, serving SITE's
# record (default the reference site; a first argument starting with -- is an extra argument) for $shelter to
# $gateway; extra arguments go to shelter-registry; sets $registry.
start_registry() {
    local site=Firmware-Config/sites/reference.toml
    if (($#)) && [[ $1 != --* ]]; then site=$1; shift; fi
    Scripts/pki "$work/pki" --gateway "$gateway" >/dev/null
    "$bin/shelter-agent" show-record "$site" >"$work/record.json"
    "$bin/shelter-registry" --port 0 --cert "$work/pki/registry.crt" --key "$work/pki/registry.key" \
        --client-ca "$work/pki/ca.crt" --record "$work/record.json" --gateway "$gateway=$shelter" \
        --database "$work/registry.sqlite" "$@" >"$work/registry.log" 2>&1 &
    pids+=($!)
    wait_for "$work/registry.log" 'listening on https://' 60
    local port
    port=$(grep -oE '"port" ?: ?[0-9]+|port=[0-9]+|https://127\.0\.0\.1:[0-9]+' "$work/registry.log" | head -1 | grep -oE '[0-9]+$')
    registry="https://127.0.0.1:$port"
}

# start_simulator [VALUES]: the reference site's devices; sets $pty, $meter_port, $io_port.
start_simulator() {
    "$bin/shelter-sim" serve --site Firmware-Config/sites/reference.toml ${1:+--values "$1"} \
        --control "$work/sim.sock" >"$work/sim.out" 2>"$work/sim.log" &
    pids+=($!)
    wait_for "$work/sim.out" '"ready":true' 30
    pty=$(grep '"bus":"rs485-1"' "$work/sim.out" | grep -oE '"path":"[^"]+"' | cut -d'"' -f4)
    meter_port=$(grep '"bus":"meter-gateway"' "$work/sim.out" | grep -oE '"port":[0-9]+' | cut -d: -f2)
    io_port=$(grep '"bus":"io"' "$work/sim.out" | grep -oE '"port":[0-9]+' | cut -d: -f2)
}

# write_site HEARTBEAT_SECONDS [REPORT_SECONDS]: the reference site with this machine's endpoints, PKI and
# state directory (and, if given, a status report every REPORT_SECONDS while activated or full), checked with
# check-config; sets $site.
write_site() {
    mkdir -p "$work/site/sites" "$work/state"
    rm -rf "$work/site/profiles" && cp -r Firmware-Config/profiles "$work/site/profiles"
    site="$work/site/sites/site.toml"
    awk -v pty="$pty" -v meter="$meter_port" -v io="$io_port" -v state="$work/state" -v url="$registry/" \
        -v ca="$work/pki/ca.crt" -v cert="$work/pki/$gateway.crt" -v key="$work/pki/$gateway.key" -v hb="$1" -v report="${2:-}" '
        /^\[/ { section = $0 }
        /^name = / && section == "[[buses]]" { bus = $3; gsub(/"/, "", bus) }
        /^state_directory = / { print "state_directory = \"" state "\""; print "heartbeat_interval_seconds = " hb; next }
        /^registry_url = / { print "registry_url = \"" url "\""; next }
        /^ca_bundle = / { print "ca_bundle = \"" ca "\""; next }
        /^client_certificate = / { print "client_certificate = \"" cert "\""; next }
        /^client_key = / { print "client_key = \"" key "\""; next }
        /^device = "\/dev\// { print "device = \"" pty "\""; next }
        /^host = / { print "host = \"127.0.0.1\""; next }
        /^port = / { print "port = " (bus == "io" ? io : meter); next }
        /^(activated|full) = / && section == "[reporting_interval_seconds]" && report != "" { print $1 " = " report; next }
        { print }
        ' Firmware-Config/sites/reference.toml >"$site"
    "$bin/shelter-agent" check-config "$site" >/dev/null
}

# start_agent [AGENT_BINARY]: the agent on $site; sets $agent_pid.
start_agent() {
    "${1:-$bin/shelter-agent}" run --config "$site" 2>"$work/agent.log" &
    agent_pid=$!
    pids+=("$agent_pid")
    wait_for "$work/agent.log" 'msg="agent started"' 30
}

# admin METHOD PATH [BODY]: the registry's admin API, with the operator certificate.
admin() {
    curl -sS --fail-with-body --cacert "$work/pki/ca.crt" --cert "$work/pki/operator.crt" \
        --key "$work/pki/operator.key" -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$registry$2"
}
