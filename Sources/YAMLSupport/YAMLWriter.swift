/// Writes YAML text by hand, so files that Triangulate writes have a stable, readable layout
/// (keys in a fixed order, quoting only where YAML needs it) and diff cleanly in git.
public struct YAMLWriter {
    public private(set) var text = ""

    public init() {}

    /// `key: value` at the given indentation, the value quoted when YAML would misread it.
    public mutating func scalar(_ key: String, _ value: String, indent: Int = 0, listItem: Bool = false) {
        let body = value.hasSuffix("\n") ? String(value.dropLast()) : value
        if body.contains("\n"), let first = body.first, first != " ", !body.hasSuffix("\n"),
           !body.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) {
            // A literal block keeps multi-line text (SQL queries, quotes) readable; `|-` drops
            // the final newline the value does not have.
            line("\(key): \(value.hasSuffix("\n") ? "|" : "|-")", indent: indent, listItem: listItem)
            for bodyLine in body.split(separator: "\n", omittingEmptySubsequences: false) {
                text += bodyLine.isEmpty ? "\n" : String(repeating: " ", count: indent + 2) + bodyLine + "\n"
            }
        } else {
            line("\(key): \(Self.quoted(value))", indent: indent, listItem: listItem)
        }
    }

    public mutating func raw(_ key: String, _ value: String, indent: Int = 0, listItem: Bool = false) {
        line("\(key): \(value)", indent: indent, listItem: listItem)
    }

    public mutating func flowList(_ key: String, _ values: [String], indent: Int = 0) {
        line("\(key): [\(values.map(Self.quoted).joined(separator: ", "))]", indent: indent, listItem: false)
    }

    public mutating func key(_ key: String, indent: Int = 0, listItem: Bool = false) {
        line("\(key):", indent: indent, listItem: listItem)
    }

    public mutating func comment(_ comment: String) {
        text += "# \(comment)\n"
    }

    private mutating func line(_ content: String, indent: Int, listItem: Bool) {
        if listItem {
            text += String(repeating: " ", count: max(0, indent - 2)) + "- " + content + "\n"
        } else {
            text += String(repeating: " ", count: indent) + content + "\n"
        }
    }

    /// The value as a YAML scalar: plain when that reads back as the same string, otherwise
    /// double-quoted with escapes.
    public static func quoted(_ value: String) -> String {
        if isSafePlain(value) { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func isSafePlain(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return false }
        if first == " " || last == " " { return false }
        if "-?:,[]{}#&*!|>'\"%@`~".unicodeScalars.contains(first) { return false }
        if value.contains(": ") || value.contains(" #") || value.hasSuffix(":") { return false }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\u{7F}" }) { return false }
        let lowered = value.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(lowered) { return false }
        if Double(value) != nil || Int(value) != nil { return false }
        if value.hasPrefix("0x") || value.hasPrefix("0o") || value.hasPrefix(".") { return false }
        return true
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
