/// TOML text that cannot be read: where (line and column, 1-based; columns count characters) and what.
///
/// Thrown by `TOMLText.parse(_:)`, both for problems the preflight screens out before toml++ sees the text
/// and for toml++'s own parse errors. Callers turn it into their file's issue type with the file name.
public struct TOMLSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Line of the problem, 1-based.
    public var line: Int
    /// Column of the problem, 1-based, in characters (Unicode scalars) from the start of the line.
    public var column: Int
    /// What is wrong, e.g. `"invisible character U+2028 (LINE SEPARATOR) outside a string or comment"`.
    public var message: String
    /// How to fix it, e.g. `"delete it; …"`.
    public var fix: String

    /// Creates an error.
    public init(line: Int, column: Int, message: String, fix: String = "correct the TOML syntax at that position") {
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
    }

    /// `TOML syntax error at line L, column C: message`.
    public var description: String { "TOML syntax error at line \(line), column \(column): \(message)" }
}
