#!/usr/bin/env python3
"""What an unstripped binary is made of: the size of every defined symbol (nm -S), summed by the module it
belongs to (the Swift module in a mangled name, the C++ namespace, the C library by its prefix), plus the
section sizes a symbol table does not cover (Swift metadata records, unwind tables, the dynamic symbol table).
Used by Scripts/bench-binary.

Usage: binary-composition.py BINARY [--top N]
"""
import re
import subprocess
import sys
from collections import defaultdict

# A Swift module named in a mangled symbol, grouped into the parts issue 13 asks about.
SWIFT_GROUPS = {
    "Swift": "Swift stdlib + runtime",
    "_Concurrency": "Swift stdlib + runtime",
    "_StringProcessing": "Swift string algorithms + regex (_StringProcessing, _RegexParser)",
    "_RegexParser": "Swift string algorithms + regex (_StringProcessing, _RegexParser)",
    "Synchronization": "Swift stdlib + runtime",
    "SwiftGlibc": "Swift stdlib + runtime",
    "Glibc": "Swift stdlib + runtime",
    "Dispatch": "Swift stdlib + runtime",
    "FoundationEssentials": "FoundationEssentials",
    "_FoundationCollections": "FoundationEssentials",
    "_FoundationCShims": "FoundationEssentials",
    "Foundation": "Foundation (full)",
    "FoundationInternationalization": "FoundationInternationalization",
    "TOMLKit": "TOMLKit (Swift)",
    "ArgumentParser": "swift-argument-parser",
    "ArgumentParserToolInfo": "swift-argument-parser",
    "Logging": "swift-log",
    "ServiceLifecycle": "swift-service-lifecycle + async-algorithms",
    "UnixSignals": "swift-service-lifecycle + async-algorithms",
    "AsyncAlgorithms": "swift-service-lifecycle + async-algorithms",
    "SwiftASN1": "swift-asn1",
}
OURS = {"ShelterCore", "ShelterRuntime", "shelter_agent", "Modbus", "HTTPClient", "SQLite", "Platform", "TOMLSupport"}


def swift_module(name):
    """The module of a Swift mangled name ($s…), or None."""
    m = re.match(r"^_?\$s(.*)", name)
    if not m:
        return None
    rest = m.group(1)
    if rest.startswith("s") or rest.startswith("S"):
        return "Swift"  # standard substitutions (Si, SS, Sa…) and the stdlib itself ($ss)
    if rest.startswith("So") or rest.startswith("SC"):
        return "__C"
    n = re.match(r"^(\d+)", rest)
    if not n:
        return "Swift"
    length = int(n.group(1))
    return rest[len(n.group(1)) : len(n.group(1)) + length]


def group_of(name, demangled):
    module = swift_module(name)
    if module is not None:
        if module in OURS:
            return "our modules (" + module + ")"
        if module in SWIFT_GROUPS:
            return SWIFT_GROUPS[module]
        if "Collections" in module or module in {"DequeModule", "InternalCollectionsUtilities", "ContainersPreview"}:
            return "swift-collections"
        return "other Swift: " + module
    if name.startswith("_Z"):
        if re.match(r"^(toml::|void toml::|bool toml::)", demangled) or "toml::" in demangled.split("(")[0]:
            return "toml++ (C++)"
        if "swift::" in demangled or "__swift" in demangled or "_swift" in demangled:
            return "Swift stdlib + runtime"
        if "icu_" in demangled:
            return "ICU"
        return "libstdc++ templates / other C++"
    if re.match(r"^_?(swift_|_swift|__swift|swift::|\$ss)", name):
        return "Swift stdlib + runtime"
    if re.match(r"^(u_|ucal_|udat_|unum_|ucol_|ubrk_|ures_|uloc_|icu_|U_ICU|ICU)", name):
        return "ICU"
    if re.match(r"^_*CFUniChar", name):
        return "FoundationEssentials"  # the Unicode tables of its C shims
    if name.startswith("CTOML") or name.startswith("toml"):
        return "toml++ (C++)"
    if name.startswith("_dispatch") or name.startswith("dispatch_") or name.startswith("_Block"):
        return "Swift stdlib + runtime"
    if name.startswith("shelter_curl") or name.startswith("ccurl"):
        return "our modules (CCurlShim)"
    return "other C: " + re.sub(r"\d+", "", name)[:24]


def main():
    binary = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    nm = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    symbols = []
    for line in nm.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and parts[2] in "TtDdBbRrVvWw":
            symbols.append((int(parts[1], 16), parts[3]))
    demangled = subprocess.run(
        ["c++filt"], input="\n".join(name for _, name in symbols), capture_output=True, text=True, check=True
    ).stdout.splitlines()
    sizes = defaultdict(int)
    for (size, name), readable in zip(symbols, demangled):
        sizes[group_of(name, readable)] += size
    covered = sum(sizes.values())
    others = defaultdict(int)
    for label in list(sizes):
        if label.startswith("other C: ") or label.startswith("other Swift: "):
            if sizes[label] < 64 * 1024:
                others["other (each < 64 KiB)"] += sizes.pop(label)
    sizes.update(others)
    print("symbols, by module (nm -S, unstripped)")
    for label, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {size / 1048576:7.2f} MiB  {100 * size / covered:5.1f} %  {label}")
    print(f"  {covered / 1048576:7.2f} MiB  in symbols")
    sections = subprocess.run(["size", "-A", binary], capture_output=True, text=True, check=True).stdout
    print("sections, as loaded (size -A; debug sections omitted)")
    for line in sections.splitlines():
        fields = line.split()
        if (
            len(fields) >= 2
            and fields[1].isdigit()
            and fields[0].startswith(".")
            and not fields[0].startswith((".debug", ".comment"))
        ):
            size = int(fields[1])
            if size >= 64 * 1024:
                print(f"  {size / 1048576:7.2f} MiB  {fields[0]}")


main()
