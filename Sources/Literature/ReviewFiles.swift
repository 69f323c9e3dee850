import Core
import Foundation

/// A CSV study file read against a fixed header: each row's cells by column name, with the line
/// and column of every cell for error messages.
struct ReviewTable {
    struct Row {
        var line: Int
        var cells: [String: String]
        var columns: [String: Int]
        var file: String

        subscript(name: String) -> String { cells[name] ?? "" }

        /// Where the cell of `name` is; the column counts CSV fields, as a spreadsheet shows them.
        func location(of name: String) -> SourceLocation {
            SourceLocation(file: file, line: line, column: columns[name].map { $0 + 1 })
        }
    }

    var header: [String]
    var headerLine: Int
    var rows: [Row]

    /// Parses `text` and checks that its first row names every column in `required`; other
    /// columns are allowed only when `allowed` is nil or lists them. An empty file has no rows.
    static func parse(_ text: String, file: String, required: [String], allowed: [String]? = nil) throws -> ReviewTable {
        let records: [CSVText.Record]
        do {
            records = try CSVText.parse(text, file: file)
        } catch let error as FileError {
            throw LiteratureError.invalidEntry(
                error.location ?? SourceLocation(file: file), expected: "well-formed CSV", found: error.message)
        }
        guard let first = records.first else { return ReviewTable(header: required, headerLine: 1, rows: []) }
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        for name in required where !header.contains(name) {
            throw LiteratureError.invalidEntry(
                SourceLocation(file: file, line: first.line, column: 1),
                expected: "a header with the columns \(required.joined(separator: ",")) (missing '\(name)')",
                found: "'\(first.fields.joined(separator: ","))'")
        }
        if let allowed {
            for (index, name) in header.enumerated() where !allowed.contains(name) {
                throw LiteratureError.invalidEntry(
                    SourceLocation(file: file, line: first.line, column: index + 1),
                    expected: "one of the columns \(allowed.joined(separator: ", "))", found: "'\(name)'")
            }
        }
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if seen[name] != nil {
                throw LiteratureError.invalidEntry(
                    SourceLocation(file: file, line: first.line, column: index + 1),
                    expected: "each column once", found: "'\(name)' again (first in column \(seen[name]! + 1))")
            }
            seen[name] = index
        }
        var rows: [Row] = []
        for record in records.dropFirst() {
            if record.fields.count != header.count {
                throw LiteratureError.invalidEntry(
                    SourceLocation(file: file, line: record.line, column: 1),
                    expected: "\(header.count) fields as in the header", found: "\(record.fields.count)")
            }
            var cells: [String: String] = [:]
            for (name, value) in zip(header, record.fields) { cells[name] = value }
            rows.append(Row(line: record.line, cells: cells, columns: seen, file: file))
        }
        return ReviewTable(header: header, headerLine: first.line, rows: rows)
    }
}

/// RFC 4180 writing: a field is quoted only when it holds a comma, quote, CR or LF, or starts or
/// ends with a space; lines end with LF so files diff cleanly.
enum CSVLine {
    static func field(_ value: String) -> String {
        let needsQuotes = value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}

/// The small block-style YAML subset the review's settings files use: mappings, sequences
/// (including `- key: value` items), flow sequences of scalars (`[a, b]`), plain, single- and
/// double-quoted scalars and `#` comments.
///
/// The Literature module depends only on Core, so it cannot use Yams; the subset is enough for
/// `searches.yaml`, screening criteria and `extraction.yaml`, and every node keeps its location.
indirect enum ReviewYAML {
    case scalar(String, SourceLocation)
    case sequence([ReviewYAML], SourceLocation)
    case mapping([(key: String, value: ReviewYAML, keyLocation: SourceLocation)], SourceLocation)
    case null(SourceLocation)

    var location: SourceLocation {
        switch self {
        case .scalar(_, let location), .sequence(_, let location), .mapping(_, let location), .null(let location):
            return location
        }
    }

    var kind: String {
        switch self {
        case .scalar(let value, _): return "the text '\(value)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .null: return "nothing"
        }
    }

    func error(expected: String) -> LiteratureError {
        .invalidEntry(location, expected: expected, found: kind)
    }

    /// The entries of a mapping, checking that only `allowed` keys occur.
    func mapping(_ what: String, allowed: [String]) throws -> [String: ReviewYAML] {
        guard case .mapping(let entries, _) = self else { throw error(expected: "\(what) as a mapping") }
        var result: [String: ReviewYAML] = [:]
        for (key, value, keyLocation) in entries {
            guard allowed.contains(key) else {
                throw LiteratureError.invalidEntry(
                    keyLocation, expected: "one of the keys \(allowed.joined(separator: ", ")) in \(what)", found: "'\(key)'")
            }
            result[key] = value
        }
        return result
    }

    func list(_ what: String) throws -> [ReviewYAML] {
        switch self {
        case .sequence(let items, _): return items
        case .null: return []
        default: throw error(expected: "\(what) as a list")
        }
    }

    func string(_ what: String) throws -> String {
        guard case .scalar(let value, _) = self else { throw error(expected: "\(what) as text") }
        return value
    }

    static func required(_ key: String, in entries: [String: ReviewYAML], of owner: ReviewYAML, what: String) throws -> ReviewYAML {
        guard let value = entries[key], !value.isNull else {
            throw LiteratureError.invalidEntry(owner.location, expected: "a '\(key)' in \(what)", found: "none")
        }
        return value
    }

    var isNull: Bool { if case .null = self { return true } else { return false } }

    // MARK: Parsing

    private struct Line {
        var number: Int
        var indent: Int
        var text: Substring
    }

    static func parse(_ text: String, file: String) throws -> ReviewYAML {
        var lines: [Line] = []
        for (index, raw) in TextFile.lines(text).enumerated() {
            if raw.contains("\t"), raw.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                throw LiteratureError.invalidEntry(
                    SourceLocation(file: file, line: index + 1, column: 1), expected: "indentation with spaces", found: "a tab")
            }
            let stripped = stripComment(raw)
            let indent = stripped.prefix(while: { $0 == " " }).count
            let body = stripped.dropFirst(indent)
            if body.isEmpty || body == "---" { continue }
            lines.append(Line(number: index + 1, indent: indent, text: body))
        }
        var parser = Parser(lines: lines, file: file)
        guard !lines.isEmpty else { return .null(SourceLocation(file: file, line: 1, column: 1)) }
        let node = try parser.block(indent: lines[0].indent)
        if parser.position < lines.count {
            let line = lines[parser.position]
            throw LiteratureError.invalidEntry(
                SourceLocation(file: file, line: line.number, column: line.indent + 1),
                expected: "indentation matching an enclosing block", found: "'\(line.text)'")
        }
        return node
    }

    /// Drops a `#` comment that starts the line or follows a space, outside quoted scalars (a quote
    /// opens one only where a value starts, so the apostrophe in `it's` does not); trailing spaces go too.
    private static func stripComment(_ line: Substring) -> Substring {
        var quote: Character? = nil
        var previous: Character = " "
        var lastNonSpace: Character? = nil
        var escaped = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
            } else if (character == "\"" || character == "'"), lastNonSpace == nil || ":-[,".contains(lastNonSpace!) {
                quote = character
            } else if character == "#", previous == " " {
                return trimTrailing(line[..<index])
            }
            previous = character
            if character != " " { lastNonSpace = character }
            index = line.index(after: index)
        }
        return trimTrailing(line)
    }

    private static func trimTrailing(_ text: Substring) -> Substring {
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
        return text[..<end]
    }

    private struct Parser {
        var lines: [Line]
        var file: String
        var position = 0

        func location(_ line: Line, column: Int) -> SourceLocation {
            SourceLocation(file: file, line: line.number, column: column)
        }

        mutating func block(indent: Int) throws -> ReviewYAML {
            let line = lines[position]
            if line.text == "-" || line.text.hasPrefix("- ") { return try sequence(indent: indent) }
            return try mapping(indent: indent)
        }

        mutating func sequence(indent: Int) throws -> ReviewYAML {
            let start = lines[position]
            var items: [ReviewYAML] = []
            while position < lines.count, lines[position].indent == indent,
                lines[position].text == "-" || lines[position].text.hasPrefix("- ") {
                let line = lines[position]
                let rest = line.text.dropFirst(1).drop(while: { $0 == " " })
                let restIndent = indent + (line.text.count - rest.count)
                if rest.isEmpty {
                    position += 1
                    if position < lines.count, lines[position].indent > indent {
                        items.append(try block(indent: lines[position].indent))
                    } else {
                        items.append(.null(location(line, column: indent + 1)))
                    }
                } else if Self.keySplit(rest) != nil {
                    // `- key: value` opens a mapping whose further keys sit at the column of `key`.
                    lines[position] = Line(number: line.number, indent: restIndent, text: rest)
                    items.append(try mapping(indent: restIndent))
                } else {
                    items.append(try scalarOrFlow(rest, at: location(line, column: restIndent + 1)))
                    position += 1
                }
            }
            return .sequence(items, location(start, column: indent + 1))
        }

        mutating func mapping(indent: Int) throws -> ReviewYAML {
            let start = lines[position]
            var entries: [(key: String, value: ReviewYAML, keyLocation: SourceLocation)] = []
            var firstLine: [String: Int] = [:]
            while position < lines.count, lines[position].indent == indent {
                let line = lines[position]
                guard let (rawKey, rawValue) = Self.keySplit(line.text) else {
                    throw LiteratureError.invalidEntry(
                        location(line, column: indent + 1), expected: "'key: value'", found: "'\(line.text)'")
                }
                let keyLocation = location(line, column: indent + 1)
                let key = try Self.unquote(rawKey, at: keyLocation)
                if let first = firstLine[key] {
                    throw LiteratureError.invalidEntry(
                        location(line, column: indent + 1), expected: "each key once", found: "'\(key)' again (first at line \(first))")
                }
                firstLine[key] = line.number
                let valueColumn = indent + (line.text.count - rawValue.count) + 1
                position += 1
                if rawValue.isEmpty {
                    if position < lines.count, lines[position].indent > indent
                        || (lines[position].indent == indent && lines[position].text.hasPrefix("- ")) {
                        entries.append((key, try block(indent: lines[position].indent), keyLocation))
                    } else {
                        entries.append((key, .null(location(line, column: valueColumn)), keyLocation))
                    }
                } else {
                    entries.append((key, try scalarOrFlow(rawValue, at: location(line, column: valueColumn)), keyLocation))
                }
            }
            return .mapping(entries, location(start, column: indent + 1))
        }

        /// Splits `key: value` at the first `: ` (or trailing `:`) outside quotes.
        static func keySplit(_ text: Substring) -> (Substring, Substring)? {
            var quote: Character? = nil
            var index = text.startIndex
            while index < text.endIndex {
                let character = text[index]
                if let open = quote {
                    if character == open { quote = nil }
                } else if (character == "\"" || character == "'") && index == text.startIndex {
                    quote = character
                } else if character == ":" {
                    let next = text.index(after: index)
                    if next == text.endIndex || text[next] == " " {
                        let value = text[next...].drop(while: { $0 == " " })
                        return (text[..<index], value)
                    }
                }
                index = text.index(after: index)
            }
            return nil
        }

        func scalarOrFlow(_ text: Substring, at location: SourceLocation) throws -> ReviewYAML {
            if text.first == "[" {
                guard text.last == "]" else {
                    throw LiteratureError.invalidEntry(location, expected: "']' closing the list", found: "'\(text)'")
                }
                let inner = text.dropFirst().dropLast()
                if inner.allSatisfy({ $0 == " " }) { return .sequence([], location) }
                var items: [ReviewYAML] = []
                var current = ""
                var quote: Character? = nil
                var offset = 1
                var itemColumn = (location.column ?? 1) + 1
                var escaped = false
                for character in inner {
                    offset += 1
                    if let open = quote {
                        if escaped {
                            escaped = false
                        } else if character == "\\" && open == "\"" {
                            escaped = true
                        } else if character == open {
                            quote = nil
                        }
                        current.append(character)
                    } else if character == "\"" || character == "'" {
                        quote = character
                        current.append(character)
                    } else if character == "," {
                        let itemLocation = SourceLocation(file: location.file, line: location.line, column: itemColumn)
                        items.append(.scalar(try Self.unquote(Substring(current.trimmingCharacters(in: .whitespaces)), at: itemLocation), itemLocation))
                        current = ""
                        itemColumn = (location.column ?? 1) + offset
                    } else {
                        current.append(character)
                    }
                }
                let itemLocation = SourceLocation(file: location.file, line: location.line, column: itemColumn)
                items.append(.scalar(try Self.unquote(Substring(current.trimmingCharacters(in: .whitespaces)), at: itemLocation), itemLocation))
                return .sequence(items, location)
            }
            if text == "~" || text == "null" { return .null(location) }
            if text == "|" || text == ">" || text.hasPrefix("{") || text.hasPrefix("&") || text.hasPrefix("*") {
                throw LiteratureError.invalidEntry(
                    location, expected: "a plain or quoted value on one line (block scalars, anchors and flow mappings are not supported)",
                    found: "'\(text)'")
            }
            return .scalar(try Self.unquote(text, at: location), location)
        }

        static func unquote(_ text: Substring, at location: SourceLocation) throws -> String {
            guard let first = text.first, first == "\"" || first == "'" else { return String(text) }
            guard text.count >= 2, text.last == first else {
                throw LiteratureError.invalidEntry(location, expected: "a closing \(first)", found: "'\(text)'")
            }
            let inner = text.dropFirst().dropLast()
            if first == "'" { return inner.replacingOccurrences(of: "''", with: "'") }
            var result = ""
            var escaping = false
            for character in inner {
                if escaping {
                    switch character {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    case "\"", "\\", "/": result.append(character)
                    default:
                        throw LiteratureError.invalidEntry(location, expected: "an escape \\n, \\t, \\\" or \\\\", found: "'\\\(character)'")
                    }
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else {
                    result.append(character)
                }
            }
            return result
        }
    }

    // MARK: Writing

    /// A scalar as YAML text: plain when that reads back unchanged, double-quoted otherwise.
    static func quoted(_ value: String) -> String {
        let plainUnsafe = value.isEmpty || value.first == " " || value.last == " "
            || value.contains(": ") || value.contains(" #") || value.hasSuffix(":")
            || value.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\"" || $0 == "\\" })
            || "-[]{}&*!|>'\"%@`#,?".contains(value.first!) || ["~", "null", "true", "false", "yes", "no"].contains(value.lowercased())
        guard plainUnsafe else { return value }
        var result = "\""
        for character in value {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
