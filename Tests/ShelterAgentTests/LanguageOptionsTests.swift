import ArgumentParser
import ShelterCore
import Testing

@testable import shelter_agent

@Suite("--lang: the language of what a command prints")
struct LanguageOptionsTests {
    @Test("--lang takes zh-CN and en in the spellings people type; without it the locale decides")
    func parsing() throws {
        #expect(try LanguageOptions.parse(["--lang", "zh-CN"]).resolved(environment: [:]) == .zhCN)
        #expect(try LanguageOptions.parse(["--lang", "zh_CN"]).resolved(environment: [:]) == .zhCN)
        #expect(try LanguageOptions.parse(["--lang", "en"]).resolved(environment: ["LANG": "zh_CN.UTF-8"]) == .en)
        #expect(try LanguageOptions.parse([]).resolved(environment: ["LANG": "zh_CN.UTF-8"]) == .zhCN)
        #expect(try LanguageOptions.parse([]).resolved(environment: [:]) == .en)
    }

    @Test("an unknown --lang value is refused with the valid values named")
    func refusal() {
        do {
            _ = try LanguageOptions.parse(["--lang", "fr"])
            Issue.record("--lang fr parsed")
        } catch {
            #expect(
                LanguageOptions.message(for: error)
                    == "The value 'fr' is invalid for '--lang <language>'. Please provide one of 'zh-CN' and 'en'.")
            #expect(LanguageOptions.exitCode(for: error).rawValue == ExitStatus.usage.rawValue)
        }
    }
}
