import ShelterCore
import ShelterRuntime
import Testing

/// Issue 12 items 2 and 9: hostile values in a site or profile file give one issue per key, with its path and
/// fix, and the file's other problems are still listed; nothing traps.
@Suite struct ConfigurationGapsTests {
    static let site = FileHelpers.read(FixturePaths.configs + "/plan-bridges-gaps/site.toml") ?? ""
    static let profile = FileHelpers.read(FixturePaths.configs + "/profiles/test-meter.toml") ?? ""

    /// `site` with `replacement` put in place of `original` (which must occur).
    static func site(replacing original: String, with replacement: String) -> String {
        #expect(site.contains(original), "fixture lacks \(original)")
        return site.replacing(original, with: replacement)
    }

    static func issues(_ siteText: String, profile: String = profile) -> [ConfigurationIssue] {
        let result = SiteConfigurationLoader(checksFiles: false)
            .load(siteText: siteText, file: "site.toml", profileTexts: ["test-meter": profile])
        if case .failure(let error) = result { return error.issues }
        return []
    }

    @Test func theFixtureIsValid() { #expect(Self.issues(Self.site).isEmpty) }

    /// Before: "cannot read the file's structure: …invalidValue(nan…" with no key path, and nothing else.
    @Test(arguments: ["nan", "inf", "-inf", "+nan"])
    func nanAndInfinityAreOneIssuePerKeyAndTheOthersAreStillListed(_ word: String) {
        var text = Self.site(
            replacing: "effective_area_square_metres = 3000", with: "effective_area_square_metres = \(word)")
        text = text.replacing("height_metres = 2", with: "height_metres = \(word)")
        text = text.replacing("unit_id = 9", with: "unit_id = 300")  // an unrelated mistake
        let issues = Self.issues(text)
        #expect(
            issues.map(\.keyPath).sorted() == [
                "devices[1].unit_id", "record.effective_area_square_metres", "record.water_tanks[0].height_metres",
            ])
        let area = issues.first { $0.keyPath == "record.effective_area_square_metres" }
        #expect(area?.message == "not a finite number")
        #expect(area?.value == String(Double(word.replacing("+", with: "")) ?? 0))
        #expect(area?.fix.hasPrefix("write a finite number") == true)
    }

    @Test func nanInAProfileNamesTheProfileAndItsKey() {
        let profile = Self.profile.replacing("scale = 0.001", with: "scale = nan")
        let issues = Self.issues(Self.site, profile: profile)
        #expect(issues.map(\.keyPath) == ["points[1].scale"])
        #expect(issues.first?.file == "test-meter.toml")
    }

    /// Before: 1e-320 s was accepted and the bus worker burnt 75 % of a core.
    @Test(arguments: ["1e-320", "0", "0.05", "86401"])
    func pollIntervalsHaveAFloorAndACeilingThatSayWhy(_ value: String) {
        let text = Self.site(replacing: "unit_id = 9\n", with: "unit_id = 9\npoll_interval_seconds = \(value)\n")
        let issues = Self.issues(text)
        #expect(issues.map(\.keyPath) == ["devices[1].poll_interval_seconds"])
        #expect(issues.first?.message == "out of range")
        #expect(issues.first?.fix.hasPrefix("use a value from 0.1 to 86400 s: below 0.1 s the bus worker") == true)
    }

    @Test func theFloorsThemselvesAreAccepted() {
        let text =
            Self.site(
                replacing: "unit_id = 9\n",
                with: "unit_id = 9\npoll_interval_seconds = 0.1\nresponse_timeout_milliseconds = 10\n")
            + "\n[reporting_interval_seconds]\nstandby = 1\ndrill = 86400\n"
        #expect(Self.issues(text).isEmpty)
    }

    @Test func responseTimeoutsHaveAFloorThatSaysWhy() {
        let text = Self.site(replacing: "unit_id = 9\n", with: "unit_id = 9\nresponse_timeout_milliseconds = 1\n")
        let issues = Self.issues(text)
        #expect(issues.map(\.keyPath) == ["devices[1].response_timeout_milliseconds"])
        #expect(issues.first?.fix.contains("below 10 ms even a device on the local network misses its replies") == true)
    }

    @Test func reportingIntervalsAreTypedWithDrillAndHaveAFloor() throws {
        let text = Self.site + "\n[reporting_interval_seconds]\nstandby = 600\ndrill = 5\n"
        let configuration = try SiteConfigurationLoader(checksFiles: false)
            .load(siteText: text, file: "site.toml", profileTexts: ["test-meter": Self.profile]).get()
        #expect(configuration.reportingIntervals.interval(for: .standby) == .seconds(600))
        #expect(
            configuration.reportingIntervals.interval(for: LifecycleStatus(state: .standby, isDrill: true))
                == .seconds(5))
        #expect(configuration.reportingIntervals.interval(for: .alerted) == .seconds(300))
        #expect(configuration.reportingIntervals.drill == .seconds(5))

        let bad = Self.issues(Self.site + "\n[reporting_interval_seconds]\nstandby = 0.001\nexercise = 60\n")
        #expect(bad.map(\.keyPath) == ["reporting_interval_seconds.exercise", "reporting_interval_seconds.standby"])
        #expect(
            bad.first?.fix == "use one of "
                + (LifecycleState.allCases.map(\.rawValue) + ["drill"]).joined(separator: ", "))
        #expect(bad.last?.fix.hasPrefix("use a value from 1 to 86400 s: below 1 s a site floods") == true)
    }

    @Test func thresholdsAreKeyedByCheckID() throws {
        let text = Self.site + "\n[thresholds.\"C-01\"]\nwarning = 0.8\n[thresholds.\"C-03\"]\nwarning = 1\n"
        let issues = Self.issues(text)
        #expect(issues.map(\.keyPath) == ["thresholds.\"C-03\""])
        #expect(issues.first?.fix == "use one of " + CheckID.allCases.map(\.rawValue).joined(separator: ", "))
        let good = Self.site + "\n[thresholds.\"C-01\"]\nwarning = 0.8\n"
        let configuration = try SiteConfigurationLoader(checksFiles: false)
            .load(siteText: good, file: "site.toml", profileTexts: ["test-meter": Self.profile]).get()
        #expect(configuration.thresholds[.occupancy]?.warning == 0.8)
    }

    /// Issue 12 item 2 through the loader: the invisible character is a syntax error of the file.
    @Test func anInvisibleCharacterInAnArrayIsAConfigIssueWithLineAndColumn() {
        let broken = Self.site(
            replacing: "capacity_persons = 2000\n",
            with: "capacity_persons = 2000\nother_facilities = [\"a\",\u{2028} \"b\"]\n")
        let issues = Self.issues(broken)
        #expect(issues.count == 1)
        #expect(issues.first?.keyPath == "")
        let line =
            Self.site.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0 == "capacity_persons = 2000" }.map { $0 + 2 } ?? 0
        #expect(issues.first?.message.hasPrefix("TOML syntax error at line \(line), column 25: ") == true)
        #expect(
            issues.first?.message.hasSuffix("invisible character U+2028 (LINE SEPARATOR) outside a string or comment")
                == true)
        #expect(issues.first?.fix.hasPrefix("delete it") == true)
    }

    @Test func aOneCharacterPerRegisterStringIsDeclaredInAProfile() throws {
        let profile =
            Self.profile + """

                [[points]]
                name = "serial"
                function = "holding"
                address = 0x5000
                type = "STRING7"
                string_layout = "low_byte"
                """
        let configuration = try SiteConfigurationLoader(checksFiles: false)
            .load(siteText: Self.site, file: "site.toml", profileTexts: ["test-meter": profile]).get()
        let point = try #require(configuration.device(named: "meter")?.profile.point(named: "serial"))
        #expect(point.type == .string(registers: 7, layout: .lowByte))

        let wrong = Self.issues(Self.site, profile: profile.replacing("\"low_byte\"", with: "\"low\""))
        #expect(wrong.map(\.keyPath) == ["points[4].string_layout"])
        let notString = Self.issues(
            Self.site, profile: profile.replacing("type = \"STRING7\"", with: "type = \"UINT16\""))
        #expect(notString.map(\.keyPath) == ["points[4].string_layout"])
    }
}
