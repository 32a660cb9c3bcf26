/// A language the agent and the registry write text in (issue 16): Simplified Chinese for the people of
/// Sanmenxia, English as the fallback. Every catalog entry has a text in each.
///
/// `rawValue` is the `--lang` spelling (`"zh-CN"`, `"en"`); `capCode` is the CAP 1.2 `info/language` value
/// (RFC 3066: `"zh-CN"`, `"en-US"`).
public enum Language: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// 简体中文 (zh-CN).
    case zhCN = "zh-CN"
    /// English.
    case en

    /// The CAP 1.2 `info/language` value: `"zh-CN"` or `"en-US"`.
    public var capCode: String {
        switch self {
        case .zhCN: "zh-CN"
        case .en: "en-US"
        }
    }

    public var description: String { rawValue }

    /// Parses a `--lang` value or a language tag, case-insensitively, `-` and `_` alike: `zh`, `zh-CN`,
    /// `zh_CN`, `zh-Hans`, `zh-Hans-CN` → `.zhCN`; `en`, `en-US`, `en_GB` … → `.en`. Returns `nil` for anything
    /// else (the caller names the valid values: `Language.allCases`).
    public init?(tag: String) {
        let parts = tag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" })
        switch parts.first {
        case "zh"?: self = .zhCN
        case "en"?: self = .en
        default: return nil
        }
    }

    /// The language a POSIX locale value names: `zh_CN.UTF-8`, `zh_CN`, `zh_SG.GB18030` → `.zhCN`;
    /// `en_US.UTF-8` → `.en`; `nil` for `C`, `POSIX`, an empty value or another language (the codeset and
    /// `@modifier` are ignored).
    public init?(locale: String) {
        let name = locale.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        let bare = name.split(separator: "@", maxSplits: 1).first.map(String.init) ?? ""
        guard !bare.isEmpty, bare != "C", bare != "POSIX" else { return nil }
        self.init(tag: bare)
    }

    /// The reader's language: `option` (a `--lang` value already parsed) when given; else the first of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and non-empty, as POSIX orders them, if it names zh or en;
    /// else English (issue 16 item 3: "default English when neither says").
    /// - Parameter environment: the process environment (pass `ProcessInfo`'s or a test's dictionary).
    public static func resolve(option: Language?, environment: [String: String]) -> Language {
        if let option { return option }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[key], !value.isEmpty else { continue }
            // The first set variable decides, as in setlocale(3): LC_ALL=C means English even if LANG is zh.
            return Language(locale: value) ?? .en
        }
        return .en
    }
}
