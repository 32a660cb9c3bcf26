import ArgumentParser
import ShelterCore

/// `--lang zh-CN|en`: the language of what a command prints (issue 16 item 3). Not yet wired into the
/// commands: a command adds `@OptionGroup var language: LanguageOptions` and prints with
/// `language.resolved(environment:)`.
struct LanguageOptions: ParsableArguments {
    @Option(
        name: .customLong("lang"),
        help: ArgumentHelp(
            "Language of the output: zh-CN or en.",
            discussion: "Without it, LC_ALL, LC_MESSAGES or LANG decide (zh_CN.UTF-8 gives Chinese); else English.",
            valueName: "language"))
    var language: LanguageArgument?

    /// The language to print in: `--lang` if given, else the locale in `environment`, else English.
    func resolved(environment: [String: String]) -> Language {
        Language.resolve(option: language?.language, environment: environment)
    }
}

/// A `--lang` value: `zh-CN`, `zh_CN`, `zh`, `en`, `en-US` … (see `Language.init(tag:)`).
struct LanguageArgument: ExpressibleByArgument, Sendable {
    var language: Language

    init?(argument: String) {
        guard let language = Language(tag: argument) else { return nil }
        self.language = language
    }

    static var allValueStrings: [String] { Language.allCases.map(\.rawValue) }
}
