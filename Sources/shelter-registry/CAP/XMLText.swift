import ShelterCore

/// A small XML writer: elements with escaped text and attributes, two-space indentation.
struct XMLText {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ raw: String) { text += raw + "\n" }

    mutating func open(_ name: String, attributes: [(String, String)] = []) {
        let attributeText = attributes.map { " \($0.0)=\"\($0.1.xmlEscaped)\"" }.joined()
        text += indent + "<\(name)\(attributeText)>\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        text += indent + "</\(name)>\n"
    }

    mutating func element(_ name: String, _ value: String, attributes: [(String, String)] = []) {
        let attributeText = attributes.map { " \($0.0)=\"\($0.1.xmlEscaped)\"" }.joined()
        text += indent + "<\(name)\(attributeText)>\(value.xmlEscaped)</\(name)>\n"
    }

    mutating func empty(_ name: String, attributes: [(String, String)]) {
        let attributeText = attributes.map { " \($0.0)=\"\($0.1.xmlEscaped)\"" }.joined()
        text += indent + "<\(name)\(attributeText)/>\n"
    }

    private var indent: String { String(repeating: "  ", count: depth) }
}
