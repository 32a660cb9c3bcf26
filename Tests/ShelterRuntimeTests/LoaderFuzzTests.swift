import ShelterCore
import ShelterRuntime
import Testing

/// Broken input never crashes the loader: truncated and random TOML give issues, never a trap.
@Suite struct LoaderFuzzTests {
    static func reference() -> String {
        FileHelpers.read(FixturePaths.firmwareConfig + "/sites/reference.toml") ?? ""
    }

    @Test func truncatedSiteFilesGiveIssuesNotCrashes() {
        let text = Array(Self.reference().utf8)
        #expect(text.count > 5000)
        var failures = 0
        for cut in stride(from: 0, to: text.count, by: 97) {
            var issues: [ConfigurationIssue] = []
            let raw = SiteConfigurationLoader.parse(
                String(decoding: text[..<cut], as: UTF8.self), as: SiteFile.self, schema: .site, file: "cut",
                issues: &issues)
            guard let raw else {
                #expect(!issues.isEmpty, "no site and no issue at cut \(cut)")
                failures += 1
                continue
            }
            if case .failure(let error) = SiteConfiguration.validate(raw, file: "cut", profiles: [:]) {
                #expect(error.issues.allSatisfy { !$0.message.isEmpty })
                failures += 1
            }
        }
        // Without profiles no cut validates, so every one must have produced issues.
        #expect(failures == (text.count + 96) / 97)
    }

    @Test func randomBytesAndMutationsGiveIssuesNotCrashes() {
        var random = SeededRandom(seed: 20_261_129)  // deterministic, so failures reproduce
        let base = Array(Self.reference().utf8)
        let alphabet = Array("[]{}=\".,#\n 0123456789abcxyz_-+eE:'\\\t".utf8) + [0, 0xFF, 0xC3]
        for round in 0..<500 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int.random(in: 0...400, using: &random)).map { _ in
                    alphabet.randomElement(using: &random) ?? 0
                }
            } else {
                bytes = base
                for _ in 0..<Int.random(in: 1...20, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] = alphabet.randomElement(using: &random) ?? 0
                }
            }
            var issues: [ConfigurationIssue] = []
            let raw = SiteConfigurationLoader.parse(
                String(decoding: bytes, as: UTF8.self), as: SiteFile.self, schema: .site, file: "fuzz", issues: &issues)
            if raw == nil { #expect(!issues.isEmpty, "round \(round): no site and no issue") }
            if let raw {
                _ = SiteConfiguration.validate(raw, file: "fuzz", profiles: [:])
            }
        }
    }

    /// toml++ traps (assertion) on these inputs, found by the fuzz test; `TOMLPreflight` must report them.
    @Test(arguments: [
        ("[[\nx]]", "a table header must start with a key"), ("[\nx]", "a table header must start with a key"),
        ("a = 1\n[[#\n", "a table header must start with a key"), ("[.a]", "a table header must start with a key"),
        ("[]", "a table header must start with a key"), ("[[\r\nx]]", "a table header must start with a key"),
        ("a = [1, }", "'}' does not close the open '['"), ("a = { b = [ } ] }", "'}' does not close the open '['"),
        ("a = [ {b=1},}]", "'}' does not close the open '['"),
    ])
    func inputsThatTrapTomlPlusPlusAreSyntaxErrors(_ text: String, _ message: String) {
        var issues: [ConfigurationIssue] = []
        let raw = SiteConfigurationLoader.parse(text, as: SiteFile.self, schema: .site, file: "h.toml", issues: &issues)
        #expect(raw == nil)
        #expect(issues.count == 1)
        #expect(issues.first?.message.hasSuffix(message) == true)
    }

    @Test func valueArraysAndStringsAreNotMistakenForHeaders() {
        var issues: [ConfigurationIssue] = []
        let text = "[record]\nother_facilities = [\n  \"[\", \"}\",\n]\nzoning_plan = '''\n[[\n'''\n"
        let raw = SiteConfigurationLoader.parse(text, as: SiteFile.self, schema: .site, file: "v.toml", issues: &issues)
        #expect(issues.isEmpty)
        #expect(raw?.record?.otherFacilities == ["[", "}"])
        #expect(raw?.record?.zoningPlan == "[[\n")
    }

    @Test func syntaxErrorsCarryLineAndColumn() {
        var issues: [ConfigurationIssue] = []
        let raw = SiteConfigurationLoader.parse(
            "[gateway]\nid = \"gw\"\nstate_directory = = 3\n", as: SiteFile.self, schema: .site, file: "x.toml",
            issues: &issues)
        #expect(raw == nil)
        #expect(issues.count == 1)
        #expect(issues.first?.message.hasPrefix("TOML syntax error at line 3, column ") == true)
    }
}
