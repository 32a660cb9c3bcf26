# shellcheck shell=bash
# The baselines the binary-size figures are measured against (Scripts/bench-agent, Scripts/bench-binary).
#
# build_minimal_program DIR [SOURCE]: builds a one-file Swift package in DIR the way the agent's release is built
# (-c release --static-swift-stdlib) and writes DIR.stripped; the program itself is DIR/.build/release/floor.
# SOURCE is its main.swift; without it, the smallest FoundationEssentials program (its Date.now is inlined and
# links none of FoundationEssentials).
build_minimal_program() {
    local dir=$1
    local source=${2:-'import FoundationEssentials
print(Date.now.timeIntervalSince1970)'}
    mkdir -p "$dir/Sources/floor"
    cat >"$dir/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
let package = Package(name: "floor", targets: [.executableTarget(name: "floor")])
SWIFT
    echo "$source" >"$dir/Sources/floor/main.swift"
    swift build -c release --static-swift-stdlib --package-path "$dir" >/dev/null
    strip -o "$dir.stripped" "$dir/.build/release/floor"
}
