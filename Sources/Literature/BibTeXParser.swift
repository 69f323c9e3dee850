import Core
import Foundation

/// Reads BibTeX files as BibTeX does, keeping every good entry when some are broken.
///
/// Text outside entries is a comment. `@string` macros (case-insensitive names, with the month
/// names `jan`...`dec` predefined) are expanded and `#` concatenates; `crossref` children inherit
/// the fields they lack from their parent wherever it is in the file. A syntax error costs only
/// the entry it is in: the parser reports what it expected and what it found, then resumes at
/// the next line that starts with `@`.
///
/// Macro expansion is capped: a file that doubles a `@string` on every line (`@string{b = a # a}`)
/// grows exponentially, so one value may hold at most `maxValueBytes` and one file may expand at
/// most `maxExpansionBytes` of macro text in all; beyond either the entry is skipped with a
/// located `limitExceeded` warning, so memory stays within a small multiple of the caps.
public struct BibTeXParser: Sendable {
    /// The largest value, in bytes, that macro expansion may build (1 MiB: no real field is near it).
    public var maxValueBytes: Int
    /// The macro text, in bytes, one file may expand in all (64 MiB).
    public var maxExpansionBytes: Int

    public init(maxValueBytes: Int = 1 << 20, maxExpansionBytes: Int = 64 << 20) {
        self.maxValueBytes = maxValueBytes
        self.maxExpansionBytes = maxExpansionBytes
    }

    public func parse(_ text: String, file: String) -> ParseResult {
        var scanner = BibTeXScanner(bytes: Bytes.withoutBOM(text), file: file)
        scanner.maxValueBytes = maxValueBytes
        scanner.expansionBudget = maxExpansionBytes
        scanner.maxExpansionTotal = maxExpansionBytes
        scanner.run()
        var result = ParseResult(records: scanner.records, warnings: scanner.warnings, preambles: scanner.preambles)
        Self.resolveCrossReferences(in: &result, file: file)
        Self.reportDuplicateKeys(in: &result)
        return result
    }

    /// Fields that hold identifiers or addresses, where `~`, `--` or `\_` must stay as written.
    static let verbatimFields: Set<String> = ["url", "doi", "eprint", "file", "pdf", "crossref", "xref", "xdata", "ids", "related"]

    /// Fields that hold `and`-separated name lists.
    static let nameFields: Set<String> = ["author", "editor", "translator", "bookauthor", "editora", "editorb", "editorc"]

    /// Copies the parent's fields into each child that lacks them, as BibTeX does; the parent's own
    /// `crossref` is not inherited, and parents are used as written (one level, like BibTeX).
    static func resolveCrossReferences(in result: inout ParseResult, file: String) {
        var indexByKey: [String: Int] = [:]
        for (index, record) in result.records.enumerated() where indexByKey[record.key.lowercased()] == nil {
            indexByKey[record.key.lowercased()] = index
        }
        let parents = result.records
        for index in result.records.indices {
            guard let parentKey = result.records[index].fields["crossref"] else { continue }
            guard let parentIndex = indexByKey[parentKey.lowercased()], parentIndex != index else {
                result.warnings.append(.unknownCrossref(result.records[index].location, key: result.records[index].key, parent: parentKey))
                continue
            }
            for (name, value) in parents[parentIndex].fields where name != "crossref" && result.records[index].fields[name] == nil {
                result.records[index].fields[name] = value
            }
        }
    }

    /// Notes every repeated key (compared case-insensitively, as BibTeX does) and gives the later
    /// records of an exactly repeated key `key-2`, `key-3`, … in file order
    /// (`BibliographicRecord.withUniqueKeys`), so each record keeps an id of its own: vendor
    /// exports repeat keys (Scopus keys whole proceedings volumes `2025`) and no record may be lost.
    static func reportDuplicateKeys(in result: inout ParseResult) {
        var firstLine: [String: Int] = [:]
        for record in result.records {
            let folded = record.key.lowercased()
            if let line = firstLine[folded] {
                result.warnings.append(.duplicateKey(record.location, key: record.key, firstLine: line))
            } else {
                firstLine[folded] = record.location.line ?? 0
            }
        }
        result.records = BibliographicRecord.withUniqueKeys(result.records)
    }
}

private struct BibTeXScanner {
    struct Failure: Error {
        let error: LiteratureError
    }

    let bytes: [UInt8]
    let file: String
    let lines: LineIndex
    var position = 0
    var macros: [String: [UInt8]] = [:]
    var maxValueBytes = Int.max
    /// Macro bytes the rest of the file may still expand.
    var expansionBudget = Int.max
    var maxExpansionTotal = Int.max
    var records: [BibliographicRecord] = []
    var warnings: [LiteratureError] = []
    var preambles: [String] = []

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        self.lines = LineIndex(bytes)
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        for month in months {
            macros[String(month.prefix(3)).lowercased()] = Array(month.utf8)
        }
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func run() {
        while let at = nextAt(from: position) {
            do {
                try parseEntry(at: at)
            } catch {
                warnings.append(error.error)
                position = nextEntryLine(after: at)
            }
        }
    }

    /// The next `@` that is not on a line commented out with `%`.
    func nextAt(from start: Int) -> Int? {
        var index = start
        var commented = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                commented = false
            } else if byte == UInt8(ascii: "%") {
                commented = true
            } else if byte == UInt8(ascii: "@"), !commented {
                return index
            }
            index += 1
        }
        return nil
    }

    /// True when only spaces or tabs precede `index` on its line.
    func startsLine(_ index: Int) -> Bool {
        var cursor = index - 1
        while cursor >= 0 {
            let byte = bytes[cursor]
            if byte == 0x0A || byte == 0x0D { return true }
            if byte != 0x20 && byte != 0x09 { return false }
            cursor -= 1
        }
        return true
    }

    /// The next `@` that begins a line after `start`, where parsing resumes after an error.
    func nextEntryLine(after start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "@"), startsLine(index) { return index }
            index += 1
        }
        return bytes.count
    }

    /// True when `@type{` or `@type(` begins at `index` (the heuristic for a runaway value).
    func entryHeader(at index: Int) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "@") else { return false }
        var cursor = index + 1
        let letters = cursor
        while cursor < bytes.count, Bytes.isLetter(bytes[cursor]) { cursor += 1 }
        guard cursor > letters else { return false }
        while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
        return cursor < bytes.count && (bytes[cursor] == UInt8(ascii: "{") || bytes[cursor] == UInt8(ascii: "("))
    }

    func location(_ offset: Int) -> SourceLocation { lines.location(of: offset, file: file) }

    /// A short description of what is at `offset`, for error messages.
    func found(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        if byte == 0x0A || byte == 0x0D { return "the end of the line" }
        if entryHeader(at: offset), startsLine(offset) { return "the next entry at line \(lines.line(of: offset))" }
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'\(String(decoding: bytes[offset..<end], as: UTF8.self))'"
    }

    /// Skips whitespace and `%` line comments (allowed between fields by biber).
    mutating func skipWhitespaceAndComments() {
        while position < bytes.count {
            let byte = bytes[position]
            if Bytes.isWhitespace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    /// True when a field name followed by `=` starts at `index`.
    func fieldAssignment(at index: Int) -> Bool {
        var cursor = index
        while cursor < bytes.count, Bytes.isLetter(bytes[cursor]) || Bytes.isDigit(bytes[cursor])
            || bytes[cursor] == UInt8(ascii: "-") || bytes[cursor] == UInt8(ascii: "_") || bytes[cursor] == UInt8(ascii: ":") {
            cursor += 1
        }
        guard cursor > index else { return false }
        while cursor < bytes.count, Bytes.isWhitespace(bytes[cursor]) { cursor += 1 }
        return cursor < bytes.count && bytes[cursor] == UInt8(ascii: "=")
    }

    mutating func skipWhitespace() {
        while position < bytes.count, Bytes.isWhitespace(bytes[position]) { position += 1 }
    }

    /// A BibTeX name: any printable run without the characters that delimit BibTeX syntax.
    mutating func readIdentifier() -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if Bytes.isWhitespace(byte) { break }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "'"), UInt8(ascii: "("),
                UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: "{"), UInt8(ascii: "}"),
                UInt8(ascii: "@"):
                return bytes[start..<position]
            default:
                position += 1
            }
        }
        return bytes[start..<position]
    }

    mutating func expect(_ byte: UInt8, _ expected: String) throws(Failure) {
        guard current == byte else {
            throw Failure(error: .unexpectedCharacter(location(position), expected: expected, found: found(at: position)))
        }
        position += 1
    }

    mutating func parseEntry(at start: Int) throws(Failure) {
        position = start + 1
        skipWhitespace()
        let typeBytes = readIdentifier()
        skipWhitespace()
        guard !typeBytes.isEmpty, let open = current, open == UInt8(ascii: "{") || open == UInt8(ascii: "(") else {
            if startsLine(start) {
                let what = typeBytes.isEmpty ? "an entry type after '@'" : "'{' or '(' after '@\(String(decoding: typeBytes, as: UTF8.self))'"
                throw Failure(error: .unexpectedCharacter(location(position), expected: what, found: found(at: position)))
            }
            position = start + 1  // an '@' inside comment text, such as an e-mail address
            return
        }
        let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ")")
        let type = String(decoding: typeBytes, as: UTF8.self).lowercased()
        position += 1
        switch type {
        case "comment":
            try skipComment(openedAt: position - 1, close: close)
        case "preamble":
            skipWhitespace()
            let value = try readValue(field: "preamble")
            skipWhitespace()
            try expect(close, "'\(Character(UnicodeScalar(close)))' to end the @preamble")
            preambles.append(LaTeXText.convert(value[...]))
        case "string":
            skipWhitespace()
            let name = readIdentifier()
            guard !name.isEmpty else {
                throw Failure(error: .unexpectedCharacter(location(position), expected: "a macro name after '@string{'", found: found(at: position)))
            }
            skipWhitespace()
            try expect(UInt8(ascii: "="), "'=' after the @string name '\(String(decoding: name, as: UTF8.self))'")
            skipWhitespace()
            let value = try readValue(field: String(decoding: name, as: UTF8.self))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                position += 1
                skipWhitespace()
            }
            try expect(close, "'\(Character(UnicodeScalar(close)))' to end the @string")
            macros[String(decoding: name, as: UTF8.self).lowercased()] = value
        default:
            try parseRecord(type: type, start: start, close: close)
        }
    }

    mutating func skipComment(openedAt open: Int, close: UInt8) throws(Failure) {
        var depth = 0
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "{") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == close {
                if depth == 0 && byte == close { return }
                depth -= 1
            }
        }
        throw Failure(error: .unbalancedBraces(location(open), expected: "'\(Character(UnicodeScalar(close)))' to end the @comment", found: "the end of the file"))
    }

    mutating func parseRecord(type: String, start: Int, close: UInt8) throws(Failure) {
        skipWhitespace()
        let keyStart = position
        // Keys run to the comma: Scopus writes keys with spaces (`Di Rocco2025923`).
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: ",") || byte == close || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
                || byte == UInt8(ascii: "=") || byte == 0x0A || byte == 0x0D { break }
            position += 1
        }
        if current == UInt8(ascii: "=") {
            // `@article{key title = ...`: the comma after the key is missing.
            position = keyStart
            while position < bytes.count, !Bytes.isWhitespace(bytes[position]), bytes[position] != UInt8(ascii: "=") { position += 1 }
        }
        var keyEnd = position
        while keyEnd > keyStart, Bytes.isWhitespace(bytes[keyEnd - 1]) { keyEnd -= 1 }
        let key = String(decoding: bytes[keyStart..<keyEnd], as: UTF8.self)
        let closeText = "'\(Character(UnicodeScalar(close)))'"
        skipWhitespace()
        var raw: [(name: String, value: [UInt8], offset: Int)] = []
        if current == close {
            position += 1
        } else {
            try expect(UInt8(ascii: ","), "',' after the citation key '\(key)'")
            while true {
                skipWhitespaceAndComments()
                if current == close {
                    position += 1
                    break
                }
                if position >= bytes.count || (entryHeader(at: position) && startsLine(position)) {
                    throw Failure(error: .unbalancedBraces(
                        location(start), expected: "\(closeText) to end entry '\(key)'", found: found(at: position)))
                }
                let nameOffset = position
                let nameBytes = readIdentifier()
                guard !nameBytes.isEmpty else {
                    throw Failure(error: .unexpectedCharacter(
                        location(position), expected: "a field name or \(closeText) in entry '\(key)'", found: found(at: position)))
                }
                let name = String(decoding: nameBytes, as: UTF8.self).lowercased()
                skipWhitespace()
                try expect(UInt8(ascii: "="), "'=' after the field name '\(name)' in entry '\(key)'")
                skipWhitespace()
                let value = try readValue(field: name)
                raw.append((name, value, nameOffset))
                skipWhitespaceAndComments()
                if current == UInt8(ascii: ",") {
                    position += 1
                } else if fieldAssignment(at: position) {
                    // IEEE Xplore exports sometimes drop the comma after a value; the next
                    // `name =` shows where the comma belongs, so the entry is kept.
                    warnings.append(.missingComma(location(position), field: name, key: key))
                } else if current == close {
                    position += 1
                    break
                } else if entryHeader(at: position), startsLine(position) {
                    throw Failure(error: .unbalancedBraces(
                        location(start), expected: "\(closeText) to end entry '\(key)'", found: found(at: position)))
                } else {
                    throw Failure(error: .unexpectedCharacter(
                        location(position), expected: "',' or \(closeText) after the value of field '\(name)' in entry '\(key)'",
                        found: found(at: position)))
                }
            }
        }
        var fields: [String: String] = [:]
        fields.reserveCapacity(raw.count)
        for (name, value, offset) in raw {
            if fields[name] != nil {
                warnings.append(.duplicateField(location(offset), field: name, key: key))
                continue
            }
            let converted = Self.convert(value, field: name)
            fields[name] = converted.text
            for command in converted.unknownCommands {
                warnings.append(.unknownCommand(location(offset), name: command, field: name, key: key))
            }
        }
        records.append(BibliographicRecord(key: key, type: type, fields: fields, location: location(start)))
    }

    static func convert(_ value: [UInt8], field: String) -> (text: String, unknownCommands: [String]) {
        if BibTeXParser.verbatimFields.contains(field) {
            var slice = value[...]
            while slice.count >= 2, slice.first == UInt8(ascii: "{"), slice.last == UInt8(ascii: "}") {
                slice = slice.dropFirst().dropLast()
            }
            return (Bytes.foldWhitespace(slice), [])
        }
        if BibTeXParser.nameFields.contains(field) {
            var unknown: [String] = []
            let names = NameList.split(value[...]).map { part in
                let converted = LaTeXText.convertReporting(part)
                unknown += converted.unknownCommands.filter { !unknown.contains($0) }
                return converted.text
            }.filter { !$0.isEmpty }
            let text = names.map { containsAnd($0) ? "{\($0)}" : $0 }.joined(separator: " and ")
            return (text, unknown)
        }
        return LaTeXText.convertReporting(value[...])
    }

    /// True when `name` holds the word `and` between spaces in any case, which would split it
    /// when the list is read again (bytes compared directly: Foundation's case-insensitive
    /// search cost a tenth of reading an export).
    static func containsAnd(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 5 else { return false }
        // `| 0x20` lowercases an ASCII letter and leaves a, n, d, space and every other byte
        // unable to pass for one of them.
        for start in 0...(bytes.count - 5) where bytes[start] == 0x20 && bytes[start + 4] == 0x20
            && bytes[start + 1] | 0x20 == 0x61 && bytes[start + 2] | 0x20 == 0x6E && bytes[start + 3] | 0x20 == 0x64 {
            return true
        }
        return false
    }

    /// A field value: braced, quoted, numeric or macro parts joined by `#`; returns the raw LaTeX.
    mutating func readValue(field: String) throws(Failure) -> [UInt8] {
        var value: [UInt8] = []
        while true {
            guard let byte = current else {
                throw Failure(error: .unexpectedCharacter(location(position), expected: "a value for field '\(field)'", found: "the end of the file"))
            }
            if byte == UInt8(ascii: "{") {
                try readDelimited(into: &value, field: field, quoted: false)
            } else if byte == UInt8(ascii: "\"") {
                try readDelimited(into: &value, field: field, quoted: true)
            } else {
                let wordOffset = position
                let word = readIdentifier()
                guard !word.isEmpty else {
                    throw Failure(error: .unexpectedCharacter(
                        location(position), expected: "a value in braces or quotes, a number or a @string name for field '\(field)'",
                        found: found(at: position)))
                }
                if word.allSatisfy(Bytes.isDigit) {
                    value.append(contentsOf: word)
                } else {
                    let name = String(decoding: word, as: UTF8.self)
                    if let expansion = macros[name.lowercased()] {
                        guard value.count + expansion.count <= maxValueBytes else {
                            throw Failure(error: .limitExceeded(
                                location(wordOffset), what: "expanding '\(name)' into the value of '\(field)'", limit: maxValueBytes))
                        }
                        guard expansion.count <= expansionBudget else {
                            throw Failure(error: .limitExceeded(
                                location(wordOffset), what: "expanding '\(name)' (macro text expanded in this file in all)",
                                limit: maxExpansionTotal))
                        }
                        expansionBudget -= expansion.count
                        value.append(contentsOf: expansion)
                    } else {
                        warnings.append(.unknownMacro(location(wordOffset), name: name))
                        value.append(contentsOf: word)
                    }
                }
            }
            skipWhitespace()
            guard current == UInt8(ascii: "#") else { return value }
            position += 1
            skipWhitespace()
        }
    }

    /// Reads `{...}` or `"..."` with balanced braces inside, appending the contents to `value`.
    mutating func readDelimited(into value: inout [UInt8], field: String, quoted: Bool) throws(Failure) {
        let open = position
        position += 1
        let start = position
        var depth = 0
        let closing = quoted ? "'\"'" : "'}'"
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "}"):
                if depth == 0 {
                    if quoted {
                        throw Failure(error: .unbalancedBraces(
                            location(position), expected: "'\"' to end the value of field '\(field)'", found: "'}' with no matching '{'"))
                    }
                    value.append(contentsOf: bytes[start..<position])
                    position += 1
                    return
                }
                depth -= 1
            case UInt8(ascii: "\"") where quoted && depth == 0:
                // `\"` followed by a letter or brace is an umlaut, not the closing quote.
                let escaped = position > start && bytes[position - 1] == UInt8(ascii: "\\")
                    && position + 1 < bytes.count && (Bytes.isLetter(bytes[position + 1]) || bytes[position + 1] == UInt8(ascii: "{"))
                if !escaped {
                    value.append(contentsOf: bytes[start..<position])
                    position += 1
                    return
                }
            case 0x0A, 0x0D:
                var next = position + 1
                while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 || bytes[next] == 0x0A || bytes[next] == 0x0D { next += 1 }
                if entryHeader(at: next) {
                    throw Failure(error: .unbalancedBraces(
                        location(open), expected: "\(closing) to end the value of field '\(field)' that starts here", found: found(at: next)))
                }
            default:
                break
            }
            position += 1
        }
        throw Failure(error: .unbalancedBraces(
            location(open), expected: "\(closing) to end the value of field '\(field)' that starts here", found: "the end of the file"))
    }
}
