import FoundationEssentials
import ShelterCore
import ShelterRuntime
import ShelterTesting
import Testing

/// Issue 11 item 6: a site file copied away from its profiles. Before, every device said "no profile has this
/// name (fix: add profiles/NAME.toml)", which names neither the directory searched nor `--profiles`.
@Suite struct ProfileLookupTests {
    static var reference: String { FixturePaths.firmwareConfig + "/sites/reference.toml" }

    /// `path` as issues show it: absolute, without `//`, `.` or `..`.
    static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    /// The reference site copied to `<tmp>/copied/site.toml`: its profiles are looked up in `<tmp>/profiles`.
    static func copiedSite(in directory: TemporaryDirectory) throws -> String {
        try FileManager.default.createDirectory(atPath: directory.file("copied"), withIntermediateDirectories: true)
        let site = directory.file("copied/site.toml")
        #expect(FileHelpers.write(FileHelpers.read(reference) ?? "", to: site))
        return site
    }

    @Test("a site copied elsewhere whose profiles are not found names the directory searched and --profiles")
    func copiedSiteNamesTheDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "profile-lookup")
        let site = try Self.copiedSite(in: directory)
        guard case .failure(let error) = SiteConfigurationLoader(checksFiles: false).load(siteFile: site) else {
            Issue.record("the copied site loaded without its profiles")
            return
        }
        let searched = Self.normalized(directory.file("profiles"))
        let profileIssues = error.issues.filter { $0.keyPath.hasSuffix(".profile") }
        #expect(profileIssues.count == 13, "\(error.issues)")
        #expect(error.issues.count == profileIssues.count, "only the profiles are missing: \(error.issues)")
        let first = try #require(profileIssues.first)
        #expect(first.keyPath == "devices[0].profile")
        #expect(first.value == "\"deepsea-dse7320\"")
        #expect(first.message == "no such profile file: \(searched)/deepsea-dse7320.toml (no such directory)")
        #expect(
            first.fix
                == "profiles are looked up in \(searched) (profiles/ beside the site file's directory): copy the "
                + "profiles there, or give --profiles the directory that holds them")
        #expect(!error.issues.contains { $0.message == "no profile has this name" })
        let chinese = first.text(in: .zhCN)
        #expect(chinese.contains("设备配置文件不存在：\(searched)/deepsea-dse7320.toml（该目录不存在）"), "\(chinese)")
        #expect(chinese.contains("--profiles") && chinese.contains("修改方法"), "\(chinese)")

        // The fix works: --profiles with the shipped directory.
        let fixed = SiteConfigurationLoader(
            profileDirectory: FixturePaths.firmwareConfig + "/profiles", checksFiles: false)
        #expect((try? fixed.load(siteFile: site).get()) != nil)
    }

    @Test("a --profiles directory without the site's profiles says it was given by --profiles")
    func givenDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "profile-lookup")
        let site = try Self.copiedSite(in: directory)
        let loader = SiteConfigurationLoader(profileDirectory: directory.path, checksFiles: false)
        guard case .failure(let error) = loader.load(siteFile: site) else {
            Issue.record("loaded without profiles")
            return
        }
        let first = try #require(error.issues.first)
        let given = Self.normalized(directory.path)
        #expect(first.message == "no such profile file: \(given)/deepsea-dse7320.toml")
        #expect(first.fix.hasPrefix("profiles are looked up in \(given), given by --profiles: "))
        #expect(ConfigIssueText.fix(first.fix) == .profilesLookedUpIn(directory: given, isGiven: true))
    }
}
