import Core
import Foundation

/// One field of an imported record, converted to its column's type as the SQLite import stores it.
///
/// Text is a view of the reader's buffer, valid only while the record is being handed over.
public enum TypedField {
    case null
    /// An integer, or a boolean column's 0 or 1.
    case integer(Int64)
    case real(Double)
    /// UTF-8 bytes, already checked by the first pass.
    case text(UnsafeBufferPointer<UInt8>)
}

/// A data file after the first pass: its columns, their inferred (or declared) types, its rows and
/// its SHA-256.
public struct ScannedDataFile {
    public var file: DatasetManifest.DataFile { scan.file }
    public var columns: [String] { scan.columns }
    public var types: [ColumnType] { zip(scan.declared, scan.shapes).map { $0 ?? $1.inferredType } }
    public var rows: Int { scan.rows }
    /// The file's SHA-256, hashed beside the second pass: asking for it waits for the hash and
    /// checks that the file has not changed since the first pass.
    public var sha256: String { get throws { try scan.sha256() } }
    public var format: DataFormat { scan.format }
    let scan: FileScan
}

/// The SQLite importer's two passes, for loading a data file into another engine.
///
/// The first pass (``scan(_:)``) is the importer's own: it checks every record, infers each
/// column's type from all its values, and hashes the file. The second (``readRecords(_:_:)``)
/// reads the file again and hands each record over typed exactly as the SQLite import binds it
/// (empty fields of non-text columns are NULL, booleans are 0/1, integers in a real column are
/// reals), so a table loaded elsewhere holds the same values as the derived SQLite database.
public struct DataFileReader {
    private let importer: Importer
    private let paths: InputPaths
    private let progress: (@Sendable (ImportProgress) -> Void)?

    public init(studyRoot: URL, progress: (@Sendable (ImportProgress) -> Void)? = nil) {
        importer = Importer(progress: progress)
        paths = InputPaths(studyRoot: studyRoot)
        self.progress = progress
    }

    /// The first pass: checks the file, infers its column types and computes its SHA-256.
    public func scan(_ file: DatasetManifest.DataFile) throws -> ScannedDataFile {
        ScannedDataFile(scan: try importer.scan(file, url: try paths.resolve(file.path, allowOutside: file.outside == true)))
    }

    /// The second pass: hands every record to `body` as one typed field per column, typed as
    /// `types` (default: the file's own inferred types; a table several files fill has the types
    /// of all of them, see ``DataFileReader/scanTables(_:)``). Throws
    /// ``DatasetError/changedDuringImport(path:)`` when the file no longer matches its scan.
    public func readRecords(_ scanned: ScannedDataFile, types: [ColumnType]? = nil,
                            _ body: (UnsafeBufferPointer<TypedField>) throws -> Void) throws {
        let scan = scanned.scan
        let input = try ChunkedInput(url: scan.url, displayPath: scan.file.path, gzip: scan.file.isGzipCompressed)
        let source: any RecordSource
        switch scan.format {
        case .csv, .tsv: source = try DelimitedSource(input: input, format: scan.format, validatesUTF8: false)
        case .jsonl, .json: source = JSONSource(input: input, format: scan.format, knownColumns: scan.columns, validatesUTF8: false)
        }
        guard source.columnNames == scan.columns else { throw DatasetError.changedDuringImport(path: scan.file.path) }
        let types = types ?? scanned.types
        guard types.count == scan.columns.count else { throw DatasetError.changedDuringImport(path: scan.file.path) }
        var fields = [TypedField](repeating: .null, count: types.count)
        var rows = 0
        while try source.next() {
            for column in types.indices {
                guard let field = Self.typed(source.value(at: column), as: types[column]) else {
                    throw DatasetError.changedDuringImport(path: scan.file.path)
                }
                fields[column] = field
            }
            try fields.withUnsafeBufferPointer { try body($0) }
            rows += 1
            if rows & 0x3FFF == 0 { report(scan.file.path, input, rows) }
        }
        report(scan.file.path, input, rows)
        guard rows == scan.rows,
              try FileStamp(url: scan.url, displayPath: scan.file.path) == FileStamp(size: scan.size, modified: scan.modified)
        else {
            throw DatasetError.changedDuringImport(path: scan.file.path)
        }
    }

    /// A field as its column's type, by the rules of the SQLite import's binding; nil when it no
    /// longer fits (the file changed since the scan).
    @inline(__always)
    static func typed(_ value: FieldValue, as type: ColumnType) -> TypedField? {
        if value.kind == .null || (value.count == 0 && (value.kind == .text || type != .text)) { return .null }
        switch type {
        case .text:
            return .text(UnsafeBufferPointer(start: value.bytes, count: value.count))
        case .integer, .boolean:
            if let flag = booleanValue(value.bytes, value.count) { return .integer(flag) }
            if let integer = parseInteger(value.bytes, value.count), type == .integer || integer == 0 || integer == 1 {
                return .integer(integer)
            }
            return nil
        case .real:
            if value.count < 16, let integer = parseInteger(value.bytes, value.count) { return .real(Double(integer)) }
            return parseReal(value.bytes, value.count).map { .real($0) }
        }
    }

    private func report(_ file: String, _ input: ChunkedInput, _ rows: Int) {
        progress?(ImportProgress(file: file, phase: .inserting, bytesRead: input.bytesRead, totalBytes: input.totalBytes, rows: rows))
    }
}
