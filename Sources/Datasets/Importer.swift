import Core
import Foundation
import GRDB
import GRDBSQLite

/// Progress of an import, reported about every 16,384 rows and at the end of each pass.
public struct ImportProgress: Sendable {
    /// The two passes over each file.
    public enum Phase: String, Sendable {
        /// Checking the file and inferring column types.
        case scanning
        /// Inserting rows into the derived database.
        case inserting
    }

    public var file: String
    public var phase: Phase
    /// Bytes of the file as stored read so far (compressed bytes for a `.gz` file).
    public var bytesRead: Int64
    /// The size of the file as stored.
    public var totalBytes: Int64
    public var rows: Int
}

/// What the first pass learns about a file: its columns and their types, its row count, its hash.
struct FileScan {
    var file: DatasetManifest.DataFile
    var url: URL
    var format: DataFormat
    var columns: [String]
    /// The shapes of each column's values, to infer the type of a table several files fill.
    var shapes: [ShapeSet]
    /// The types the manifest declares, per column.
    var declared: [ColumnType?]
    var rows: Int
    var sha256: String
    var size: Int64
    var modified: Date?
    /// The first rowid of the file's rows in the previous derived database, when they are copied
    /// from there instead of parsed again.
    var reusedFrom: Int64? = nil
}

extension FileScan {
    /// A file whose rows are copied from the previous import (nil when that import did not
    /// record what copying needs).
    init?(reusing firstRowid: Int64?, columns: [String]?, shapes: [ShapeSet]?, file: DatasetManifest.DataFile, url: URL,
          rows: Int, sha256: String) {
        guard let firstRowid, let columns, let shapes, shapes.count == columns.count, let format = file.resolvedFormat else { return nil }
        let declared = Dictionary((file.columns ?? [:]).map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.init(file: file, url: url, format: format, columns: columns, shapes: shapes,
                  declared: columns.map { declared[$0.lowercased()] }, rows: rows, sha256: sha256, size: 0, modified: nil,
                  reusedFrom: firstRowid)
    }
}

/// Imports data files into a new SQLite database in two passes over each file.
///
/// The first pass parses every record to check it (UTF-8, field counts, JSON syntax, declared
/// column types) and to infer each column's type from all its values, while a second thread
/// hashes the same file. Only when every file has passed does the second pass create the tables
/// and insert the rows, in one transaction, through one prepared INSERT whose parameters are bound
/// with SQLite's C API on GRDB's statement handle (GRDB's `StatementArguments` would box every
/// value). Values are parsed straight from the input buffer: nothing becomes a Swift `String`
/// except JSON keys.
struct Importer {
    let progress: (@Sendable (ImportProgress) -> Void)?

    private func makeSource(_ input: ChunkedInput, format: DataFormat, knownColumns: [String]?, validating: Bool) throws
        -> any RecordSource
    {
        switch format {
        case .csv, .tsv: return try DelimitedSource(input: input, format: format, validatesUTF8: validating)
        case .jsonl, .json: return JSONSource(input: input, format: format, knownColumns: knownColumns, validatesUTF8: validating)
        }
    }

    /// The first pass: checks the file (at `url`, already resolved inside the study) and infers
    /// its column types.
    func scan(_ file: DatasetManifest.DataFile, url: URL) throws -> FileScan {
        guard let format = file.resolvedFormat else {
            throw DatasetError.cannotRead(path: file.path, reason: "no format given and the extension implies none")
        }
        let before = try FileStamp(url: url, displayPath: file.path)
        let hasher = BackgroundHash(url: url)
        let result: (columns: [String], shapes: [ShapeSet], declared: [ColumnType?], rows: Int)
        if let parallel = inferInChunks(file: file, url: url, format: format) {
            result = parallel
        } else {
            let input = try ChunkedInput(url: url, displayPath: file.path, gzip: file.isGzipCompressed)
            let source = try makeSource(input, format: format, knownColumns: nil, validating: true)
            result = try infer(source, file: file, format: format)
        }
        let sha256 = try hasher.result(displayPath: file.path)
        let after = try FileStamp(url: url, displayPath: file.path)
        guard before == after else { throw DatasetError.changedDuringImport(path: file.path) }
        if let overrides = file.columns {
            let known = Set(result.columns.map { $0.lowercased() })
            if let unknown = overrides.keys.sorted().first(where: { !known.contains($0.lowercased()) }) {
                throw DatasetError.invalidData(SourceLocation(file: file.path), expected: "a column named '\(unknown)' (the manifest declares its type)",
                                               found: "the columns \(result.columns.joined(separator: ", "))")
            }
        }
        return FileScan(file: file, url: url, format: format, columns: result.columns, shapes: result.shapes,
                        declared: result.declared, rows: result.rows, sha256: sha256, size: before.size, modified: before.modified)
    }

    /// Plain CSV and TSV files of at least this size are scanned in parallel chunks.
    static let parallelScanBytes: Int64 = 8 << 20

    /// The first pass over a plain CSV or TSV file in chunks, one thread per core: nil when the
    /// file is too small, compressed or of another format, and whenever anything is wrong or
    /// uncertain, so that the serial pass reads the file again and locates the problem.
    ///
    /// The chunks are cut at line starts, which may fall inside a quoted field: each chunk is
    /// parsed as if its first line started a record, and the cut is then checked. Chunk 0 starts
    /// after the header, where a record does start. A chunk that starts where a record starts
    /// parses true records, and the first record it finds that starts at or after the next cut is
    /// where a record truly starts; when that is where the next chunk's first record starts, the
    /// next chunk parsed true records too (from the same byte the parse is the same). A cut inside
    /// a quoted field fails this check, and the file is scanned serially.
    func inferInChunks(file: DatasetManifest.DataFile, url: URL, format: DataFormat, workers: Int? = nil)
        -> (columns: [String], shapes: [ShapeSet], declared: [ColumnType?], rows: Int)?
    {
        let workers = workers ?? ProcessInfo.processInfo.activeProcessorCount
        guard workers > 1, format == .csv || format == .tsv, !file.isGzipCompressed,
              let headerInput = try? ChunkedInput(url: url, displayPath: file.path),
              headerInput.totalBytes >= Self.parallelScanBytes,
              let header = try? DelimitedSource(input: headerInput, format: format, validatesUTF8: true) else { return nil }
        let dialect = header.dialect, total = headerInput.totalBytes, dataStart = header.consumedOffset
        let lowercased = Dictionary((file.columns ?? [:]).map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        let declared = dialect.columnNames.map { lowercased[$0.lowercased()] }
        let chunkCount = Int(min(Int64(workers * 4), max(1, (total - dataStart) / (4 << 20))))
        var cuts = [dataStart]
        for k in 1..<max(chunkCount, 1) {
            guard let cut = Self.lineStart(atOrAfter: dataStart + (total - dataStart) * Int64(k) / Int64(chunkCount), in: url, size: total) else {
                return nil
            }
            if cut > cuts.last!, cut < total { cuts.append(cut) }
        }
        guard cuts.count > 1 else { return nil }
        cuts.append(total)
        let bounds = cuts
        let results = ChunkScans(count: bounds.count - 1)
        let path = file.path
        DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { k in
            results.set(k, Result { try Self.scanChunk(url: url, displayPath: path, dialect: dialect, declared: declared,
                                                      from: bounds[k], to: bounds[k + 1]) })
        }
        var shapes = [ShapeSet](repeating: ShapeSet(), count: dialect.columnNames.count)
        var rows = 0
        let scans = results.values
        for (k, outcome) in scans.enumerated() {
            guard case .success(let scan) = outcome else { return nil }
            if k + 1 < scans.count {
                guard case .success(let next) = scans[k + 1], next.firstRecord == scan.stop else { return nil }
            }
            for column in shapes.indices { shapes[column].formUnion(scan.shapes[column]) }
            rows += scan.rows
        }
        progress?(ImportProgress(file: file.path, phase: .scanning, bytesRead: total, totalBytes: total, rows: rows))
        return (dialect.columnNames, shapes, declared, rows)
    }

    /// What one chunk of a parallel scan found.
    struct ChunkScan: Sendable {
        var shapes: [ShapeSet]
        var rows: Int
        /// Where the first record the chunk read starts (the file's size when it read none).
        var firstRecord: Int64
        /// Where the first record at or after the chunk's end starts (the file's size at its end).
        var stop: Int64
    }

    private static func scanChunk(url: URL, displayPath: String, dialect: DelimitedSource.Dialect, declared: [ColumnType?],
                                  from start: Int64, to end: Int64) throws -> ChunkScan {
        let source = try DelimitedSource(chunkOf: url, displayPath: displayPath, dialect: dialect, offset: start, validatesUTF8: true)
        var shapes = [ShapeSet](repeating: ShapeSet(), count: dialect.columnNames.count)
        var rows = 0
        var first: Int64?
        var stop = source.input.totalBytes
        while try source.next() {
            let offset = source.recordOffset
            if first == nil { first = offset }
            if offset >= end {
                stop = offset
                break
            }
            for column in shapes.indices {
                let value = source.value(at: column)
                if let type = declared[column] {
                    guard fits(value, shape: value.shape(readingStrings: true), type: type) else { throw CannotSplit() }
                } else {
                    shapes[column].insert(value.shape(readingStrings: false))
                }
            }
            rows += 1
        }
        return ChunkScan(shapes: shapes, rows: rows, firstRecord: first ?? source.input.totalBytes, stop: stop)
    }

    private struct CannotSplit: Error {}

    /// The offset of the first line start at or after `offset`: just after the first line feed
    /// at or after `offset - 1` (the file's size when there is none).
    static func lineStart(atOrAfter offset: Int64, in url: URL, size: Int64) -> Int64? {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var position = offset - 1
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
        defer { buffer.deallocate() }
        while position < size {
            let count = pread(descriptor, buffer, 1 << 16, off_t(position))
            guard count > 0 else { return nil }
            for index in 0..<count where buffer[index] == 0x0A { return position + Int64(index) + 1 }
            position += Int64(count)
        }
        return size
    }

    private func infer<Source: RecordSource>(_ source: Source, file: DatasetManifest.DataFile, format: DataFormat) throws
        -> (columns: [String], shapes: [ShapeSet], declared: [ColumnType?], rows: Int)
    {
        var overrides: [ColumnType?] = []
        var seen: [ShapeSet] = []
        let lowercasedOverrides = Dictionary((file.columns ?? [:]).map { ($0.key.lowercased(), $0.value) },
                                             uniquingKeysWith: { first, _ in first })
        var rows = 0
        while try source.next() {
            let columnCount = source.columnNames.count
            while overrides.count < columnCount {
                overrides.append(lowercasedOverrides[source.columnNames[overrides.count].lowercased()])
                seen.append(ShapeSet())
            }
            for column in 0..<columnCount {
                let value = source.value(at: column)
                if let declared = overrides[column] {
                    let shape = value.shape(readingStrings: true)
                    guard fits(value, shape: shape, type: declared) else {
                        throw DatasetError.valueDoesNotFitType(source.location(ofColumn: column), column: source.columnNames[column],
                                                               type: declared, value: value.text)
                    }
                } else {
                    seen[column].insert(value.shape(readingStrings: false))
                }
            }
            rows += 1
            if rows & 0x3FFF == 0 { report(file.path, .scanning, source.input, rows) }
        }
        report(file.path, .scanning, source.input, rows)
        let columns = source.columnNames
        while overrides.count < columns.count {
            overrides.append(lowercasedOverrides[columns[overrides.count].lowercased()])
            seen.append(ShapeSet())
        }
        if columns.isEmpty {
            throw DatasetError.invalidData(SourceLocation(file: file.path), expected: "at least one object with a key",
                                           found: "no columns")
        }
        return (columns, seen, overrides, rows)
    }

    /// The second pass: inserts a scanned file's rows into its table of `db` (created by the
    /// caller with ``TablePlan``), each column bound as the table's type for it, and the file's
    /// added columns as constants.
    func insert(_ scan: FileScan, plan: TablePlan, into db: Database) throws {
        let added = scan.file.sortedAddColumns
        let names = scan.columns + added.map(\.name)
        let types = names.map { plan.type(of: $0) }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let statement = try db.makeStatement(sql: """
            INSERT INTO \(quoteIdentifier(plan.table)) (\(names.map(quoteIdentifier).joined(separator: ", "))) VALUES (\(placeholders))
            """)
        let handle = statement.sqliteStatement
        let connection = db.sqliteConnection
        let input = try ChunkedInput(url: scan.url, displayPath: scan.file.path, gzip: scan.file.isGzipCompressed)
        let source = try makeSource(input, format: scan.format, knownColumns: scan.columns, validating: false)
        guard source.columnNames == scan.columns else { throw DatasetError.changedDuringImport(path: scan.file.path) }
        let fileColumns = scan.columns.count
        for (offset, constant) in added.enumerated() {
            let parameter = Int32(fileColumns + offset + 1)
            // A terminating zero keeps the buffer non-empty, so it always has an address.
            try (Array(constant.value.utf8) + [0]).withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                let value = FieldValue(kind: .text, bytes: base, count: buffer.count - 1)
                guard try bind(value, type: types[fileColumns + offset], to: handle, at: parameter, transient: true) else {
                    throw DatasetError.valueDoesNotFitType(SourceLocation(file: scan.file.path), column: added[offset].name,
                                                           type: types[fileColumns + offset], value: added[offset].value)
                }
            }
        }
        var rows = 0
        while try source.next() {
            for column in 0..<fileColumns {
                let value = source.value(at: column)
                let parameter = Int32(column + 1)
                guard try bind(value, type: types[column], to: handle, at: parameter) else {
                    throw DatasetError.changedDuringImport(path: scan.file.path)
                }
            }
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                let message = String(cString: sqlite3_errmsg(connection))
                sqlite3_reset(handle)
                throw DatasetError.sqlite(message)
            }
            // Reset keeps the bindings, so the added columns' constants stay bound.
            sqlite3_reset(handle)
            rows += 1
            if rows & 0x3FFF == 0 { report(scan.file.path, .inserting, input, rows) }
        }
        report(scan.file.path, .inserting, input, rows)
        guard rows == scan.rows, try FileStamp(url: scan.url, displayPath: scan.file.path) == FileStamp(size: scan.size, modified: scan.modified) else {
            throw DatasetError.changedDuringImport(path: scan.file.path)
        }
    }

    /// Binds one value as its column's type; false when it no longer fits (the file changed).
    @inline(__always)
    private func bind(_ value: FieldValue, type: ColumnType, to handle: OpaquePointer, at parameter: Int32,
                      transient: Bool = false) throws -> Bool {
        let code: Int32
        if value.kind == .null || (value.count == 0 && (value.kind == .text || type != .text)) {
            code = sqlite3_bind_null(handle, parameter)
        } else {
            switch type {
            case .text:
                // SQLITE_TRANSIENT (-1) makes SQLite copy a constant that outlives this call.
                code = sqlite3_bind_text64(handle, parameter, UnsafeRawPointer(value.bytes).assumingMemoryBound(to: CChar.self),
                                           sqlite3_uint64(value.count),
                                           transient ? unsafeBitCast(-1, to: sqlite3_destructor_type.self) : nil, UInt8(SQLITE_UTF8))
            case .integer, .boolean:
                if let flag = booleanValue(value.bytes, value.count) {
                    code = sqlite3_bind_int64(handle, parameter, flag)
                } else if let integer = parseInteger(value.bytes, value.count),
                          type == .integer || integer == 0 || integer == 1 {
                    code = sqlite3_bind_int64(handle, parameter, integer)
                } else {
                    return false
                }
            case .real:
                if value.count < 16, let integer = parseInteger(value.bytes, value.count) {
                    code = sqlite3_bind_double(handle, parameter, Double(integer))
                } else if let real = parseReal(value.bytes, value.count) {
                    code = sqlite3_bind_double(handle, parameter, real)
                } else {
                    return false
                }
            }
        }
        if code != SQLITE_OK { throw DatasetError.sqlite(String(cString: sqlite3_errstr(code))) }
        return true
    }

    private func report(_ file: String, _ phase: ImportProgress.Phase, _ input: ChunkedInput, _ rows: Int) {
        progress?(ImportProgress(file: file, phase: phase, bytesRead: input.bytesRead, totalBytes: input.totalBytes, rows: rows))
    }
}

/// Whether a value may be stored in a column the manifest declares: integers also take the
/// boolean words (as 0/1), reals take integers, booleans take 0 and 1, text takes anything.
private func fits(_ value: FieldValue, shape: ValueShape, type: ColumnType) -> Bool {
    switch (shape, type) {
    case (.empty, _), (_, .text): return value.kind != .json || type == .text
    case (.integer, .integer), (.boolean, .integer), (.integer, .real), (.real, .real), (.boolean, .boolean):
        return true
    case (.integer, .boolean):
        return value.count == 1 && (value.bytes[0] == UInt8(ascii: "0") || value.bytes[0] == UInt8(ascii: "1"))
    default: return false
    }
}

/// The columns and types of one table, which one file or several (appended) fill.
///
/// Columns are the union of the files' columns in first-seen order, then the added columns; a
/// column's type is the one the manifest declares, else the one all files' values add up to (a
/// column empty in one snapshot does not turn the others' numbers into text).
struct TablePlan {
    let table: String
    private var fileColumns: [String] = []
    private var addedColumns: [String] = []
    private var shapes: [ShapeSet] = []
    private var declared: [ColumnType?] = []
    private var index: [String: Int] = [:]

    /// The files' columns in first-seen order, then the added ones.
    var columns: [String] { fileColumns + addedColumns }

    init(table: String) { self.table = table }

    /// Adds a file's columns; a CSV or TSV file must have the columns of the table's first
    /// delimited file, in the same order (a snapshot with a renamed or missing column would
    /// otherwise fill the table with NULLs).
    mutating func add(_ scan: FileScan, first: FileScan) throws {
        let delimited: (DataFormat) -> Bool = { $0 == .csv || $0 == .tsv }
        if delimited(scan.format), delimited(first.format), scan.file.path != first.file.path {
            let mine = scan.columns.map { $0.lowercased() }, theirs = first.columns.map { $0.lowercased() }
            if mine != theirs {
                let position = Array(zip(mine, theirs)).firstIndex { $0 != $1 } ?? min(mine.count, theirs.count)
                let found = position < scan.columns.count ? "column \(position + 1) '\(scan.columns[position])'" : "no column \(position + 1)"
                let expected = position < first.columns.count ? "'\(first.columns[position])'" : "no such column"
                throw DatasetError.invalidData(SourceLocation(file: scan.file.path, line: 1),
                    expected: "the columns of '\(first.file.path)', the first file of table '\(table)' (\(first.columns.joined(separator: ", ")))",
                    found: "\(found) where it has \(expected)")
            }
        }
        for (offset, name) in scan.columns.enumerated() {
            let slot = slot(for: name, added: false)
            shapes[slot].formUnion(scan.shapes[offset])
            if declared[slot] == nil { declared[slot] = scan.declared[offset] }
        }
        for (name, value) in scan.file.sortedAddColumns {
            if let clash = scan.columns.first(where: { $0.lowercased() == name.lowercased() }) {
                throw DatasetError.invalidData(SourceLocation(file: scan.file.path, line: 1),
                                               expected: "no column named like the added column '\(name)'", found: "the column '\(clash)'")
            }
            let slot = slot(for: name, added: true)
            Array(value.utf8).withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress { shapes[slot].insert(classify(base, buffer.count)) }
            }
        }
    }

    private mutating func slot(for name: String, added: Bool) -> Int {
        if let slot = index[name.lowercased()] { return slot }
        index[name.lowercased()] = shapes.count
        if added { addedColumns.append(name) } else { fileColumns.append(name) }
        shapes.append(ShapeSet())
        declared.append(nil)
        return shapes.count - 1
    }

    func type(of name: String) -> ColumnType {
        guard let slot = index[name.lowercased()] else { return .text }
        return declared[slot] ?? shapes[slot].inferredType
    }

    var createStatement: String {
        let list = columns.map { "\(quoteIdentifier($0)) \(type(of: $0).declaredType)" }.joined(separator: ", ")
        return "CREATE TABLE \(quoteIdentifier(table)) (\(list))"
    }
}

/// The shapes seen in a column, and the type they add up to.
struct ShapeSet {
    var integer = false, real = false, boolean = false, text = false

    @inline(__always)
    mutating func insert(_ shape: ValueShape) {
        switch shape {
        case .empty: break
        case .integer: integer = true
        case .real: real = true
        case .boolean: boolean = true
        case .text: text = true
        }
    }

    /// One hexadecimal digit per column (bits: integer, real, boolean, text), as the derived
    /// database records a file's shapes.
    static func encode(_ shapes: [ShapeSet]) -> String {
        String(shapes.map { shape -> Character in
            let bits = (shape.integer ? 1 : 0) | (shape.real ? 2 : 0) | (shape.boolean ? 4 : 0) | (shape.text ? 8 : 0)
            return Character(String(bits, radix: 16))
        })
    }

    static func decode(_ text: String) -> [ShapeSet]? {
        var shapes: [ShapeSet] = []
        for character in text {
            guard let bits = Int(String(character), radix: 16) else { return nil }
            shapes.append(ShapeSet(integer: bits & 1 != 0, real: bits & 2 != 0, boolean: bits & 4 != 0, text: bits & 8 != 0))
        }
        return shapes
    }

    mutating func formUnion(_ other: ShapeSet) {
        integer = integer || other.integer
        real = real || other.real
        boolean = boolean || other.boolean
        text = text || other.text
    }

    /// Text if anything is text or booleans mix with numbers; else boolean, real, integer in that
    /// order; a column with no values at all is text.
    var inferredType: ColumnType {
        if text || (boolean && (integer || real)) { return .text }
        if boolean { return .boolean }
        if real { return .real }
        if integer { return .integer }
        return .text
    }
}

/// A double-quoted SQL identifier, with embedded quotes doubled.
func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// A file's size and modification time, to notice a change cheaply.
struct FileStamp: Equatable, Codable {
    var size: Int64
    var modified: Date?

    init(size: Int64, modified: Date?) {
        self.size = size
        self.modified = modified
    }

    init(url: URL, displayPath: String) throws {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: url.path) } catch {
            throw DatasetError.cannotRead(path: displayPath, reason: "no such file, or no permission to read it")
        }
        size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        modified = attributes[.modificationDate] as? Date
    }
}

/// The outcomes of a parallel scan's chunks, set from the threads that scan them.
private final class ChunkScans: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [Result<Importer.ChunkScan, any Error>?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: Result<Importer.ChunkScan, any Error>) {
        lock.lock()
        outcomes[index] = outcome
        lock.unlock()
    }

    var values: [Result<Importer.ChunkScan, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return outcomes.map { $0 ?? .failure(DatasetError.sqlite("a chunk was not scanned")) }
    }
}

/// A SHA-256 computed on another thread while the first pass parses the same file.
private final class BackgroundHash: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<String, any Error> = .success("")

    init(url: URL) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.outcome = Result { try ContentHash.sha256(fileAt: url) }
            self.done.signal()
        }
    }

    func result(displayPath: String) throws -> String {
        done.wait()
        do { return try outcome.get() } catch {
            throw DatasetError.cannotRead(path: displayPath, reason: "\(error)")
        }
    }
}
