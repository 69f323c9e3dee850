import Core
import Foundation

/// One table of a dataset laid out exactly as the SQLite import lays it out, for loading it into
/// another engine: the union of its files' columns in first-seen order, then the added columns,
/// each with the type all the files' values add up to (or the type the manifest declares), and
/// the files that fill it, in manifest order.
public struct TableLayout {
    public let name: String
    public let columns: [String]
    public let types: [ColumnType]
    public let files: [ScannedDataFile]
}

extension DataFileReader {
    /// The first pass over every file, grouped into tables as the SQLite import groups them: a
    /// type declared on one file of a table holds for every file appended to it, and a CSV file
    /// whose columns differ from the table's first one is an error naming both.
    public func scanTables(_ files: [DatasetManifest.DataFile]) throws -> [TableLayout] {
        var declared: [String: [String: ColumnType]] = [:]
        for file in files where declared[file.table.lowercased()] == nil { declared[file.table.lowercased()] = file.columns }
        let scans = try files.map { file -> FileScan in
            var copy = file
            copy.columns = declared[file.table.lowercased()] ?? nil
            return try scan(copy).scan
        }
        return try DatasetStore.plans(for: scans).map { plan, group in
            TableLayout(name: plan.table, columns: plan.columns, types: plan.columns.map(plan.type(of:)),
                        files: group.map { ScannedDataFile(scan: $0) })
        }
    }

    /// The second pass over one file of `table`: hands every record to `body` as one typed field
    /// per column of the table, in its order (NULL for a column this file lacks, the file's added
    /// columns as their constants), typed as the SQLite import stores them.
    public func readRows(_ file: ScannedDataFile, of table: TableLayout,
                         _ body: (UnsafeBufferPointer<TypedField>) throws -> Void) throws {
        var slots: [String: Int] = [:]
        for (index, name) in table.columns.enumerated() where slots[name.lowercased()] == nil { slots[name.lowercased()] = index }
        let mapping = try file.columns.map { name -> Int in
            guard let slot = slots[name.lowercased()] else { throw DatasetError.changedDuringImport(path: file.file.path) }
            return slot
        }
        var row = [TypedField](repeating: .null, count: table.columns.count)
        // The constants' bytes live as long as the rows that point at them.
        var storage: [UnsafeMutableBufferPointer<UInt8>] = []
        defer { storage.forEach { $0.deallocate() } }
        for (name, value) in file.file.sortedAddColumns {
            guard let slot = slots[name.lowercased()] else { throw DatasetError.changedDuringImport(path: file.file.path) }
            let utf8 = Array(value.utf8)
            let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(utf8.count, 1))
            _ = bytes.initialize(from: utf8)
            storage.append(bytes)
            let field = FieldValue(kind: .text, bytes: UnsafePointer(bytes.baseAddress!), count: utf8.count)
            guard let typed = Self.typed(field, as: table.types[slot]) else {
                throw DatasetError.valueDoesNotFitType(SourceLocation(file: file.file.path), column: name, type: table.types[slot], value: value)
            }
            row[slot] = typed
        }
        try readRecords(file, types: mapping.map { table.types[$0] }) { fields in
            for (index, field) in fields.enumerated() { row[mapping[index]] = field }
            try row.withUnsafeBufferPointer { try body($0) }
        }
    }
}

extension DataFileReader {
    /// A file's SHA-256 as an import records it (of the file as stored, compressed or not), read
    /// again only when its size or modification time changed since it was last hashed.
    public static func sha256(of file: DatasetManifest.DataFile, studyRoot: URL) throws -> String {
        let url = try InputPaths(studyRoot: studyRoot).resolve(file.path, allowOutside: file.outside == true)
        return try DatasetStore(studyRoot: studyRoot).cachedHash(of: url, displayPath: file.path)
    }

    /// How each file is loaded, beyond its content: its table, format, the column types declared
    /// for its table (the first file of a table that declares any declares them for all) and its
    /// added columns, by path. A file whose content and spec are unchanged need not be loaded again.
    public static func loadSpecs(_ files: [DatasetManifest.DataFile]) -> [String: String] {
        var declared: [String: [String: ColumnType]] = [:]
        for file in files where declared[file.table.lowercased()] == nil { declared[file.table.lowercased()] = file.columns }
        var specs: [String: String] = [:]
        for file in files {
            let columns = (declared[file.table.lowercased()] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" }
            let added = file.sortedAddColumns.map { "\($0.name)=\($0.value)" }
            specs[file.path] = ["version \(DatasetStore.importVersion)", file.table.lowercased(), file.resolvedFormat?.rawValue ?? "",
                                columns.joined(separator: ","), added.joined(separator: ",")].joined(separator: "\t")
        }
        return specs
    }
}
