# shellcheck shell=bash
# A registry started on loopback for a benchmark or a fuzz run, a PostgreSQL database for it, and the drain rate
# bench-outbox printed (Scripts/bench-outbox, bench-registry, bench-drain-floors, bench-http,
# compare-registry-builds, fuzz-registry-api). Source after `cd` to the repository.

# start_registry_on_loopback BINARY PKI LOG [ARGUMENTS…]: BINARY (a shelter-registry build) on a free loopback port
# with PKI's registry certificate (Scripts/pki), clients verified against PKI's CA, logging errors to LOG;
# ARGUMENTS are added (the shelters and gateways, a --database). Waits until it listens, up to 5 min (a
# configuration of 10 000 gateways takes a while), and sets $registry_url and $registry_pid. A registry that
# exits or does not listen by then: stopped, its log on stderr, return 1.
start_registry_on_loopback() {
    local binary=$1 pki=$2 log=$3
    shift 3
    "$binary" --port 0 --cert "$pki/registry.crt" --key "$pki/registry.key" --client-ca "$pki/ca.crt" \
        --log-level error "$@" >"$log" 2>&1 &
    registry_pid=$!
    registry_url=""
    for _ in $(seq 1 6000); do
        registry_url=$(grep -oE 'listening on https://[0-9.]+:[0-9]+' "$log" 2>/dev/null | grep -oE 'https://.*' || true)
        [ -n "$registry_url" ] && return 0
        kill -0 "$registry_pid" 2>/dev/null || break
        sleep 0.05
    done
    kill "$registry_pid" 2>/dev/null || true
    echo "a registry ($binary) did not start:" >&2
    cat "$log" >&2
    return 1
}

# start_floor_on_postgres BIN PKI LOG DATABASE_URL: BIN/shelter-registry migrates the database (the registry's
# schema, partitions and indexes) and stops, then BIN/bench-registry-floor --postgres serves on it (the floor under
# a drain on PostgreSQL); sets $registry_url and $registry_pid as start_registry_on_loopback does, return 1 if
# either does not start.
start_floor_on_postgres() {
    local bin=$1 pki=$2 log=$3 database=$4
    start_registry_on_loopback "$bin/shelter-registry" "$pki" "$log" --shelter SH-BENCH \
        --gateway GW-BENCH=SH-BENCH --database "$database" || return 1
    kill "$registry_pid"; wait "$registry_pid" 2>/dev/null || true
    start_registry_on_loopback "$bin/bench-registry-floor" "$pki" "$log" --postgres "$database"
}

# new_postgres_database SERVER_URL NAME: creates database NAME on the server (Scripts/postgres) and prints its URL.
new_postgres_database() {
    psql "$1" -qc "CREATE DATABASE \"$2\"" >/dev/null
    echo "${1%/*}/$2"
}

# drain_rate FILE: the reports/s of the last drain bench-outbox printed in FILE (the HTTPS one, after its no-I/O
# baseline); nothing when there is none.
drain_rate() {
    grep -E '^ *drain: ' "$1" | tail -1 | grep -oE '[0-9.]+ reports/s' | grep -oE '^[0-9.]+' || true
}
