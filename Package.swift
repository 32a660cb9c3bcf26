// swift-tools-version:6.1
// shelter-agent: a site agent for emergency shelters. Module map and dependency rule: ../shared/DESIGN.md §2,
// STYLE.md §2 (arrows point down only; only a wrapper imports its C module).
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// How the release agent is linked (issue 13: a smaller binary; measured with Scripts/bench-binary, gold, Swift
/// 6.3.1, static stdlib, stripped: 22.47 MB → 20.86 MB, the program unchanged). Release on Linux only; SwiftPM
/// already passes `--gc-sections`.
/// - `--no-export-dynamic`: the static stdlib's link file (`static-stdlib-args.lnk`) exports every symbol of
///   every object file that is not in an archive (ours and our dependencies') into `.dynsym`/`.dynstr`: 1.3 MB
///   nothing looks up (the agent loads no plugins and resolves no symbols with `dlsym`; a crash backtrace of a
///   stripped binary has no names either way).
/// - `--icf=safe`: folds functions with identical code whose address is never taken (generic specializations
///   and thunks that compile to the same bytes): 0.3 MB. `safe`, not `all`, so no two functions that Swift
///   compares by address (key-path accessors) become one.
/// Not taken: lld (`-use-ld=lld`) links full Foundation and ICU's 32 MB of data in, because TOMLKit imports
/// `Foundation` (gold, the default, pulls none of it: 0 symbols of Foundation, CoreFoundation or ICU), so also
/// no `-z pack-relative-relocs` (lld only); `-Xfrontend -disable-reflection-metadata` would change what
/// `"\(value)"` prints for enums and structs.
let agentReleaseLinking: [LinkerSetting] = [
    .unsafeFlags(
        ["-Xlinker", "--no-export-dynamic", "-Xlinker", "--icf=safe"],
        .when(platforms: [.linux], configuration: .release))
]

/// The core's generic state machines (`DevicePoller<Instant>`, `ReconnectStateMachine<Instant>`, `DueQueue`)
/// run on every request of the bus thread in another module. Without cross-module optimization they stay
/// unspecialized there: measured with callgrind on `bench-poll path` (10 registers), 37 % of the bus thread's
/// instructions were generic metadata lookups (`swift_getGenericMetadata`) and value-witness copies.
/// `-cross-module-optimization` lets the clients specialize them for `ContinuousClock.Instant` (issue 13).
let crossModuleOptimized: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))
]

let package = Package(
    name: "shelter-agent",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "shelter-agent", targets: ["shelter-agent"]),
        .executable(name: "shelter-sim", targets: ["shelter-sim"]),
        .executable(name: "shelter-registry", targets: ["shelter-registry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        // Reference registry only (never linked into the agent).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already in hummingbird's graph; named so the registry can read the client certificate's CN.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Registry only: PostgreSQL for a city (several registry instances on one database).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already in postgres-nio's graph; the registry derives record versions from a SHA-256 of the content.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // Registry only: the bureau's console (server-rendered pages, bcrypt password hashes).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // Registry only: its /metrics (issue 17). swift-metrics is already in hummingbird's graph (MetricsMiddleware).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries: one bare system-library target each, imported by exactly one Swift wrapper.
        .systemLibrary(
            name: "CModbus", pkgConfig: "libmodbus",
            providers: [.apt(["libmodbus-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),

        // Platform (the swift-system role): threads with a serial executor, stop/wake signals, child processes.
        // Glibc only.
        .target(name: "Platform", swiftSettings: upcoming),

        // The agent's metrics listener (issue 17): a bounded HTTP/1.1 GET server on one thread, sockets via Glibc.
        // Not Platform (threads, signals, processes): protocol parsing stays out of the swift-system role.
        .target(name: "LoopbackHTTP", dependencies: ["Platform"], swiftSettings: upcoming),

        // Thin Swift wrappers: no shelter words.
        .target(name: "Modbus", dependencies: ["CModbus", "Platform"], swiftSettings: upcoming),
        .target(name: "HTTPClient", dependencies: ["CCurl", "CCurlShim", "Platform"], swiftSettings: upcoming),
        .target(name: "SQLite", dependencies: ["CSQLite"], swiftSettings: upcoming),

        // Pure core: no I/O, no clock, no logging.
        .target(name: "ShelterCore", swiftSettings: upcoming + crossModuleOptimized),

        // The one TOML entry point (preflight screen, then TOMLKit) for site, profile, scenario, value-script
        // and site-patch text; no shelter words, so the simulator and ScenarioKit need no runtime for it.
        .target(
            name: "TOMLSupport", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: upcoming),

        // Services and adapters.
        .target(
            name: "ShelterRuntime",
            dependencies: [
                "ShelterCore", "Modbus", "HTTPClient", "SQLite", "Platform", "TOMLSupport", "LoopbackHTTP",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The client certificate's CN for check-config; FoundationEssentials only.
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: upcoming),
        .target(
            name: "DeviceSimulator",
            dependencies: [
                "ShelterCore", "Modbus", "Platform", "TOMLSupport",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: upcoming),

        // HIL scenarios: scenario files, the runner that drives registry, simulator and agent, JUnit output.
        .target(
            name: "ScenarioKit",
            dependencies: [
                "ShelterCore", "HTTPClient", "Platform", "TOMLSupport", .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: upcoming),

        // Executables.
        .executableTarget(
            name: "shelter-agent",
            dependencies: [
                "ShelterRuntime", "ShelterCore", "Modbus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming, linkerSettings: agentReleaseLinking),
        .executableTarget(
            name: "shelter-sim",
            dependencies: [
                "DeviceSimulator", "ShelterRuntime", "ShelterCore", "Modbus", "ScenarioKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcoming),
        // Test tools (Tests/Tools): executables the tests start.
        .executableTarget(
            name: "outbox-crash-writer",
            dependencies: [
                "ShelterRuntime", "ShelterCore", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Tools/outbox-crash-writer", swiftSettings: upcoming),

        // Benchmarks (Benchmarks/, run by Scripts/bench-*): figures against a baseline measured in the same run.
        .executableTarget(
            name: "bench-outbox",
            dependencies: [
                "ShelterRuntime", "ShelterCore", "HTTPClient", .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/bench-outbox", swiftSettings: upcoming),
        .executableTarget(
            name: "bench-poll",
            dependencies: [
                "ShelterRuntime", "DeviceSimulator", "ShelterCore", "Modbus", "ModbusFloor", "Platform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/bench-poll", swiftSettings: upcoming),
        // The plain libmodbus loop the benchmarks measure against (the C floor): the one place outside the
        // wrapper that imports CModbus, never linked into the agent.
        .target(
            name: "ModbusFloor", dependencies: ["CModbus", "Modbus"], path: "Benchmarks/ModbusFloor",
            swiftSettings: upcoming),
        .executableTarget(
            name: "bench-modbus", dependencies: ["Modbus", "ModbusFloor"], path: "Benchmarks/bench-modbus",
            swiftSettings: upcoming),
        // Keep-alive vs new-handshake figures for the libcurl client (Scripts/bench-http).
        .executableTarget(
            name: "bench-http", dependencies: ["HTTPClient"], path: "Benchmarks/bench-http", swiftSettings: upcoming),
        // Reference registry (DESIGN §4): may import Foundation; not linked into the agent.
        .executableTarget(
            name: "shelter-registry",
            dependencies: [
                // Platform: the SQLite store's dedicated thread (ThreadExecutor), as the agent's outbox has.
                "ShelterCore", "SQLite", "Platform",
                .product(name: "Hummingbird", package: "hummingbird"),
                // HTTPServerBuilder and HTTP1Channel: the per-request child task (ChildTaskResponder).
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/console")],
            swiftSettings: upcoming),
        // Load generator for the registry (Scripts/bench-registry): N gateways with their own certificates.
        .executableTarget(
            name: "bench-registry",
            dependencies: [
                "ShelterCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/bench-registry", swiftSettings: upcoming),
        // The registry's server stack alone (Hummingbird, swift-nio-ssl), answering 200: the floor under the
        // registry's memory per gateway (Scripts/bench-registry --engines floor).
        .executableTarget(
            name: "bench-registry-floor",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/bench-registry-floor", swiftSettings: upcoming),
        // Tests.
        // What every test target shares: fakes of the core's ports, temporary directories, repository paths,
        // `eventually`, `SequenceRandom`, the `.integration` tag.
        .target(
            name: "ShelterTesting", dependencies: ["ShelterCore"], path: "Tests/ShelterTesting",
            swiftSettings: upcoming),
        .testTarget(
            name: "TOMLSupportTests",
            dependencies: ["TOMLSupport", "ShelterCore", .product(name: "TOMLKit", package: "TOMLKit")],
            exclude: ["Corpus"], swiftSettings: upcoming),
        .testTarget(
            name: "ShelterCoreTests", dependencies: ["ShelterCore", "ShelterTesting"],
            resources: [.copy("Fixtures")], swiftSettings: upcoming),
        .target(
            name: "ModbusTestSupport", dependencies: ["Modbus"], path: "Tests/ModbusTestSupport",
            swiftSettings: upcoming),
        .testTarget(name: "ModbusTests", dependencies: ["Modbus", "ModbusTestSupport"], swiftSettings: upcoming),
        .testTarget(name: "PlatformTests", dependencies: ["Platform"], swiftSettings: upcoming),
        .testTarget(name: "LoopbackHTTPTests", dependencies: ["LoopbackHTTP", "Platform"], swiftSettings: upcoming),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite", "ShelterTesting"], swiftSettings: upcoming),
        .testTarget(
            name: "DeviceSimulatorTests", dependencies: ["DeviceSimulator", "ShelterCore"],
            swiftSettings: upcoming),
        .testTarget(
            name: "ShelterRuntimeTests",
            dependencies: [
                "ShelterRuntime", "DeviceSimulator", "ShelterCore", "Modbus", "ModbusTestSupport", "shelter-sim",
                "ShelterTesting", "SQLite", "HTTPClient", "HTTPTestSupport", "Platform",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")], swiftSettings: upcoming),
        .testTarget(
            name: "ShelterAgentTests",
            dependencies: [
                "shelter-agent", "shelter-sim", "Modbus", "ModbusTestSupport", "ShelterCore", "ShelterRuntime",
                "ShelterTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Fixtures"], swiftSettings: upcoming),
        .testTarget(
            name: "ScenarioKitTests",
            dependencies: [
                "ScenarioKit", "ShelterCore", "DeviceSimulator", "ShelterRuntime", "Platform", "ShelterTesting",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: upcoming),
        // Shared by the HTTPS tests: a throwaway PKI (Scripts/pki), child processes, loopback servers.
        .target(name: "HTTPTestSupport", path: "Tests/HTTPTestSupport", swiftSettings: upcoming),
        .testTarget(
            name: "HTTPClientTests", dependencies: ["HTTPClient", "HTTPTestSupport", "ShelterTesting"],
            swiftSettings: upcoming),
        .testTarget(
            name: "RegistryTests",
            dependencies: [
                "HTTPClient", "HTTPTestSupport", "SQLite", "ShelterCore", "ShelterTesting", "shelter-registry",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming),
    ]
)
