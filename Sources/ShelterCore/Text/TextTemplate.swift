/// One text of a catalog entry in one language: literal pieces and typed arguments, written as a string
/// literal with interpolations (`"\(.persons(n)) present"`). Only `TextArgument`s and other catalog entries
/// can be interpolated, so every value in a text is formatted per language and listed in `arguments`, which
/// the catalog test compares between the two languages.
public struct TextTemplate: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// A piece of a template.
    public enum Segment: Sendable, Hashable {
        /// Text written in the catalog.
        case literal(String)
        /// A value, formatted per language when rendered.
        case argument(TextArgument)
    }

    /// The pieces in order.
    public var segments: [Segment]

    public init(stringLiteral value: String) { segments = [.literal(value)] }

    public init(stringInterpolation: StringInterpolation) { segments = stringInterpolation.segments }

    /// The interpolations a template literal accepts.
    public struct StringInterpolation: StringInterpolationProtocol {
        var segments: [Segment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            segments.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { segments.append(.literal(literal)) }
        }

        /// A typed value.
        public mutating func appendInterpolation(_ argument: TextArgument) { segments.append(.argument(argument)) }

        /// Another catalog entry, rendered in the same language (e.g. a reason inside a summary).
        public mutating func appendInterpolation(_ entry: some CatalogEntry) {
            segments.append(.argument(.entry(AnyCatalogEntry(entry))))
        }
    }

    /// The arguments in order of appearance.
    public var arguments: [TextArgument] {
        segments.compactMap { if case .argument(let a) = $0 { a } else { nil } }
    }

    /// The text in `language`, each argument formatted for it.
    public func render(_ language: Language) -> String {
        var text = ""
        for segment in segments {
            switch segment {
            case .literal(let literal): text += literal
            case .argument(let argument): text += argument.render(language)
            }
        }
        return text
    }
}

/// The two texts of one catalog entry. Both are required by the initialiser, so an entry cannot lack a
/// language; `CatalogTests` checks that both take the same arguments.
public struct Bilingual: Sendable, Hashable {
    /// 简体中文.
    public var zh: TextTemplate
    /// English.
    public var en: TextTemplate

    public init(zh: TextTemplate, en: TextTemplate) {
        self.zh = zh
        self.en = en
    }

    /// The template for `language`.
    public subscript(language: Language) -> TextTemplate {
        switch language {
        case .zhCN: zh
        case .en: en
        }
    }
}

/// A message of the catalog: a typed key whose associated values are its arguments, with a zh-CN and an en
/// text (`texts`). Conforming types are enums whose `texts` switch over every case, so the compiler makes
/// each key give both languages.
public protocol CatalogEntry: Sendable, Hashable {
    /// The zh-CN and en texts with this entry's arguments.
    var texts: Bilingual { get }
}

extension CatalogEntry {
    /// The text in `language`.
    public func text(in language: Language) -> String { texts[language].render(language) }
}

/// A type-erased catalog entry, so entries can nest as arguments.
public struct AnyCatalogEntry: Sendable, Hashable {
    /// The entry.
    public let base: any CatalogEntry

    public init(_ base: some CatalogEntry) { self.base = base }

    public static func == (lhs: AnyCatalogEntry, rhs: AnyCatalogEntry) -> Bool {
        lhs.base.texts == rhs.base.texts
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(base.texts) }
}

extension TextTemplate {
    /// The two templates one after the other, for texts too long for one source line.
    public static func + (lhs: TextTemplate, rhs: TextTemplate) -> TextTemplate {
        TextTemplate(segments: lhs.segments + rhs.segments)
    }

    init(segments: [Segment]) { self.segments = segments }
}
