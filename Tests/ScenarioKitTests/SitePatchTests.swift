import FoundationEssentials
import ShelterCore
import ShelterRuntime
import TOMLKit
import Testing

@testable import ScenarioKit
import ShelterTesting

@Suite("Site file patching for a scenario run")
struct SitePatchTests {
    static let repositoryRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/ScenarioKitTests/SitePatchTests.swift
        return parts.joined(separator: "/")
    }()

    static func referenceSite() throws -> String {
        try String(contentsOf: URL(filePath: "\(repositoryRoot)/Firmware-Config/sites/reference.toml"), encoding: .utf8)
    }

    static let patch = SitePatch(
        stateDirectory: "/tmp/run/state", registryURL: "https://localhost:40123/", caBundle: "/tmp/run/pki/ca.pem",
        clientCertificate: "/tmp/run/pki/gw.pem", clientKey: "/tmp/run/pki/gw.key",
        buses: [
            "rs485-1": .serial(device: "/dev/pts/7"), "io": .tcp(host: "127.0.0.1", port: 41001),
            "meter-gateway": .tcp(host: "127.0.0.1", port: 41002),
        ],
        reportInterval: .seconds(2), heartbeatInterval: .seconds(2),
        thresholds: [
            .occupancy: ThresholdOverride(holdFor: .seconds(3)), .fuelAutonomy: ThresholdOverride(warning: 30),
        ])

    @Test("the reference site summary names gateway, shelter, buses and devices")
    func summary() throws {
        let summary = try SiteSummary(text: try Self.referenceSite(), subject: "reference.toml")
        #expect(summary.gatewayID == "gw-smx-hb-0007")
        #expect(summary.shelterID == "SMX-HB-0007")
        #expect(summary.buses == ["rs485-1": "serial", "meter-gateway": "tcp", "io": "tcp"])
        #expect(summary.devices["genset"] == "rs485-1")
        #expect(summary.devices["io"] == "io")
        #expect(summary.devices.count == 13)
    }

    @Test("the agent copy points at this run's registry, PKI, state directory and simulator")
    func agentCopy() throws {
        let text = try Self.patch.apply(to: try Self.referenceSite(), subject: "reference.toml")
        let root = try TOMLDecoderProbe.table(text)
        let gateway = try #require(root["gateway"]?.object)
        #expect(gateway["registry_url"] == .string("https://localhost:40123/"))
        #expect(gateway["state_directory"] == .string("/tmp/run/state"))
        #expect(gateway["client_key"] == .string("/tmp/run/pki/gw.key"))
        #expect(gateway["id"] == .string("gw-smx-hb-0007"))  // untouched
        #expect(gateway["heartbeat_interval_seconds"] == .number(2))
        let buses = try #require(root["buses"]?.arrayValue)
        #expect(buses.map { $0["name"] } == [.string("rs485-1"), .string("meter-gateway"), .string("io")])
        #expect(buses[0]["device"] == .string("/dev/pts/7"))
        #expect(buses[0]["baud"] == .number(9600))
        #expect(buses[2]["host"] == .string("127.0.0.1"))
        #expect(buses[2]["port"] == .number(41001))
        #expect(root["reporting_interval_seconds"]?["activated"] == .number(2))
        #expect(root["reporting_interval_seconds"]?["out_of_service"] == .number(2))
        #expect(root["thresholds"]?["C-01"]?["hold_for_seconds"] == .number(3))
        #expect(root["thresholds"]?["C-01"]?["warning"] == .number(0.85))  // the site's own value stays
        #expect(root["thresholds"]?["C-13"]?["warning"] == .number(30))
        #expect(root["devices"]?.arrayValue?.count == 13)
        #expect(root["record"]?["capacity_persons"] == .number(2000))
    }

    @Test("a simulator copy without a real bus drops its devices and bindings")
    func removedBus() throws {
        var patch = Self.patch
        patch.buses["rs485-1"] = nil
        patch.removedBuses = ["rs485-1"]
        let root = try TOMLDecoderProbe.table(try patch.apply(to: try Self.referenceSite(), subject: "reference.toml"))
        #expect(root["buses"]?.arrayValue?.count == 2)
        #expect(root["devices"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["mains-meter", "io"])
        let boundDevices = Set(root["bindings"]?.arrayValue?.compactMap { $0["device"]?.stringValue } ?? [])
        #expect(boundDevices == ["mains-meter", "io"])
    }

    @Test("the patched copies pass the agent's own site validation")
    func patchedCopiesValidate() throws {
        let dir = try FileSystem.makeTemporaryDirectory(prefix: "/tmp/shelter-hil-test-")
        defer { FileSystem.removeTree(dir) }
        try FileSystem.makeDirectory("\(dir)/sites")
        try FileSystem.link("\(dir)/profiles", to: "\(Self.repositoryRoot)/Firmware-Config/profiles")
        var simulatorCopy = Self.patch
        simulatorCopy.removedBuses = ["rs485-1"]
        simulatorCopy.buses["rs485-1"] = nil
        for (name, patch) in [("agent", Self.patch), ("simulator", simulatorCopy)] {
            let path = "\(dir)/sites/\(name).toml"
            try FileSystem.write(try patch.apply(to: try Self.referenceSite(), subject: "reference.toml"), to: path)
            switch SiteConfigurationLoader(checksFiles: false).load(siteFile: path) {
            case .success(let site):
                #expect(site.record.id == "SMX-HB-0007")
            case .failure(let error):
                Issue.record("\(name) copy refused: \(error.issues.map(\.description).joined(separator: "; "))")
            }
        }
    }

    @Test("patching a bus the site does not have is an error naming it")
    func unknownBus() throws {
        var patch = Self.patch
        patch.buses["rs485-9"] = .serial(device: "/dev/ttyUSB3")
        #expect(throws: ScenarioError.self) { try patch.apply(to: try Self.referenceSite(), subject: "reference.toml") }
    }
}

/// Reads patched TOML back as JSON-like values, so the tests compare plain values.
enum TOMLDecoderProbe {
    static func table(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(TOMLTable(string: text).convert(to: .json).utf8))
    }
}

extension JSONValue {
    var object: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}
