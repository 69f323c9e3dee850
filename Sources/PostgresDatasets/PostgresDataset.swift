import Core
import Datasets
import Foundation

/// A PostgreSQL dataset: opening it for metric queries, and loading data files into it.
public struct PostgresDataset: Sendable {
    public var manifest: PostgresManifest
    /// Where relative file paths in the manifest start.
    public var studyRoot: URL

    public init(manifest: PostgresManifest, studyRoot: URL) {
        self.manifest = manifest
        self.studyRoot = studyRoot
    }

    /// Opens the dataset for metric queries under the manifest's connection; see
    /// ``PostgresQueryConnection`` for the guarantees. Checks that the role only reads, that the
    /// schema exists, and that every file the manifest lists was loaded with the SHA-256 it
    /// records. The time limit is the argument, else the manifest's `query_timeout`, else 60 s.
    public func open(timeout: TimeInterval? = nil) throws -> PostgresQueryConnection {
        let connection = try PostgresQueryConnection(dataset: manifest.name, connection: manifest.connection, schema: manifest.schema,
                                                     timeout: timeout ?? manifest.queryTimeout ?? 60)
        do { try checkLoaded(connection) } catch {
            try? connection.close()
            throw error
        }
        return connection
    }

    private func checkLoaded(_ connection: PostgresQueryConnection) throws {
        let listed = manifest.files.filter { $0.sha256 != nil }
        guard !listed.isEmpty else { return }
        let loaded = Dictionary(try connection.loadedInputs().map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for file in listed {
            let command = "run `triangulate dataset import \(manifest.name) \(file.path) --table \(file.table) --into postgres` with a role that may load"
            guard let input = loaded[file.path] else {
                throw PostgresDatasetError.stale(dataset: manifest.name,
                    reason: "the manifest lists \(file.path) for table '\(file.table)', but the server records no load of it in schema '\(manifest.schema)'; \(command)")
            }
            if input.sha256 != file.sha256 {
                throw PostgresDatasetError.stale(dataset: manifest.name,
                    reason: "table '\(file.table)' on the server was loaded from a version of \(file.path) with SHA-256 \(input.sha256.prefix(12))…, the manifest records \(file.sha256!.prefix(12))…; \(command)")
            }
        }
    }

    /// Loads the manifest's files into its schema with `COPY … FROM STDIN`, in one transaction:
    /// either every table is replaced and recorded in `_triangulate_inputs`, or nothing changes.
    ///
    /// Each file is first scanned as the SQLite import scans it (checked, column types inferred,
    /// SHA-256 computed), then streamed to the server typed the same way: `integer` as `bigint`,
    /// `real` as `double precision`, `text` as `text COLLATE "C"` (so ORDER BY sorts as SQLite
    /// does, byte by byte), `boolean` as `smallint` holding 0/1 (so `SUM(flag)` and `flag = 1`
    /// work unchanged on both engines). `loadConnection` is the role that may create tables
    /// (default: the manifest's); returns the manifest with each file's SHA-256 and rows.
    public func load(connection loadConnection: ConnectionString? = nil,
                     progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> PostgresManifest {
        let reader = DataFileReader(studyRoot: studyRoot, progress: progress)
        let scans = try manifest.files.map(reader.scan)
        let session = try PostgresSession(loadConnection ?? manifest.connection, dataset: manifest.name)
        defer { session.close() }
        let schema = quoted(manifest.schema)
        do {
            try session.execute("""
                BEGIN;
                SELECT pg_advisory_xact_lock(hashtext(\(literal("triangulate " + manifest.schema))));
                CREATE SCHEMA IF NOT EXISTS \(schema);
                CREATE TABLE IF NOT EXISTS \(schema)._triangulate_inputs (
                    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, "table" TEXT NOT NULL, format TEXT NOT NULL, rows BIGINT NOT NULL)
                """, deadline: nil)
            for scan in scans {
                let table = "\(schema).\(quoted(scan.file.table))"
                let columns = zip(scan.columns, scan.types).map { name, type in
                    let column = quoted(name)
                    switch type {
                    case .integer: return "\(column) BIGINT"
                    case .real: return "\(column) DOUBLE PRECISION"
                    case .text: return "\(column) TEXT COLLATE \"C\""
                    case .boolean: return "\(column) SMALLINT CHECK (\(column) IN (0, 1))"
                    }
                }
                try session.execute("DROP TABLE IF EXISTS \(table); CREATE TABLE \(table) (\(columns.joined(separator: ", ")))", deadline: nil)
                let copied = try session.copyIn("COPY \(table) FROM STDIN") { writer in
                    try reader.readRecords(scan) { fields in
                        for (index, field) in fields.enumerated() {
                            if index > 0 { writer.append(0x09) }
                            Self.write(field, to: writer)
                        }
                        try writer.endRow()
                    }
                }
                guard copied == scan.rows else { throw DatasetError.changedDuringImport(path: scan.file.path) }
                try session.execute("DELETE FROM \(schema)._triangulate_inputs WHERE path = $1 OR \"table\" = $2",
                                    parameters: [scan.file.path, scan.file.table], deadline: nil)
                try session.execute("INSERT INTO \(schema)._triangulate_inputs VALUES ($1, $2, $3, $4, $5)",
                                    parameters: [scan.file.path, scan.sha256, scan.file.table, scan.format.rawValue, String(scan.rows)],
                                    deadline: nil)
            }
            try session.execute("COMMIT", deadline: nil)
        } catch {
            _ = try? session.execute("ROLLBACK", deadline: Date().addingTimeInterval(5))
            if let error = error as? PostgresServerError {
                throw PostgresDatasetError.server(dataset: manifest.name, sqlState: error.sqlState, message: error.message)
            }
            throw error
        }
        var updated = manifest
        updated.files = zip(manifest.files, scans).map { file, scan in
            var file = file
            file.sha256 = scan.sha256
            file.rows = scan.rows
            return file
        }
        return updated
    }

    /// Writes one field in COPY's text format: `\N` for NULL, backslash, tab, newline and carriage
    /// return escaped in text.
    @inline(__always)
    private static func write(_ field: TypedField, to writer: CopyWriter) {
        switch field {
        case .null:
            writer.append(UInt8(ascii: "\\"))
            writer.append(UInt8(ascii: "N"))
        case .integer(let value):
            writeInteger(value, to: writer)
        case .real(let value):
            var text = value.description
            text.withUTF8 { writer.append($0) }
        case .text(let bytes):
            var start = 0
            for index in bytes.indices {
                let escape: UInt8
                switch bytes[index] {
                case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
                case 0x09: escape = UInt8(ascii: "t")
                case 0x0A: escape = UInt8(ascii: "n")
                case 0x0D: escape = UInt8(ascii: "r")
                default: continue
                }
                if index > start { writer.append(UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                writer.append(UInt8(ascii: "\\"))
                writer.append(escape)
                start = index + 1
            }
            if start < bytes.count { writer.append(UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
    }

    @inline(__always)
    private static func writeInteger(_ value: Int64, to writer: CopyWriter) {
        if value < 0 { writer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
                magnitude /= 10
                count += 1
            } while magnitude > 0
            writer.append(UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[(20 - count)...]))
        }
    }
}
