# shellcheck shell=bash
# The baselines the binary-size and memory figures are measured against (Scripts/bench-agent, Scripts/bench-binary).
#
# build_minimal_program DIR [SOURCE [C_SOURCE]]: builds a one-file Swift package in DIR the way the agent's release
# is built (-c release --static-swift-stdlib) and writes DIR.stripped; the program itself is DIR/.build/release/floor.
# SOURCE is its main.swift; without it, the smallest FoundationEssentials program (its Date.now is inlined and
# links none of FoundationEssentials). C_SOURCE, when given, is a C target `CFloor` the program imports, linked
# with the C libraries the agent links (libcurl, SQLite, libmodbus); its header declares every function that
# does not start with `static`.
build_minimal_program() {
    local dir=$1
    local source=${2:-'import FoundationEssentials
print(Date.now.timeIntervalSince1970)'}
    local c_source=${3:-}
    mkdir -p "$dir/Sources/floor"
    if [ -z "$c_source" ]; then
        cat >"$dir/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "floor", targets: [.executableTarget(name: "floor")])
SWIFT
    else
        cat >"$dir/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "floor", targets: [
    .target(
        name: "CFloor",
        linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("sqlite3"), .linkedLibrary("modbus")]),
    .executableTarget(name: "floor", dependencies: ["CFloor"]),
])
SWIFT
        mkdir -p "$dir/Sources/CFloor/include"
        echo "$c_source" >"$dir/Sources/CFloor/floor.c"
        # The header: each non-static function definition's first line, as a prototype.
        grep -E '^[a-z].*\) \{$' "$dir/Sources/CFloor/floor.c" | grep -v '^static' | sed 's/ {$/;/' \
            >"$dir/Sources/CFloor/include/floor.h"
    fi
    echo "$source" >"$dir/Sources/floor/main.swift"
    swift build -c release --static-swift-stdlib --package-path "$dir" >/dev/null
    strip -o "$dir.stripped" "$dir/.build/release/floor"
}

# The C half of the memory floor (Scripts/bench-agent): what the agent's C libraries need resident when used as
# the agent uses them, and nothing else.
# shellcheck disable=SC2016
library_floor_c='#include <curl/curl.h>
#include <modbus/modbus.h>
#include <sqlite3.h>
#include <stdint.h>

static size_t discard(char *data, size_t size, size_t count, void *context) {
    (void)data; (void)context;
    return size * count;
}

/* One GET over HTTPS with a verified server and a client certificate; the HTTP status, or -1. */
long floor_https_get(const char *url, const char *ca, const char *certificate, const char *key) {
    long status = -1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_CAINFO, ca);
    curl_easy_setopt(easy, CURLOPT_SSLCERT, certificate);
    curl_easy_setopt(easy, CURLOPT_SSLKEY, key);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    if (curl_easy_perform(easy) == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/* A WAL file with one row inserted and deleted; SQLite result code. */
int floor_sqlite(const char *path) {
    sqlite3 *database;
    if (sqlite3_open(path, &database) != SQLITE_OK) return 1;
    return sqlite3_exec(database,
        "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS items (payload BLOB);"
        "INSERT INTO items VALUES (randomblob(2000)); DELETE FROM items;", 0, 0, 0);
}

/* Ten input registers from 0 read over Modbus TCP from unit `unit`; the count read, or -1. */
int floor_modbus_read(const char *host, int port, int unit) {
    uint16_t registers[10];
    modbus_t *context = modbus_new_tcp(host, port);
    if (context == 0 || modbus_set_slave(context, unit) != 0 || modbus_connect(context) != 0) return -1;
    return modbus_read_input_registers(context, 0, 10, registers);
}'
