import Core
/// Renders a table as JSON, pretty-printed with two spaces, byte for byte the same for the same table.
///
/// The document is one object whose keys always appear in this order:
/// ```
/// {
///   "title": "…" or null,
///   "columns": [{"key": …, "header": …, "alignment": "left" | "right" | "center", "wraps": bool}, …],
///   "rows": [{"<column key>": <cell value>, …}, …],
///   "notes": ["…", …],
///   "provenance": {"<key>": "<value>", …}
/// }
/// ```
/// Row objects list their keys in column order and hold each cell's `value` (not its text);
/// provenance keys keep the table's order; objects inside cell values have their keys sorted by
/// Unicode scalar values. The encoder is written by hand, rather than with `JSONSerialization` or
/// `JSONEncoder`, so that key order, number spelling and escaping never depend on the platform.
/// Integers are written in decimal; doubles in Swift's shortest round-trip spelling (`0.1`,
/// `1e-300`, `5.0`, `-0.0`), which is locale-free and reads back as the same double; infinities,
/// which JSON cannot hold, become the strings `"inf"` and `"-inf"` (an interval's open end is a
/// value, not a missing one), and NaN becomes `null`. Provenance keys are written in snake_case
/// (`dataset hf-2022` → `dataset_hf_2022`), as every key the tool writes. Strings are escaped per RFC 8259 (`"`, `\`,
/// and control characters, as `\n`-style or `\u00XX` escapes), plus U+2028 and U+2029 so the text
/// is also a valid JavaScript literal; all other characters stay UTF-8.
public struct JSONRenderer: TableRenderer {
    /// A JSON renderer.
    public init() {}

    public func render(_ table: ReportTable) -> String {
        let columns: [JSONNode] = table.columns.map { column in
            .object([
                ("key", .string(column.key)),
                ("header", .string(column.header)),
                ("alignment", .string(column.alignment.rawValue)),
                ("wraps", .bool(column.wraps)),
            ])
        }
        let rows: [JSONNode] = table.rows.indices.map { index in
            .object(zip(table.columns, table.cells(ofRow: index)).map { column, cell in
                (column.key, JSONNode(cell.value))
            })
        }
        let document = JSONNode.object([
            ("title", table.title.map(JSONNode.string) ?? .null),
            ("columns", .array(columns)),
            ("rows", .array(rows)),
            ("notes", .array(table.notes.map(JSONNode.string))),
            ("provenance", .object(table.provenance.map { (SnakeCase.key($0.key), .string($0.value)) })),
        ])
        var output = ""
        document.write(to: &output, indentation: 0)
        return output + "\n"
    }
}

/// A JSON value whose object members keep the order they were given in.
enum JSONNode {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    /// The JSON form of a cell value; object keys sorted by Unicode scalar values.
    init(_ value: CellValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .integer(let i): self = .integer(i)
        case .number(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let elements): self = .array(elements.map(JSONNode.init))
        case .object(let members):
            let sorted = members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            self = .object(sorted.map { ($0.key, JSONNode($0.value)) })
        }
    }

    /// Appends this value, pretty-printed, with nested lines indented two spaces per level.
    func write(to output: inout String, indentation: Int) {
        switch self {
        case .null:
            output += "null"
        case .bool(let b):
            output += b ? "true" : "false"
        case .integer(let i):
            output += String(i)
        case .number(let d):
            if d.isFinite {
                output += d.description
            } else if d.isInfinite {
                output += d < 0 ? "\"-inf\"" : "\"inf\""
            } else {
                output += "null"
            }
        case .string(let s):
            Self.writeString(s, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += String(repeating: " ", count: indentation + 2)
                element.write(to: &output, indentation: indentation + 2)
                output += index + 1 < elements.count ? ",\n" : "\n"
            }
            output += String(repeating: " ", count: indentation) + "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{\n"
            for (index, (key, value)) in members.enumerated() {
                output += String(repeating: " ", count: indentation + 2)
                Self.writeString(key, to: &output)
                output += ": "
                value.write(to: &output, indentation: indentation + 2)
                output += index + 1 < members.count ? ",\n" : "\n"
            }
            output += String(repeating: " ", count: indentation) + "}"
        }
    }

    /// Appends this value on one line, without spaces (for a CSV field).
    func writeCompact(to output: inout String) {
        switch self {
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.writeCompact(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                value.writeCompact(to: &output)
            }
            output += "}"
        default:
            write(to: &output, indentation: 0)
        }
    }

    /// Appends `text` as a JSON string literal.
    static func writeString(_ text: String, to output: inout String) {
        output += JSONText.string(text)
    }
}

/// snake_case keys: the spelling of every key in the tool's JSON.
public enum SnakeCase {
    /// `text` in snake_case: lower-case ASCII letters and digits, every other run of characters
    /// one underscore, none at either end ("dataset hf-2022 sha256" → "dataset_hf_2022_sha256",
    /// "pValue" → "p_value"). Non-ASCII letters are kept, lower-cased.
    public static func key(_ text: String) -> String {
        var result = ""
        var pendingSeparator = false
        var previousWasLowerOrDigit = false
        for character in text {
            if character.isLetter || character.isNumber {
                if character.isUppercase && previousWasLowerOrDigit {
                    pendingSeparator = true
                }
                if pendingSeparator && !result.isEmpty {
                    result += "_"
                }
                pendingSeparator = false
                result += character.lowercased()
                previousWasLowerOrDigit = character.isLowercase || character.isNumber
            } else {
                pendingSeparator = true
                previousWasLowerOrDigit = false
            }
        }
        return result
    }

    /// Whether `key` is already snake_case.
    public static func isSnakeCase(_ key: String) -> Bool {
        !key.isEmpty && key == Self.key(key)
    }
}
