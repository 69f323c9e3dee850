import Core
import Foundation

/// What kind of value a field holds, as its source format says.
enum FieldKind {
    /// Delimited text, typed by its content.
    case text
    /// A JSON string: text unless the manifest declares another type for its column.
    case string
    /// A JSON number literal.
    case number
    /// A JSON `true` or `false`.
    case boolean
    /// A JSON `null` or a missing key.
    case null
    /// A JSON array or object, kept as JSON text.
    case json
}

/// One field of the current record: bytes valid until the source reads the next record.
struct FieldValue {
    var kind: FieldKind
    var bytes: UnsafePointer<UInt8>
    var count: Int

    /// The value's shape for type inference, reading JSON strings by content only when asked.
    @inline(__always)
    func shape(readingStrings: Bool) -> ValueShape {
        switch kind {
        case .text: return classify(bytes, count)
        case .string: return readingStrings ? classify(bytes, count) : .text
        case .number: return classify(bytes, count) == .integer ? .integer : .real
        case .boolean: return .boolean
        case .null: return .empty
        case .json: return .text
        }
    }

    var text: String { String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) }
}

/// A stream of records from a data file, pulled one at a time.
protocol RecordSource: AnyObject {
    var input: ChunkedInput { get }
    /// Column names; for JSON they grow as new keys appear.
    var columnNames: [String] { get }
    /// Reads the next record; false at the end of the file.
    func next() throws -> Bool
    /// The field of the current record in a column (a null field for a missing JSON key).
    func value(at column: Int) -> FieldValue
    /// Where the current record's field in a column starts, for error messages.
    func location(ofColumn column: Int) -> SourceLocation
}

/// CSV (RFC 4180) and TSV records parsed straight from bytes.
///
/// CSV: fields separated by commas (or by semicolons or tabs, when the header line holds more of
/// those than commas, as spreadsheets in many locales and "CSV" exports of tab-separated text
/// write them), records by LF, CRLF or CR; a field that starts with a double
/// quote runs to the matching quote, may hold delimiters and line breaks, and writes a quote as
/// two. A quote inside an unquoted field is kept as a character. TSV: fields separated by tabs,
/// no quoting (the IANA text/tab-separated-values format). Blank lines are skipped. Doubled quotes
/// are collapsed in place, inside the input buffer, once a record is known to be complete, so
/// fields need no copying. An empty header cell is named as pandas names it, `Unnamed: N` for
/// the column's zero-based position: `DataFrame.to_csv` writes its index under an empty header.
final class DelimitedSource: RecordSource {
    fileprivate struct Span {
        var start: Int
        var end: Int
        var escapedQuotes: Bool
    }

    let input: ChunkedInput
    private(set) var columnNames: [String] = []
    private let delimiter: UInt8
    private let quoting: Bool
    private let validatesUTF8: Bool
    private let spans = SpanList()
    /// Whether a field of the current record holds doubled quotes to collapse.
    private var escapedQuotes = false
    private var recordStart = 0
    /// The line the current record starts on.
    private var recordLine = 1
    /// The line the next record starts on.
    private var nextLine = 1

    /// How a file's header said its records are read, for the readers of its chunks.
    struct Dialect: Sendable {
        var delimiter: UInt8
        var quoting: Bool
        var columnNames: [String]
    }

    var dialect: Dialect { Dialect(delimiter: delimiter, quoting: quoting, columnNames: columnNames) }

    /// A reader of the records from `offset` on, which must be where a line starts, of a plain
    /// file whose header was read with `dialect`. Line numbers count from that offset, so an
    /// error found here is located by reading the file from its start again.
    init(chunkOf url: URL, displayPath: String, dialect: Dialect, offset: Int64, validatesUTF8: Bool) throws {
        input = try ChunkedInput(url: url, displayPath: displayPath, offset: offset)
        delimiter = dialect.delimiter
        quoting = dialect.quoting
        columnNames = dialect.columnNames
        self.validatesUTF8 = validatesUTF8
    }

    /// The offset in the file of the record `next()` read last (plain files only).
    var recordOffset: Int64 { input.fileOffset(of: recordStart) }

    /// The offset in the file of the first byte not read yet as a record (plain files only).
    var consumedOffset: Int64 { input.fileOffset(of: input.start) }

    init(input: ChunkedInput, format: DataFormat, validatesUTF8: Bool) throws {
        self.input = input
        quoting = format == .csv
        self.validatesUTF8 = validatesUTF8
        delimiter = format == .tsv ? 0x09 : Self.sniffDelimiter(input)
        guard try readRecord() else {
            throw DatasetError.invalidData(SourceLocation(file: input.displayPath, line: 1, column: 1),
                                           expected: "a header row naming the columns", found: "an empty file")
        }
        var seen: [String: Int] = [:]
        for index in spans.indices {
            var name = fieldValue(index).text
            if name.isEmpty { name = "Unnamed: \(index)" }
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                throw DatasetError.invalidData(location(ofColumn: index), expected: "a column name in the header",
                                               found: "an empty name (column \(index + 1))")
            }
            if let first = seen[name.lowercased()] {
                throw DatasetError.invalidData(location(ofColumn: index), expected: "distinct column names in the header",
                                               found: "'\(name)' again (first as column \(first + 1))")
            }
            seen[name.lowercased()] = index
            columnNames.append(name)
        }
    }

    /// The delimiter of a CSV file: the one of `,`, `;` and tab that occurs most often outside
    /// quotes in its header line, commas winning ties (so a one-column file stays CSV).
    private static func sniffDelimiter(_ input: ChunkedInput) -> UInt8 {
        var comma = 0, semicolon = 0, tab = 0
        var quoted = false
        var index = input.start
        while index < input.end {
            let byte = input.base[index]
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted {
                if byte == 0x0A || byte == 0x0D { break }
                switch byte {
                case UInt8(ascii: ","): comma += 1
                case UInt8(ascii: ";"): semicolon += 1
                case 0x09: tab += 1
                default: break
                }
            }
            index += 1
        }
        if tab > comma && tab >= semicolon { return 0x09 }
        if semicolon > comma { return UInt8(ascii: ";") }
        return UInt8(ascii: ",")
    }

    func next() throws -> Bool {
        guard try readRecord() else { return false }
        if spans.count != columnNames.count {
            let column = min(spans.count, columnNames.count)
            let location = spans.count > columnNames.count ? self.location(ofColumn: column)
                : SourceLocation(file: input.displayPath, line: recordLine)
            throw DatasetError.invalidData(location, expected: "\(columnNames.count) fields as in the header",
                                           found: "\(spans.count) field\(spans.count == 1 ? "" : "s")")
        }
        return true
    }

    @inline(__always)
    func value(at column: Int) -> FieldValue { fieldValue(column) }

    @inline(__always)
    private func fieldValue(_ index: Int) -> FieldValue {
        let span = spans[index]
        return FieldValue(kind: .text, bytes: UnsafePointer(input.base + span.start), count: span.end - span.start)
    }

    func location(ofColumn column: Int) -> SourceLocation {
        let target = column < spans.count ? spans[column].start : recordStart
        return TextPosition(line: recordLine, column: 1)
            .advanced(over: input.base, from: recordStart, to: target).location(in: input.displayPath)
    }

    private enum Outcome {
        case record(next: Int, lines: Int)
        case blank(next: Int)
        case needMore
    }

    /// Reads one record into `spans`; false at the end of the file.
    private func readRecord() throws -> Bool {
        while true {
            input.recordLine = nextLine
            if input.start >= input.end {
                if try !input.fill() { return false }
            }
            switch try parseRecord(from: input.start) {
            case .needMore:
                _ = try input.fill()
            case .blank(let next):
                input.start = next
                nextLine += 1
            case .record(let next, let lines):
                recordStart = input.start
                recordLine = nextLine
                nextLine += lines
                if validatesUTF8, let bad = firstInvalidUTF8(input.base, from: recordStart, to: next) {
                    let position = TextPosition(line: recordLine, column: 1).advanced(over: input.base, from: recordStart, to: bad)
                    throw DatasetError.invalidData(position.location(in: input.displayPath), expected: "UTF-8 text",
                                                   found: "the byte 0x\(String(input.base[bad], radix: 16, uppercase: true))")
                }
                unescapeQuotes()
                input.start = next
                return true
            }
        }
    }

    /// Parses the record starting at `start`. Never reads past `input.end`; asks for more bytes
    /// when the record may continue beyond it.
    private func parseRecord(from start: Int) throws -> Outcome {
        let bytes = input.base
        let end = input.end
        let atEnd = input.isAtEnd
        let delimiter = self.delimiter
        let quote = UInt8(ascii: "\"")
        spans.removeAll()
        escapedQuotes = false
        var index = start
        var embeddedLines = 0
        while true {
            let fieldStart = index
            if quoting, index < end, bytes[index] == quote {
                index += 1
                let contentStart = index
                var escaped = false
                while true {
                    if index >= end {
                        if !atEnd { return .needMore }
                        throw DatasetError.invalidData(
                            quotePosition(fieldStart).location(in: input.displayPath),
                            expected: "a closing quote for the field that starts here", found: "the end of the file")
                    }
                    let byte = bytes[index]
                    if byte == quote {
                        if index + 1 >= end && !atEnd { return .needMore }
                        if index + 1 < end && bytes[index + 1] == quote {
                            escaped = true
                            index += 2
                            continue
                        }
                        break
                    }
                    if byte == 0x0A { embeddedLines += 1 }
                    index += 1
                }
                spans.append(Span(start: contentStart, end: index, escapedQuotes: escaped))
                if escaped { escapedQuotes = true }
                index += 1
                if index < end {
                    let byte = bytes[index]
                    if byte != delimiter && byte != 0x0A && byte != 0x0D {
                        let position = TextPosition(line: nextLine, column: 1).advanced(over: bytes, from: start, to: index)
                        throw DatasetError.invalidData(position.location(in: input.displayPath),
                                                       expected: "\(delimiter == UInt8(ascii: ",") ? "a comma" : describeByte(delimiter)) or the end of the line after a closing quote",
                                                       found: describeByte(byte))
                    }
                }
            } else {
                while index < end {
                    let byte = bytes[index]
                    if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
                    index += 1
                }
                if index >= end && !atEnd { return .needMore }
                spans.append(Span(start: fieldStart, end: index, escapedQuotes: false))
            }
            if index >= end {
                return .record(next: end, lines: 1 + embeddedLines)
            }
            let byte = bytes[index]
            if byte == delimiter {
                index += 1
                continue
            }
            var next = index + 1
            if byte == 0x0D {
                if next >= end && !atEnd { return .needMore }
                if next < end && bytes[next] == 0x0A { next += 1 }
            }
            if spans.count == 1 && spans[0].start == start && spans[0].end == start && index == start {
                return .blank(next: next)
            }
            return .record(next: next, lines: 1 + embeddedLines)
        }
    }

    private func quotePosition(_ offset: Int) -> TextPosition {
        TextPosition(line: nextLine, column: 1).advanced(over: input.base, from: input.start, to: offset)
    }

    private func unescapeQuotes() {
        guard escapedQuotes else { return }
        let bytes = input.base
        for index in spans.indices where spans[index].escapedQuotes {
            var read = spans[index].start, write = spans[index].start
            let end = spans[index].end
            while read < end {
                let byte = bytes[read]
                bytes[write] = byte
                write += 1
                read += byte == UInt8(ascii: "\"") ? 2 : 1
            }
            spans[index].end = write
            spans[index].escapedQuotes = false
        }
    }
}

/// The fields of the current record, in storage of the source's own: appending to a Swift array
/// for every field of every record was a tenth of the parse.
private final class SpanList {
    private var storage: UnsafeMutablePointer<DelimitedSource.Span>
    private var capacity = 16
    private(set) var count = 0

    init() { storage = .allocate(capacity: capacity) }
    deinit { storage.deallocate() }

    var indices: Range<Int> { 0..<count }

    subscript(index: Int) -> DelimitedSource.Span {
        @inline(__always) get { storage[index] }
        @inline(__always) set { storage[index] = newValue }
    }

    @inline(__always)
    func removeAll() { count = 0 }

    @inline(__always)
    func append(_ span: DelimitedSource.Span) {
        if count == capacity {
            let grown = UnsafeMutablePointer<DelimitedSource.Span>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = grown
            capacity *= 2
        }
        (storage + count).initialize(to: span)
        count += 1
    }
}

/// Describes a byte for an error message: the character, or its hex value when not printable.
func describeByte(_ byte: UInt8) -> String {
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    switch byte {
    case 0x20: return "a space"
    case 0x09: return "a tab"
    case 0x0A, 0x0D: return "the end of the line"
    default: return "the byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}
