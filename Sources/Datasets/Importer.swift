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
    /// The file's SHA-256, computed on a thread of its own beside the two passes.
    var hash: BackgroundHash
    var size: Int64
    var modified: Date?
    /// The first rowid of the file's rows in the previous derived database, when they are copied
    /// from there instead of parsed again.
    var reusedFrom: Int64? = nil
    /// Where the parallel first pass cut a plain CSV or TSV file, each cut checked to be where a
    /// record starts, and the file's size last; nil when the file was scanned whole.
    var cuts: [Int64]? = nil
    /// The header's dialect, for readers of the cut pieces.
    var dialect: DelimitedSource.Dialect? = nil

    /// The file's SHA-256: waits for the background hash if it is still reading, then checks that
    /// the file has not changed since the first pass (so the hash is that of the rows imported).
    func sha256() throws -> String {
        let sha256 = try hash.result(displayPath: file.path)
        if reusedFrom == nil, try FileStamp(url: url, displayPath: file.path) != FileStamp(size: size, modified: modified) {
            throw DatasetError.changedDuringImport(path: file.path)
        }
        return sha256
    }
}

extension FileScan {
    /// A file whose rows are copied from the previous import (nil when that import did not
    /// record what copying needs).
    init?(reusing firstRowid: Int64?, columns: [String]?, shapes: [ShapeSet]?, file: DatasetManifest.DataFile, url: URL,
          rows: Int, sha256: String) {
        guard let firstRowid, let columns, let shapes, shapes.count == columns.count, let format = file.resolvedFormat else { return nil }
        let declared = Dictionary((file.columns ?? [:]).map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.init(file: file, url: url, format: format, columns: columns, shapes: shapes,
                  declared: columns.map { declared[$0.lowercased()] }, rows: rows, hash: BackgroundHash(known: sha256), size: 0, modified: nil,
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
    /// its column types. `known` is the file's SHA-256 as hashed at a stamp (size and modification
    /// time): when the file still has that stamp, it is not read a second time to hash it.
    func scan(_ file: DatasetManifest.DataFile, url: URL, known: (stamp: FileStamp, sha256: String)? = nil) throws -> FileScan {
        guard let format = file.resolvedFormat else {
            throw DatasetError.cannotRead(path: file.path, reason: "no format given and the extension implies none")
        }
        let before = try FileStamp(url: url, displayPath: file.path)
        let result: (columns: [String], shapes: [ShapeSet], declared: [ColumnType?], rows: Int)
        var pieces: (cuts: [Int64], dialect: DelimitedSource.Dialect)?
        if let parallel = inferInChunks(file: file, url: url, format: format) {
            result = (parallel.columns, parallel.shapes, parallel.declared, parallel.rows)
            pieces = (parallel.cuts, parallel.dialect)
        } else {
            let input = try ChunkedInput(url: url, displayPath: file.path, gzip: file.isGzipCompressed)
            let source = try makeSource(input, format: format, knownColumns: nil, validating: true)
            result = try infer(source, file: file, format: format)
        }
        let after = try FileStamp(url: url, displayPath: file.path)
        guard before == after else { throw DatasetError.changedDuringImport(path: file.path) }
        // Hashed after the first pass, which keeps every core busy, so the hash reads the file
        // beside the second, whose inserting thread leaves the other cores room.
        let hasher = known.flatMap { $0.stamp == before ? BackgroundHash(known: $0.sha256) : nil } ?? BackgroundHash(url: url)
        if let overrides = file.columns {
            let known = Set(result.columns.map { $0.lowercased() })
            if let unknown = overrides.keys.sorted().first(where: { !known.contains($0.lowercased()) }) {
                throw DatasetError.invalidData(SourceLocation(file: file.path), expected: "a column named '\(unknown)' (the manifest declares its type)",
                                               found: "the columns \(result.columns.joined(separator: ", "))")
            }
        }
        return FileScan(file: file, url: url, format: format, columns: result.columns, shapes: result.shapes,
                        declared: result.declared, rows: result.rows, hash: hasher, size: before.size, modified: before.modified,
                        cuts: pieces?.cuts, dialect: pieces?.dialect)
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
        -> (columns: [String], shapes: [ShapeSet], declared: [ColumnType?], rows: Int, cuts: [Int64], dialect: DelimitedSource.Dialect)?
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
        return (dialect.columnNames, shapes, declared, rows, bounds, dialect)
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
    ///
    /// Producer threads parse and convert the rows (each piece the first pass cut, or the whole
    /// file) into batches (``InsertPipeline``); this thread binds them to an INSERT of many rows
    /// at once, which costs SQLite far less per row than one statement a row, and steps it.
    func insert(_ scan: FileScan, plan: TablePlan, into db: Database) throws {
        let added = scan.file.sortedAddColumns
        let names = scan.columns + added.map(\.name)
        let types = names.map { plan.type(of: $0) }
        let fileColumns = scan.columns.count, width = names.count
        let limit = Int(sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_VARIABLE_NUMBER, -1))
        let rowsPerStatement = max(1, min(Self.rowsPerStatement, limit / max(width, 1)))
        func statement(rows: Int) throws -> Statement {
            let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            return try db.makeStatement(sql: """
                INSERT INTO \(quoteIdentifier(plan.table)) (\(names.map(quoteIdentifier).joined(separator: ", "))) \
                VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
                """)
        }
        // The statements are kept to the end: releasing one finalizes its handle.
        let statements = try [statement(rows: 1)] + (rowsPerStatement > 1 ? [statement(rows: rowsPerStatement)] : [])
        defer { withExtendedLifetime(statements) {} }
        let single = statements[0].sqliteStatement, many = statements[statements.count - 1].sqliteStatement
        // The added columns' constants, bound once in every row of both statements: reset keeps
        // bindings.
        let constants = RowBatch(capacity: 1, columns: added.count)
        for (offset, constant) in added.enumerated() {
            let type = types[fileColumns + offset]
            let converted = (Array(constant.value.utf8) + [0]).withUnsafeBufferPointer { buffer in
                buffer.baseAddress.flatMap {
                    BoundValue.convert(FieldValue(kind: .text, bytes: $0, count: buffer.count - 1), type: type, arena: &constants.arena)
                }
            }
            guard let converted else {
                throw DatasetError.valueDoesNotFitType(SourceLocation(file: scan.file.path), column: added[offset].name,
                                                       type: type, value: constant.value)
            }
            constants.values.append(converted)
        }
        try constants.arena.withUnsafeBufferPointer { arena in
            for (handle, rows) in rowsPerStatement > 1 ? [(single, 1), (many, rowsPerStatement)] : [(single, 1)] {
                for row in 0..<rows {
                    for (offset, value) in constants.values.enumerated() {
                        try bind(value, arena: arena.baseAddress!, to: handle, at: Int32(row * width + fileColumns + offset + 1), transient: true)
                    }
                }
            }
        }

        let pieces = scan.cuts.map { $0.count - 1 } ?? 1
        let batchRows = max(rowsPerStatement, (Self.batchValues / max(fileColumns, 1)) / rowsPerStatement * rowsPerStatement)
        let fileTypes = Array(types.prefix(fileColumns))
        let pool = BatchPool()
        let produce: @Sendable (Int, BatchChannel) throws -> Void = { [scan, self] piece, channel in
            let source: any RecordSource
            var end: Int64?
            if let cuts = scan.cuts, let dialect = scan.dialect {
                source = try DelimitedSource(chunkOf: scan.url, displayPath: scan.file.path, dialect: dialect, offset: cuts[piece],
                                             validatesUTF8: false)
                end = cuts[piece + 1]
            } else {
                let input = try ChunkedInput(url: scan.url, displayPath: scan.file.path, gzip: scan.file.isGzipCompressed)
                source = try makeSource(input, format: scan.format, knownColumns: scan.columns, validating: false)
                guard source.columnNames == scan.columns else { throw DatasetError.changedDuringImport(path: scan.file.path) }
            }
            let delimited = source as? DelimitedSource
            var batch = pool.take() ?? RowBatch(capacity: batchRows, columns: fileColumns)
            while try source.next() {
                if let end, let delimited, delimited.recordOffset >= end { break }
                for column in 0..<fileColumns {
                    guard let value = BoundValue.convert(source.value(at: column), type: fileTypes[column], arena: &batch.arena) else {
                        throw DatasetError.changedDuringImport(path: scan.file.path)
                    }
                    batch.values.append(value)
                }
                batch.rows += 1
                if batch.rows == batchRows {
                    guard channel.put(batch) else { throw PipelineStopped() }
                    batch = pool.take() ?? RowBatch(capacity: batchRows, columns: fileColumns)
                }
            }
            if batch.rows > 0, !channel.put(batch) { throw PipelineStopped() }
        }

        let connection = db.sqliteConnection
        func step(_ handle: OpaquePointer) throws {
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                let message = String(cString: sqlite3_errmsg(connection))
                sqlite3_reset(handle)
                throw DatasetError.sqlite(message)
            }
            sqlite3_reset(handle)
        }
        var rows = 0, reported = 0
        try InsertPipeline(workers: ProcessInfo.processInfo.activeProcessorCount).run(pieces: pieces, pool: pool, produce: produce) { batch in
            try batch.values.withUnsafeBufferPointer { values in
                try batch.arena.withUnsafeBufferPointer { arena in
                    let base = arena.baseAddress!
                    var row = 0
                    while row < batch.rows {
                        let count = batch.rows - row >= rowsPerStatement ? rowsPerStatement : 1
                        let handle = count == 1 ? single : many
                        for inRow in 0..<count {
                            let first = (row + inRow) * fileColumns, parameter = Int32(inRow * width + 1)
                            for column in 0..<fileColumns {
                                try bind(values[first + column], arena: base, to: handle, at: parameter + Int32(column))
                            }
                        }
                        try step(handle)
                        row += count
                    }
                }
            }
            rows += batch.rows
            if rows - reported >= 0x4000 {
                reported = rows
                report(scan, .inserting, rows)
            }
        }
        report(scan, .inserting, rows)
        guard rows == scan.rows, try FileStamp(url: scan.url, displayPath: scan.file.path) == FileStamp(size: scan.size, modified: scan.modified) else {
            throw DatasetError.changedDuringImport(path: scan.file.path)
        }
    }

    /// Rows an INSERT statement takes at once (fewer when the table is so wide that SQLite's
    /// limit on parameters is reached first).
    static let rowsPerStatement = 128
    /// Values a batch of the pipeline holds, under 1 MB.
    static let batchValues = 32_768

    /// Binds one converted value. Text points into the batch's arena, which lives until the
    /// statement has been stepped (`transient` makes SQLite copy it, for the constants).
    @inline(__always)
    private func bind(_ value: BoundValue, arena: UnsafePointer<UInt8>, to handle: OpaquePointer, at parameter: Int32,
                      transient: Bool = false) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, parameter)
        case .integer(let integer): code = sqlite3_bind_int64(handle, parameter, integer)
        case .real(let real): code = sqlite3_bind_double(handle, parameter, real)
        case .text(let start, let count):
            // SQLITE_TRANSIENT (-1) makes SQLite copy; nil (SQLITE_STATIC) binds the bytes in place.
            code = sqlite3_bind_text64(handle, parameter, UnsafeRawPointer(arena + start).assumingMemoryBound(to: CChar.self),
                                       sqlite3_uint64(count), transient ? unsafeBitCast(-1, to: sqlite3_destructor_type.self) : nil,
                                       UInt8(SQLITE_UTF8))
        }
        if code != SQLITE_OK { throw DatasetError.sqlite(String(cString: sqlite3_errstr(code))) }
    }

    private func report(_ scan: FileScan, _ phase: ImportProgress.Phase, _ rows: Int) {
        let share = scan.rows > 0 ? Double(rows) / Double(scan.rows) : 1
        progress?(ImportProgress(file: scan.file.path, phase: phase, bytesRead: Int64(Double(scan.size) * min(share, 1)),
                                 totalBytes: scan.size, rows: rows))
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

/// A file's SHA-256, computed on a thread of its own while the importer reads the file (or
/// already known); ``result(displayPath:)`` waits for it.
final class BackgroundHash: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<String, any Error> = .success("")

    init(known sha256: String) {
        outcome = .success(sha256)
        done.signal()
    }

    init(url: URL) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.outcome = Result { try ContentHash.sha256(fileAt: url) }
            self.done.signal()
        }
    }

    /// The hash, once it is done; may be asked for any number of times.
    func result(displayPath: String) throws -> String {
        done.wait()
        done.signal()
        do { return try outcome.get() } catch {
            throw DatasetError.cannotRead(path: displayPath, reason: "\(error)")
        }
    }
}
