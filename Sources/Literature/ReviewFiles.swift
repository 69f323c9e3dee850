import Core
import Foundation

/// One row of a decision file: its cells by column name, with the line and column of each cell
/// for error messages.
public struct DecisionRow: Sendable {
    public var line: Int
    public var file: String
    var cells: [String: String]
    var columns: [String: Int]

    public subscript(name: String) -> String { cells[name] ?? "" }

    /// True when the file has the column `name` (optional columns may be absent).
    public func has(_ name: String) -> Bool { columns[name] != nil }

    /// Where the cell of `name` is; the column counts CSV fields, as a spreadsheet shows them.
    public func location(of name: String) -> SourceLocation {
        SourceLocation(file: file, line: line, column: columns[name].map { $0 + 1 })
    }

    /// The error for the cell of `name`: `file:line:column: expected …, found …`.
    public func invalid(_ name: String, expected: String, found: String) -> LiteratureError {
        .invalidEntry(location(of: name), expected: expected, found: found)
    }
}

/// Something a decision file may hold only once (a link, a record's answers), and how a message
/// about a second row of it reads.
public struct DecisionIdentity: Sendable {
    public var key: String
    /// The column the message points at.
    public var column: String
    /// `expected …` in the message.
    public var expected: String
    /// `found … again (first at line N)`.
    public var shown: String

    public init(key: String, column: String, expected: String, shown: String) {
        self.key = key
        self.column = column
        self.expected = expected
        self.shown = shown
    }
}

/// A CSV file of the review's decisions (`dedupe.csv`, `screening/<reviewer>.csv`,
/// `resolutions.csv`, `snowballing.csv`, `extraction/<reviewer>.csv`), read against its header.
///
/// A file kind declares its columns and how one row reads and writes; reading (every problem
/// located at its cell, through Core's `CSVText`), appending and writing atomically are the same
/// for all of them. Columns may come in any order; rows are appended in the order the file's own
/// header gives, so a file whose columns a researcher reordered is never misaligned.
public protocol DecisionFile {
    associatedtype Row
    /// What reading a row needs besides the row (the criteria, the reviewer); `Void` for most.
    associatedtype Context = Void

    /// Every column, in the order a new file is written.
    static func columns(_ context: Context) -> [String]
    /// The columns a file must have; the others of `columns` may be left out. Default: all.
    static func requiredColumns(_ context: Context) -> [String]
    /// Reads and checks one row; a problem is thrown with its cell (`DecisionRow.invalid`).
    static func decode(_ row: DecisionRow, context: Context) throws -> Row
    /// The row's cells by column.
    static func cells(of row: Row) -> [String: String]
    /// What a row may share with no other row of the file; nil (the default) when rows may repeat.
    static func identity(of row: Row) -> DecisionIdentity?
    /// The order rows are written in by `csv` and `write`. Default: as given.
    static func ordered(_ rows: [Row]) -> [Row]
}

extension DecisionFile {
    public static func requiredColumns(_ context: Context) -> [String] { columns(context) }
    public static func identity(of row: Row) -> DecisionIdentity? { nil }
    public static func ordered(_ rows: [Row]) -> [Row] { rows }

    /// Reads every row of `text`; an empty file has none.
    public static func parse(_ text: String, file: String, context: Context) throws -> [Row] {
        try decoded(text, file: file, context: context).rows
    }

    /// The rows of the file at `url`; a file that does not exist has none.
    public static func read(_ url: URL, displayPath: String, context: Context) throws -> [Row] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try parse(try ReviewFileText.read(url, displayPath: displayPath), file: displayPath, context: context)
    }

    /// A whole file: the header, then the rows in `ordered` order.
    public static func csv(_ rows: [Row], context: Context) -> String {
        let header = columns(context)
        return CSVText.line(header) + ordered(rows).map { line($0, columns: header) }.joined()
    }

    /// One row as a CSV line in the order of `columns` (default: a new file's).
    public static func line(_ row: Row, columns: [String]) -> String {
        let cells = cells(of: row)
        return CSVText.line(columns.map { cells[$0] ?? "" })
    }

    /// One row as a CSV line of a new file.
    public static func line(_ row: Row, context: Context) -> String { line(row, columns: columns(context)) }

    /// `existing` (a file's text, nil when there is none) with `rows` added at its end, in the
    /// order of its header; a new file starts with the header. The result is read back before it
    /// is returned, so a broken file is reported rather than added to, and a row that repeats an
    /// identity (a snowballing link given twice) is refused rather than written.
    public static func appending(_ rows: [Row], to existing: String?, file: String, context: Context) throws -> String {
        let added = { (header: [String]) in rows.map { line($0, columns: header) }.joined() }
        let text: String
        if let existing, let header = try table(existing, file: file, context: context).header {
            text = existing + (existing.hasSuffix("\n") || existing.hasSuffix("\r") ? "" : "\n") + added(header)
        } else {
            text = CSVText.line(columns(context)) + added(columns(context))
        }
        _ = try decoded(text, file: file, context: context)
        return text
    }

    /// Appends rows atomically (the whole file is rewritten through a temporary file), writing
    /// the header when the file is new.
    public static func append(_ rows: [Row], to url: URL, displayPath: String, context: Context) throws {
        let existing = FileManager.default.fileExists(atPath: url.path) ? try ReviewFileText.read(url, displayPath: displayPath) : nil
        try AtomicFile.write(try appending(rows, to: existing, file: displayPath, context: context), to: url)
    }

    /// Replaces the file atomically with `rows`.
    public static func write(_ rows: [Row], to url: URL, context: Context) throws {
        try AtomicFile.write(csv(rows, context: context), to: url)
    }

    /// The header (nil for an empty file) and every row of `text` read, each checked by
    /// `decode` and against the rows before it for a repeated identity.
    static func decoded(_ text: String, file: String, context: Context) throws -> (header: [String]?, rows: [Row]) {
        let (header, cells) = try table(text, file: file, context: context)
        var firstLine: [String: Int] = [:]
        let rows = try cells.map { row in
            let value = try decode(row, context: context)
            if let identity = identity(of: value) {
                if let first = firstLine[identity.key] {
                    throw row.invalid(identity.column, expected: identity.expected, found: "\(identity.shown) again (first at line \(first))")
                }
                firstLine[identity.key] = row.line
            }
            return value
        }
        return (header, rows)
    }

    /// The header (nil for an empty file) and the rows of `text`, checked against the columns:
    /// every required one present, none unknown, none twice, each row as long as the header.
    static func table(_ text: String, file: String, context: Context) throws -> (header: [String]?, rows: [DecisionRow]) {
        let records: [CSVText.Record]
        do {
            records = try CSVText.parse(text, file: file)
        } catch let error as FileError {
            throw LiteratureError.invalidEntry(
                error.location ?? SourceLocation(file: file), expected: "well-formed CSV", found: error.message)
        }
        guard let first = records.first else { return (nil, []) }
        let allowed = columns(context)
        let required = requiredColumns(context)
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        for name in required where !header.contains(name) {
            throw LiteratureError.invalidEntry(
                SourceLocation(file: file, line: first.line, column: 1),
                expected: "a header with the columns \(required.joined(separator: ",")) (missing '\(name)')",
                found: "'\(first.fields.joined(separator: ","))'")
        }
        for (index, name) in header.enumerated() where !allowed.contains(name) {
            throw LiteratureError.invalidEntry(
                SourceLocation(file: file, line: first.line, column: index + 1),
                expected: "one of the columns \(allowed.joined(separator: ", "))", found: "'\(name)'")
        }
        var position: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if let earlier = position[name] {
                throw LiteratureError.invalidEntry(
                    SourceLocation(file: file, line: first.line, column: index + 1),
                    expected: "each column once", found: "'\(name)' again (first in column \(earlier + 1))")
            }
            position[name] = index
        }
        let rows = try records.dropFirst().map { record -> DecisionRow in
            if record.fields.count != header.count {
                throw LiteratureError.invalidEntry(
                    SourceLocation(file: file, line: record.line, column: 1),
                    expected: "\(header.count) fields as in the header", found: "\(record.fields.count)")
            }
            return DecisionRow(line: record.line, file: file, cells: Dictionary(uniqueKeysWithValues: zip(header, record.fields)), columns: position)
        }
        return (header, rows)
    }
}

extension DecisionFile where Context == Void {
    public static func columns() -> [String] { columns(()) }
    public static func parse(_ text: String, file: String) throws -> [Row] { try parse(text, file: file, context: ()) }
    public static func read(_ url: URL, displayPath: String) throws -> [Row] { try read(url, displayPath: displayPath, context: ()) }
    public static func csv(_ rows: [Row]) -> String { csv(rows, context: ()) }
    public static func line(_ row: Row) -> String { line(row, columns: columns(())) }
    public static func append(_ rows: [Row], to url: URL, displayPath: String) throws {
        try append(rows, to: url, displayPath: displayPath, context: ())
    }
    public static func appending(_ rows: [Row], to existing: String?, file: String) throws -> String {
        try appending(rows, to: existing, file: file, context: ())
    }
    public static func write(_ rows: [Row], to url: URL) throws { try write(rows, to: url, context: ()) }
}

/// Reading of the review's text files with Core's decoding, errors as `LiteratureError`.
enum ReviewFileText {
    static func read(_ url: URL, displayPath: String) throws -> String {
        do {
            return try TextFile.read(url, displayPath: displayPath)
        } catch let error as FileError {
            throw LiteratureError.unreadableFile(error.location ?? SourceLocation(file: displayPath), reason: error.message)
        }
    }
}
