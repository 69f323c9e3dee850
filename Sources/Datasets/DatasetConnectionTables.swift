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
