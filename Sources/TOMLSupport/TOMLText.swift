public import TOMLKit

/// The one way project code reads TOML text: site, profile, scenario, value-script and site-patch files.
///
/// Runs `TOMLPreflight` first, then TOMLKit (toml++ 3.4 inside). toml++ traps (an assertion in debug
/// builds, undefined behaviour through `__builtin_unreachable` in release builds) on some broken input
/// instead of reporting it; the preflight reports every such input found by fuzzing as a syntax error with
/// line and column, so that text never reaches the parser. `Scripts/check-imports` keeps `TOMLTable(string:)`
/// and `TOMLDecoder` string decoding out of every other module.
///
/// Stateless; safe from any thread.
public enum TOMLText {
    /// Parses TOML text into a table.
    /// - Parameter text: the whole document (UTF-8 already decoded; a NUL anywhere is refused, because
    ///   TOMLKit passes the text to C as a NUL-terminated string and would read only the part before it).
    /// - Returns: the document's root table.
    /// - Throws: `TOMLSyntaxError` with line, column, message and fix. Never traps, whatever the text.
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        if let problem = TOMLPreflight.firstProblem(in: text) { throw problem }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TOMLSyntaxError(
                line: error.source.begin.line, column: error.source.begin.column, message: error.description)
        } catch {
            throw TOMLSyntaxError(line: 1, column: 1, message: "cannot parse TOML: \(error)")
        }
    }

    /// Parses TOML text and decodes it with TOMLKit's `TOMLDecoder`.
    /// - Parameters:
    ///   - type: the raw file type.
    ///   - text: the document.
    ///   - strictDecoding: report keys `type` does not declare (TOMLKit's `UnexpectedKeysError`). Default `true`.
    /// - Throws: `TOMLSyntaxError` when the text is not TOML; TOMLKit's `UnexpectedKeysError` or a
    ///   `DecodingError` (with its coding path) when it does not fit `type`.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String, strictDecoding: Bool = true) throws -> T
    {
        let table = try parse(text)
        return try TOMLDecoder(strictDecoding: strictDecoding).decode(type, from: table)
    }
}
