import Testing

@testable import ShelterCore

@Suite("Language: --lang values and the locale")
struct LanguageTests {
    @Test(
        "--lang values and tags",
        arguments: [
            ("zh-CN", Language.zhCN), ("zh_CN", .zhCN), ("zh", .zhCN), ("ZH-cn", .zhCN), ("zh-Hans-CN", .zhCN),
            ("en", .en), ("en-US", .en), ("en_GB", .en),
        ])
    func tags(tag: String, expected: Language) {
        #expect(Language(tag: tag) == expected)
    }

    @Test("an unknown --lang value is refused", arguments: ["", "fr", "de-DE", "chinese"])
    func unknownTags(tag: String) {
        #expect(Language(tag: tag) == nil)
    }

    @Test("the locale: zh_CN.UTF-8 gives Chinese, C and unset give English, LC_ALL beats LANG")
    func environment() {
        #expect(Language.resolve(option: nil, environment: ["LANG": "zh_CN.UTF-8"]) == .zhCN)
        #expect(Language.resolve(option: nil, environment: ["LANG": "zh_CN.GB18030@stroke"]) == .zhCN)
        #expect(Language.resolve(option: nil, environment: [:]) == .en)
        #expect(Language.resolve(option: nil, environment: ["LANG": "C.UTF-8"]) == .en)
        #expect(Language.resolve(option: nil, environment: ["LANG": "fr_FR.UTF-8"]) == .en)
        #expect(Language.resolve(option: nil, environment: ["LC_ALL": "C", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.resolve(option: nil, environment: ["LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"]) == .zhCN)
        #expect(Language.resolve(option: nil, environment: ["LC_ALL": "", "LANG": "zh_CN.UTF-8"]) == .zhCN)
        #expect(Language.resolve(option: .en, environment: ["LC_ALL": "zh_CN.UTF-8"]) == .en)
    }

    @Test("CAP language codes")
    func capCodes() {
        #expect(Language.zhCN.capCode == "zh-CN")
        #expect(Language.en.capCode == "en-US")
    }
}
