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
    /// records. The time limit is the argument, else the manifest's `query_timeout`, else 60 s;
    /// the row limit the manifest's `max_rows`, else ``QueryLimits/defaultMaxRows``.
    public func open(timeout: TimeInterval? = nil) throws -> PostgresQueryConnection {
        let connection = try PostgresQueryConnection(dataset: manifest.name, connection: manifest.connection, schema: manifest.schema,
                                                     timeout: timeout ?? manifest.queryTimeout ?? 60,
                                                     maxRows: manifest.maxRows ?? QueryLimits.defaultMaxRows)
        do { try checkLoaded(connection) } catch {
            try? connection.close()
            throw error
        }
        return connection
    }

    /// A file of the manifest whose content here is not what the manifest records.
    public struct FileChange: Sendable, Equatable {
        public var path: String
        public var table: String
        /// The SHA-256 the manifest records (the version the server holds), nil when it records none.
        public var recorded: String?
        public var actual: String
    }

    /// The manifest's files that are on this machine with other content than the manifest records,
    /// in manifest order; a file not here is no news (the server holds it). Hashes are cached as
    /// for SQLite datasets, so an unchanged gigabyte file is not read again.
    public func changedFiles() throws -> [FileChange] {
        try manifest.files.compactMap { file in
            let url = file.path.hasPrefix("/") ? URL(fileURLWithPath: file.path) : studyRoot.appendingPathComponent(file.path)
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            let actual = try DataFileReader.sha256(of: file, studyRoot: studyRoot)
            return actual == file.sha256 ? nil : FileChange(path: file.path, table: file.table, recorded: file.sha256, actual: actual)
        }
    }

    /// What a command that reads the dataset says about files changed here, one line each (for
    /// stderr): metric queries use the tables on the server, loaded from the recorded versions,
    /// until `dataset refresh` loads and records the change. With `frozen` a changed file is
    /// refused, as for a dataset on this machine.
    public func changeNotices(frozen: Bool) throws -> [String] {
        let changes: [FileChange]
        do { changes = try changedFiles() } catch where !frozen {
            return ["dataset '\(manifest.name)': cannot check its files here (\(error)); results use the tables on the server"]
        }
        if frozen, let change = changes.first {
            throw DatasetError.inputChanged(path: change.path, recorded: change.recorded, actual: change.actual)
        }
        return changes.map { change in
            let what = change.recorded.map { "changed since its manifest recorded it (SHA-256 \($0.prefix(12))… now \(change.actual.prefix(12))…)" }
                ?? "has no SHA-256 in the manifest"
            return "dataset '\(manifest.name)': \(change.path) \(what); results use table '\(change.table)' as the server holds it. "
                + "Review the change, then load and record it with 'triangulate dataset refresh \(manifest.name) --load-connection CONNINFO'"
        }
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
    /// SHA-256 computed), and files appended to one table (snapshots) are laid out as SQLite lays
    /// them out (the union of their columns, the added columns, the types of all their values;
    /// see ``TableLayout``). The rows then stream to the server typed the same way: `integer` as
    /// `bigint`, `real` as `double precision`, `text` as `text COLLATE "C"` (so ORDER BY sorts as
    /// SQLite does, byte by byte), `boolean` as `smallint` holding 0/1 (so `SUM(flag)` and
    /// `flag = 1` work unchanged on both engines).
    ///
    /// `loadConnection` is the role that may create tables (default: the manifest's). With
    /// `grantReader`, the manifest's own role (the SELECT-only one metric queries run under) is
    /// connected first, so a wrong password or host is found before any work, and is granted
    /// `USAGE` on the schema and `SELECT` on the loaded tables; a manifest whose role is the
    /// loading role is refused, since metric queries refuse a role that may write. Returns the
    /// manifest with each file's SHA-256 and rows.
    public func load(connection loadConnection: ConnectionString? = nil, grantReader: Bool = false,
                     progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> PostgresManifest {
        var reader: String?
        if grantReader {
            let session = try PostgresSession(manifest.connection, dataset: manifest.name)
            defer { session.close() }
            reader = try session.execute("SELECT current_user::text", parameters: [], deadline: Date().addingTimeInterval(30)).text(0, 0)
        }
        let session = try PostgresSession(loadConnection ?? manifest.connection, dataset: manifest.name)
        defer { session.close() }
        if let reader {
            let loader = try session.execute("SELECT current_user::text", parameters: [], deadline: Date().addingTimeInterval(30)).text(0, 0)
            if loader == reader { throw PostgresDatasetError.sameRole(dataset: manifest.name, role: reader) }
        }
        // A table whose files are all loaded already, with the same content and the same spec,
        // is left as it is; the others are scanned and loaded again, all their files.
        let specs = DataFileReader.loadSpecs(manifest.files)
        let recorded = try recordedLoads(session)
        var unchanged: [String: (sha256: String, rows: Int)] = [:]
        var groups: [String: [DatasetManifest.DataFile]] = [:]
        for file in manifest.files { groups[file.table.lowercased(), default: []].append(file) }
        for (key, files) in groups {
            let onServer = recorded.filter { $0.value.table.lowercased() == key }
            guard Set(onServer.keys) == Set(files.map(\.path)),
                  try session.execute("SELECT to_regclass($1) IS NOT NULL", parameters: [quoted(manifest.schema) + "." + quoted(files[0].table)],
                                      deadline: Date().addingTimeInterval(30)).text(0, 0) == "t" else { continue }
            var same: [String: (sha256: String, rows: Int)] = [:]
            for file in files {
                guard let load = onServer[file.path], load.spec == specs[file.path],
                      try DataFileReader.sha256(of: file, studyRoot: studyRoot) == load.sha256 else { break }
                same[file.path] = (load.sha256, load.rows)
            }
            if same.count == files.count { unchanged.merge(same) { first, _ in first } }
        }
        let fileReader = DataFileReader(studyRoot: studyRoot, progress: progress)
        let tables = try fileReader.scanTables(manifest.files.filter { unchanged[$0.path] == nil })
        let schema = quoted(manifest.schema)
        do {
            try session.execute("""
                BEGIN;
                SELECT pg_advisory_xact_lock(hashtext(\(literal("triangulate " + manifest.schema))));
                CREATE SCHEMA IF NOT EXISTS \(schema);
                CREATE TABLE IF NOT EXISTS \(schema)._triangulate_inputs (
                    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, "table" TEXT NOT NULL, format TEXT NOT NULL, rows BIGINT NOT NULL);
                ALTER TABLE \(schema)._triangulate_inputs ADD COLUMN IF NOT EXISTS spec TEXT
                """, deadline: nil)
            for layout in tables {
                let table = "\(schema).\(quoted(layout.name))"
                let columns = zip(layout.columns, layout.types).map { name, type in
                    let column = quoted(name)
                    switch type {
                    case .integer: return "\(column) BIGINT"
                    case .real: return "\(column) DOUBLE PRECISION"
                    case .text: return "\(column) TEXT COLLATE \"C\""
                    case .boolean: return "\(column) SMALLINT CHECK (\(column) IN (0, 1))"
                    }
                }
                try session.execute("DROP TABLE IF EXISTS \(table); CREATE TABLE \(table) (\(columns.joined(separator: ", ")))", deadline: nil)
                try session.execute("DELETE FROM \(schema)._triangulate_inputs WHERE lower(\"table\") = lower($1)",
                                    parameters: [layout.name], deadline: nil)
                for file in layout.files {
                    let copied = try session.copyIn("COPY \(table) FROM STDIN") { writer in
                        try fileReader.readRows(file, of: layout) { fields in
                            for (index, field) in fields.enumerated() {
                                if index > 0 { writer.append(0x09) }
                                Self.write(field, to: writer)
                            }
                            try writer.endRow()
                        }
                    }
                    guard copied == file.rows else { throw DatasetError.changedDuringImport(path: file.file.path) }
                    try session.execute("DELETE FROM \(schema)._triangulate_inputs WHERE path = $1", parameters: [file.file.path], deadline: nil)
                    try session.execute("""
                        INSERT INTO \(schema)._triangulate_inputs (path, sha256, "table", format, rows, spec) VALUES ($1, $2, $3, $4, $5, $6)
                        """, parameters: [file.file.path, try file.sha256, layout.name, file.format.rawValue, String(file.rows), specs[file.file.path]],
                        deadline: nil)
                }
                if let reader { try session.execute("GRANT SELECT ON \(table) TO \(quoted(reader))", deadline: nil) }
            }
            if let reader {
                for file in manifest.files where unchanged[file.path] != nil && groups[file.table.lowercased()]?.first?.path == file.path {
                    try session.execute("GRANT SELECT ON \(schema).\(quoted(file.table)) TO \(quoted(reader))", deadline: nil)
                }
                let usable = try session.execute("SELECT has_schema_privilege($1, $2, 'USAGE')", parameters: [reader, manifest.schema],
                                                 deadline: nil).text(0, 0)
                if usable != "t" { try session.execute("GRANT USAGE ON SCHEMA \(schema) TO \(quoted(reader))", deadline: nil) }
                try session.execute("GRANT SELECT ON \(schema)._triangulate_inputs TO \(quoted(reader))", deadline: nil)
            }
            try session.execute("COMMIT", deadline: nil)
        } catch {
            _ = try? session.execute("ROLLBACK", deadline: Date().addingTimeInterval(5))
            if let error = error as? PostgresServerError {
                throw PostgresDatasetError.server(dataset: manifest.name, sqlState: error.sqlState, message: error.message)
            }
            throw error
        }
        let scanned = Dictionary(tables.flatMap(\.files).map { ($0.file.path, $0) }, uniquingKeysWith: { first, _ in first })
        var updated = manifest
        updated.files = try manifest.files.map { file in
            var file = file
            file.sha256 = try scanned[file.path]?.sha256 ?? unchanged[file.path]?.sha256
            file.rows = scanned[file.path]?.rows ?? unchanged[file.path]?.rows
            return file
        }
        return updated
    }

    /// What `_triangulate_inputs` records, by path; empty when the schema has no such table or it
    /// was written before loads recorded their spec (every table is then loaded again).
    private func recordedLoads(_ session: PostgresSession) throws -> [String: (sha256: String, table: String, rows: Int, spec: String)] {
        let deadline = Date().addingTimeInterval(60)
        let relation = quoted(manifest.schema) + "._triangulate_inputs"
        guard try session.execute("SELECT to_regclass($1) IS NOT NULL", parameters: [relation], deadline: deadline).text(0, 0) == "t",
              try session.execute("""
                  SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND table_name = '_triangulate_inputs' AND column_name = 'spec'
                  """, parameters: [manifest.schema], deadline: deadline).text(0, 0) == "1" else { return [:] }
        let result = try session.execute("SELECT path, sha256, \"table\", rows::text, spec FROM \(relation) WHERE spec IS NOT NULL",
                                         parameters: [], deadline: deadline)
        var loads: [String: (sha256: String, table: String, rows: Int, spec: String)] = [:]
        for row in 0..<result.rowCount {
            guard let path = result.text(row, 0), let sha256 = result.text(row, 1), let table = result.text(row, 2),
                  let rows = result.text(row, 3).flatMap({ Int($0) }), let spec = result.text(row, 4) else { continue }
            loads[path] = (sha256, table, rows, spec)
        }
        return loads
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
