# shellcheck shell=bash
# The synthetic site the polling benchmarks share (Scripts/bench-poll, Scripts/bench): UNITS devices of
# REGISTERS UINT16 holding registers each (addresses 0…REGISTERS-1, one coalesced request per poll) on one
# Modbus TCP bus, polled every second.
#
# write_bench_site DIR UNITS REGISTERS [GATEWAY_TOML]
#   Writes DIR/profiles/bench-REGISTERS-registers.toml and DIR/sites/bench-UNITSxREGISTERS.toml, prints the
#   site file's path. GATEWAY_TOML, if given, replaces the [gateway] section (a real state directory,
#   registry and certificates, for a daemon that runs); the default is a placeholder enough for bench-poll.
write_bench_site() {
    local dir=$1 units=$2 registers=$3 gateway=${4:-}
    local profile="bench-$registers-registers" site="$dir/sites/bench-${units}x$registers.toml"
    mkdir -p "$dir/profiles" "$dir/sites"
    {
        echo 'vendor = "Bench"'
        echo "model = \"$registers registers\""
        echo "document = \"Scripts/lib/bench-site.sh: $registers UINT16 holding registers at 0-$((registers - 1))\""
        for ((i = 0; i < registers; i++)); do
            printf '\n[[points]]\nname = "r%d"\nfunction = "holding"\naddress = %d\ntype = "UINT16"\n' "$i" "$i"
        done
    } >"$dir/profiles/$profile.toml"
    {
        if [ -n "$gateway" ]; then
            printf '%s\n' "$gateway"
        else
            cat <<'TOML'
[gateway]
id = "gw-bench"
state_directory = "/tmp/shelter-bench"
registry_url = "https://registry.example.org/"
ca_bundle = "ca.pem"
client_certificate = "gw.pem"
client_key = "gw.key"
TOML
        fi
        cat <<'TOML'

[[buses]]
name = "lan"
kind = "tcp"
host = "127.0.0.1"
port = 502
TOML
        for ((u = 1; u <= units; u++)); do
            printf '\n[[devices]]\nname = "d%d"\nbus = "lan"\nunit_id = %d\nprofile = "%s"\npoll_interval_seconds = 1\n' \
                "$u" "$u" "$profile"
        done
        cat <<'TOML'

[record]
id = "BENCH"
name = "Bench site"
effective_area_square_metres = 3000
capacity_persons = 1000

[record.location]
address = "loopback"

[[record.water_tanks]]
name = "t1"
capacity_litres = 1000
height_metres = 1
TOML
    } >"$site"
    echo "$site"
}
