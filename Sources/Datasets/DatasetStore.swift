import Core
import Foundation
import GRDB

/// An input of a prepared dataset: its path as the manifest gives it, its SHA-256, and the rows
/// imported from it (nil for an attached database).
public struct InputFingerprint: Sendable, Equatable {
    public var path: String
    public var sha256: String
    public var rows: Int?
}

/// How ``DatasetStore/prepare(_:policy:progress:)`` treats an input whose SHA-256 is not the
/// one its manifest records.
public enum ChangePolicy: Sendable {
    /// Re-import it into `.triangulate/` (derived data only) and report a ``DatasetNotice``,
    /// which the caller prints and records in the provenance of what it computes.
    case reimportWithNotice
    /// Refuse it (``DatasetError/inputChanged(path:recorded:actual:)``): replication runs only on
    /// the data the manifest pins.
    case frozen
}

/// News about a dataset's inputs found while preparing it: the caller prints it on stderr and
/// records it in provenance. The researcher's manifest is never rewritten by preparing; the
/// change is recorded only by an explicit command (`dataset refresh`).
public struct DatasetNotice: Sendable, Equatable {
    public var dataset: String
    /// The input's path as the manifest gives it.
    public var path: String
    /// The SHA-256 the manifest records.
    public var recorded: String
    public var actual: String

    /// One line for stderr and provenance.
    public var message: String {
        let what = "changed since its manifest recorded it (SHA-256 \(recorded.prefix(12))… now \(actual.prefix(12))…)"
        return "dataset '\(dataset)': \(path) \(what); results use the file as it is now. Review the change, then record it with 'triangulate dataset refresh \(dataset)'"
    }
}

/// A dataset whose derived database is current, ready to be opened for queries.
public struct PreparedDataset: Sendable {
    /// The manifest with `sha256` and `rows` of the inputs as they are now: what
    /// `dataset refresh` writes. Preparing never writes it.
    public var manifest: DatasetManifest
    /// The derived database, or the attached database itself.
    public var databaseURL: URL
    public var isAttached: Bool
    public var inputs: [InputFingerprint]
    /// True when this call (re)imported the files.
    public var didImport: Bool
    /// The inputs this call parsed (the others' rows were copied from the previous import).
    public var parsedInputs: [String] = []
    /// Inputs whose SHA-256 differs from the one the manifest records, in manifest order (an
    /// input the manifest records no hash for is no news, except in frozen mode, which refuses it).
    public var notices: [DatasetNotice] = []
}

/// The derived dataset databases of a study, under `.triangulate/datasets`.
///
/// Everything here is disposable: each database records the hashes of the inputs it was built
/// from, and a missing, stale or unreadable database is simply rebuilt.
public struct DatasetStore: Sendable {
    public let studyRoot: URL
    public let directory: URL

    /// Bumped when the import rules change, so older derived databases are rebuilt.
    static let importVersion = "3"

    public init(studyRoot: URL) {
        self.studyRoot = studyRoot
        directory = studyRoot.appendingPathComponent(".triangulate/datasets")
    }

    /// The derived database of an imported dataset.
    public func databaseURL(forDataset name: String) -> URL {
        directory.appendingPathComponent("\(name).sqlite")
    }

    /// Makes the derived database current: (re)imports when it is missing or any input's SHA-256
    /// differs from what it recorded; for an attached database validates it (re-hashing and
    /// re-checking only when its size or modification time changed since the last check, cached
    /// under `.triangulate`). Every path is resolved inside the study (see ``InputLink``). An
    /// input whose SHA-256 is not the one the manifest records is a ``DatasetNotice``, or an
    /// error under ``ChangePolicy/frozen``. Nothing outside `.triangulate/` is written.
    public func prepare(_ manifest: DatasetManifest, policy: ChangePolicy = .reimportWithNotice,
                        progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> PreparedDataset
    {
        if policy == .frozen { try checkFrozen(manifest) }
        var prepared = try prepareUnderLock(manifest, progress: progress)
        prepared.notices = zip(prepared.inputs, manifest.files?.map(\.sha256) ?? [manifest.sha256]).compactMap { input, recorded in
            guard let recorded, recorded != input.sha256 else { return nil }
            return DatasetNotice(dataset: manifest.name, path: input.path, recorded: recorded, actual: input.sha256)
        }
        // A file that changed between the check above and its import.
        if policy == .frozen, let notice = prepared.notices.first {
            throw DatasetError.inputChanged(path: notice.path, recorded: notice.recorded, actual: notice.actual)
        }
        return prepared
    }

    /// Refuses an input whose hash is not the one the manifest records, before anything is imported.
    private func checkFrozen(_ manifest: DatasetManifest) throws {
        let paths = InputPaths(studyRoot: studyRoot)
        let inputs = manifest.database.map { [($0, manifest.sha256, manifest.outside == true)] }
            ?? (manifest.files ?? []).map { ($0.path, $0.sha256, manifest.allowsOutside($0)) }
        for (path, recorded, allowOutside) in inputs {
            let actual = try cachedHash(of: try paths.resolve(path, allowOutside: allowOutside), displayPath: path)
            if recorded != actual { throw DatasetError.inputChanged(path: path, recorded: recorded, actual: actual) }
        }
    }

    /// Paths of the manifest that lead outside the study or through a symbolic link, allowed or
    /// not, in manifest order (for `status`).
    public func links(of manifest: DatasetManifest) -> [InputLink] {
        let paths = InputPaths(studyRoot: studyRoot)
        if let database = manifest.database {
            return [paths.classify(database, allowed: manifest.outside == true).link].compactMap { $0 }
        }
        return (manifest.files ?? []).compactMap { paths.classify($0.path, allowed: manifest.allowsOutside($0)).link }
    }

    /// Where a path given on the command line would lead, and why it needs `outside: true`
    /// (nil when it stays inside the study).
    public func link(for path: String) -> InputLink? {
        InputPaths(studyRoot: studyRoot).classify(path).link
    }

    private func prepareUnderLock(_ manifest: DatasetManifest, progress: (@Sendable (ImportProgress) -> Void)?) throws
        -> PreparedDataset
    {
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw DatasetError.cannotWrite(path: directory.path, reason: error.localizedDescription)
        }
        let lock: FileLock
        do { lock = try FileLock(url: directory.appendingPathComponent("\(manifest.name).lock"), timeout: 600) } catch let error as FileError {
            throw DatasetError.cannotWrite(path: directory.path, reason: error.message)
        }
        defer { withExtendedLifetime(lock) {} }
        if let database = manifest.database {
            return try prepareAttached(manifest, database: database)
        }
        return try prepareImported(manifest, progress: progress)
    }

    /// Opens a prepared dataset for queries; see ``QueryConnection``. The time limit is the
    /// argument, else the manifest's `query_timeout`, else 60 s; the row limit the manifest's
    /// `max_rows`, else ``QueryLimits/defaultMaxRows``.
    public func open(_ prepared: PreparedDataset, timeout: TimeInterval? = nil) throws -> QueryConnection {
        try QueryConnection(url: prepared.databaseURL, displayPath: prepared.manifest.database ?? prepared.databaseURL.path,
                            limits: prepared.manifest.queryLimits(timeout: timeout))
    }

    /// Runs one metric query on a connection opened for it alone and closed after it, so nothing
    /// an earlier query did to a connection can reach this one. `columns` receives the column
    /// names before the first row; `row` each row, in a buffer reused between rows.
    public func streamMetric(_ prepared: PreparedDataset, sql: String, timeout: TimeInterval? = nil,
                             columns: ([String]) throws -> Void, row: ([DataValue]) throws -> Void) throws {
        let connection = try open(prepared, timeout: timeout)
        defer { try? connection.close() }
        try connection.stream(sql, columns: columns, row: row)
    }

    /// A dataset's state in words, without importing anything (for `status`): `current`,
    /// `attached`, `not imported yet`, or what changed or is missing.
    /// A path that leads outside the study or through a link without `outside: true` is
    /// `refused`; an input whose SHA-256 differs from the manifest's is `changed`.
    public func state(of manifest: DatasetManifest) throws -> String {
        let paths = InputPaths(studyRoot: studyRoot)
        if let database = manifest.database {
            let (url, link) = paths.classify(database, allowed: manifest.outside == true)
            if let link, !link.isAllowed { return "refused: \(database) leads \(link.kind.rawValue) without 'outside: true'" }
            guard FileManager.default.fileExists(atPath: url.path) else { return "missing: \(database) does not exist" }
            if try cachedHash(of: url, displayPath: database) != manifest.sha256 {
                return "changed: \(database) is not the database the manifest records; 'dataset refresh \(manifest.name)' records it"
            }
            return "attached"
        }
        let files = manifest.files ?? []
        var urls: [URL] = []
        for file in files {
            let (url, link) = paths.classify(file.path, allowed: manifest.allowsOutside(file))
            if let link, !link.isAllowed { return "refused: \(file.path) leads \(link.kind.rawValue) without 'outside: true'" }
            guard FileManager.default.fileExists(atPath: url.path) else { return "missing: \(file.path) does not exist" }
            urls.append(url)
        }
        for (file, url) in zip(files, urls) where try cachedHash(of: url, displayPath: file.path) != file.sha256 {
            return "changed: \(file.path) is not the file the manifest records; 'dataset refresh \(manifest.name)' records it"
        }
        guard let recorded = readRecorded(databaseURL(forDataset: manifest.name)) else { return "not imported yet" }
        guard recorded.spec == importSpec(files) else { return "stale: the manifest changed since the import" }
        for (file, url) in zip(files, urls) {
            let sha256 = try cachedHash(of: url, displayPath: file.path)
            if recorded.inputs[file.path]?.sha256 != sha256 { return "stale: \(file.path) changed since the import" }
        }
        return "current"
    }

    // MARK: Hashes of imported files

    private struct HashCacheEntry: Codable, Equatable {
        var stamp: FileStamp
        var sha256: String
    }

    /// A file's SHA-256, re-read only when its size or modification time changed since it was last
    /// hashed (cached in `.triangulate/datasets/hashes.json`, derived like everything there): a
    /// gigabyte input is not read again by every command that uses the dataset.
    func cachedHash(of url: URL, displayPath: String) throws -> String {
        let stamp = try FileStamp(url: url, displayPath: displayPath)
        if let entry = knownHash(of: url), entry.stamp == stamp { return entry.sha256 }
        let sha256: String
        do { sha256 = try ContentHash.sha256(fileAt: url) } catch let error as FileError {
            throw DatasetError.cannotRead(path: displayPath, reason: error.message)
        }
        remember(sha256, stamp: stamp, of: url)
        return sha256
    }

    private var hashCacheURL: URL { directory.appendingPathComponent("hashes.json") }

    private func readHashCache() -> [String: HashCacheEntry] {
        (try? Data(contentsOf: hashCacheURL)).flatMap { try? JSONDecoder().decode([String: HashCacheEntry].self, from: $0) } ?? [:]
    }

    /// The hash last recorded for a file and the stamp it had then, without reading the file.
    func knownHash(of url: URL) -> (stamp: FileStamp, sha256: String)? {
        readHashCache()[url.path].map { ($0.stamp, $0.sha256) }
    }

    /// Records a file's hash at a stamp (a first pass hashes what it imports: the next command
    /// need not read the file again).
    func remember(_ sha256: String, stamp: FileStamp, of url: URL) {
        var cache = readHashCache()
        guard cache[url.path] != HashCacheEntry(stamp: stamp, sha256: sha256) else { return }
        cache[url.path] = HashCacheEntry(stamp: stamp, sha256: sha256)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(cache) { try? AtomicFile.write(data, to: hashCacheURL) }
    }

    // MARK: Attached databases

    private struct AttachCache: Codable, Equatable {
        var path: String
        var stamp: FileStamp
        var sha256: String
    }

    private func prepareAttached(_ manifest: DatasetManifest, database: String) throws -> PreparedDataset {
        let url = try InputPaths(studyRoot: studyRoot).resolve(database, allowOutside: manifest.outside == true)
        let stamp = try FileStamp(url: url, displayPath: database)
        let cacheURL = directory.appendingPathComponent("\(manifest.name).attach.json")
        var sha256: String
        if let data = try? Data(contentsOf: cacheURL), let cache = try? JSONDecoder().decode(AttachCache.self, from: data),
           cache.path == url.path, cache.stamp == stamp {
            sha256 = cache.sha256
        } else {
            do { sha256 = try ContentHash.sha256(fileAt: url) } catch let error as FileError {
                throw DatasetError.cannotRead(path: database, reason: error.message)
            }
            try validateAttached(url, displayPath: database)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let data = try? encoder.encode(AttachCache(path: url.path, stamp: stamp, sha256: sha256)) {
                try? AtomicFile.write(data, to: cacheURL)
            }
        }
        var updated = manifest
        updated.sha256 = sha256
        return PreparedDataset(manifest: updated, databaseURL: url, isAttached: true,
                               inputs: [InputFingerprint(path: database, sha256: sha256, rows: nil)], didImport: false)
    }

    /// Checks that an attached file is a usable SQLite database before anything relies on it:
    /// not empty, SQLite's header, SQLite's quick integrity check, and every table readable
    /// through the query guard (a view may call what the guard refuses; querying it says so).
    func validateAttached(_ url: URL, displayPath: String) throws {
        let stamp = try FileStamp(url: url, displayPath: displayPath)
        guard stamp.size > 0 else { throw DatasetError.cannotRead(path: displayPath, reason: "the file is empty, not an SQLite database") }
        let header = (try? FileHandle(forReadingFrom: url)).map { handle -> Data in
            defer { try? handle.close() }
            return (try? handle.read(upToCount: 16)) ?? Data()
        } ?? Data()
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw DatasetError.cannotRead(path: displayPath, reason: "not an SQLite database (it does not start with SQLite's header 'SQLite format 3')")
        }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: url.path, configuration: configuration)
            defer { try? queue.close() }
            let verdict = try queue.read { try String.fetchAll($0, sql: "PRAGMA quick_check(5)") }
            guard verdict == ["ok"] else {
                throw DatasetError.cannotRead(path: displayPath, reason: "the database fails SQLite's integrity check: \(verdict.joined(separator: "; "))")
            }
        } catch let error as DatabaseError {
            throw DatasetError.cannotRead(path: displayPath, reason: "not a readable SQLite database (\(error.message ?? "\(error.resultCode)"))")
        }
        let connection = try QueryConnection(url: url, displayPath: displayPath, timeout: 60)
        defer { try? connection.close() }
        let tables = try connection.query("""
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name
            """).rows.compactMap { row -> String? in
            if case .text(let name) = row[0] { return name }
            return nil
        }
        guard !tables.isEmpty else { throw DatasetError.cannotRead(path: displayPath, reason: "the database has no tables") }
        for table in tables {
            do { _ = try connection.query("SELECT * FROM \(quoteIdentifier(table)) LIMIT 1") } catch let error as DatasetError {
                throw DatasetError.cannotRead(path: displayPath, reason: "its table '\(table)' cannot be read (\(error.message))")
            }
        }
    }

    // MARK: Imported files

    /// What the derived database recorded about its inputs when it was built.
    private struct Recorded {
        /// One input as the derived database recorded it, with what it takes to copy its rows
        /// into a new database instead of parsing the file again.
        struct Input {
            var sha256: String
            var rows: Int
            var specLine: String?
            var firstRowid: Int64?
            var columns: [String]?
            var shapes: [ShapeSet]?
        }

        var spec: String
        var inputs: [String: Input]
        /// `CREATE TABLE` statements by lowercased table name.
        var tableSQL: [String: String]
    }

    /// A canonical description of how the files are imported: a change to it forces a rebuild
    /// even when no file changed.
    private func importSpec(_ files: [DatasetManifest.DataFile]) -> String {
        (["version \(Self.importVersion)"] + files.map(specLine)).joined(separator: "\n")
    }

    /// How one file is imported: a change to it means parsing the file again.
    private func specLine(_ file: DatasetManifest.DataFile) -> String {
        let columns = (file.columns ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" }
        let added = file.sortedAddColumns.map { "\($0.name)=\($0.value)" }
        return [file.path, file.table, file.resolvedFormat?.rawValue ?? "", columns.joined(separator: ","),
                added.joined(separator: ",")].joined(separator: "\t")
    }

    private func readRecorded(_ url: URL) -> Recorded? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: url.path, configuration: configuration) else { return nil }
        defer { try? queue.close() }
        return try? queue.read { db -> Recorded? in
            guard let spec = try String.fetchOne(db, sql: "SELECT value FROM _triangulate_dataset WHERE key = 'import_spec'") else {
                return nil
            }
            var inputs: [String: Recorded.Input] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT path, sha256, rows, spec, first_rowid, columns, shapes FROM _triangulate_inputs") {
                let columns = (row["columns"] as String?).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
                inputs[row["path"]] = Recorded.Input(sha256: row["sha256"], rows: row["rows"], specLine: row["spec"],
                                                     firstRowid: row["first_rowid"], columns: columns,
                                                     shapes: (row["shapes"] as String?).flatMap(ShapeSet.decode))
            }
            var tableSQL: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table'") {
                if let name = row["name"] as String?, let sql = row["sql"] as String? { tableSQL[name.lowercased()] = sql }
            }
            return Recorded(spec: spec, inputs: inputs, tableSQL: tableSQL)
        }
    }

    /// Makes an imported dataset current. When the derived database exists but some inputs
    /// changed, only what is needed is parsed again: a file whose hash and import rules are
    /// unchanged has its rows copied from the old database (in the same order, so the result is
    /// the database a full import would build), unless a changed file of its table changes the
    /// table's columns or types, in which case that table's files are all parsed again.
    private func prepareImported(_ manifest: DatasetManifest, progress: (@Sendable (ImportProgress) -> Void)?) throws
        -> PreparedDataset
    {
        let files = manifest.files ?? []
        let databaseURL = databaseURL(forDataset: manifest.name)
        let importer = Importer(progress: progress)
        let paths = InputPaths(studyRoot: studyRoot)
        let urls = try files.map { try paths.resolve($0.path, allowOutside: manifest.allowsOutside($0)) }
        let spec = importSpec(files)
        let recorded = readRecorded(databaseURL)
        // A file is hashed first only to compare it with what the derived database records; a
        // file it does not record is hashed on a thread of its own while it is imported.
        let hashes = try zip(files, urls).map { file, url in
            recorded?.inputs[file.path] == nil ? nil : try cachedHash(of: url, displayPath: file.path)
        }
        if let recorded, recorded.spec == spec {
            let inputs = zip(files, hashes).compactMap { file, sha256 -> InputFingerprint? in
                guard let sha256, let entry = recorded.inputs[file.path], entry.sha256 == sha256 else { return nil }
                return InputFingerprint(path: file.path, sha256: sha256, rows: entry.rows)
            }
            if inputs.count == files.count {
                return PreparedDataset(manifest: filled(manifest, inputs), databaseURL: databaseURL, isAttached: false,
                                       inputs: inputs, didImport: false)
            }
        }
        // A type declared on one file of a table holds for every file appended to it.
        var declared: [String: [String: ColumnType]] = [:]
        for file in files where declared[file.table.lowercased()] == nil { declared[file.table.lowercased()] = file.columns }
        let scanned = files.map { file in
            var copy = file
            copy.columns = declared[file.table.lowercased()] ?? nil
            return copy
        }
        var scans: [FileScan] = []
        for (index, file) in scanned.enumerated() {
            if let entry = recorded?.inputs[file.path], entry.sha256 == hashes[index], entry.specLine == specLine(file),
               let reused = FileScan(reusing: entry.firstRowid, columns: entry.columns, shapes: entry.shapes, file: file,
                                     url: urls[index], rows: entry.rows, sha256: entry.sha256) {
                scans.append(reused)
            } else {
                scans.append(try scan(file, url: urls[index], with: importer))
            }
        }
        // A table whose columns or types changed cannot take copied rows: parse all its files.
        for group in try Self.plans(for: scans) where group.scans.contains(where: { $0.reusedFrom != nil }) {
            guard recorded?.tableSQL[group.plan.table.lowercased()] != group.plan.createStatement else { continue }
            for index in scans.indices where scans[index].reusedFrom != nil && scans[index].file.table.lowercased() == group.plan.table.lowercased() {
                scans[index] = try scan(scanned[index], url: urls[index], with: importer)
            }
        }
        try build(scans, name: manifest.name, spec: spec, at: databaseURL, importer: importer)
        let inputs = try scans.map { InputFingerprint(path: $0.file.path, sha256: try $0.sha256(), rows: $0.rows) }
        for (scan, input) in zip(scans, inputs) where scan.reusedFrom == nil {
            remember(input.sha256, stamp: FileStamp(size: scan.size, modified: scan.modified), of: scan.url)
        }
        var prepared = PreparedDataset(manifest: filled(manifest, inputs), databaseURL: databaseURL, isAttached: false,
                                       inputs: inputs, didImport: true)
        prepared.parsedInputs = scans.filter { $0.reusedFrom == nil }.map(\.file.path)
        return prepared
    }

    /// The first pass over a file, with the hash already recorded for it when its stamp is
    /// unchanged (the file is then not hashed again); its hash is recorded after the import.
    private func scan(_ file: DatasetManifest.DataFile, url: URL, with importer: Importer) throws -> FileScan {
        try importer.scan(file, url: url, known: knownHash(of: url))
    }

    private func filled(_ manifest: DatasetManifest, _ inputs: [InputFingerprint]) -> DatasetManifest {
        var updated = manifest
        updated.files = zip(manifest.files ?? [], inputs).map { file, input in
            var file = file
            file.sha256 = input.sha256
            file.rows = input.rows
            return file
        }
        return updated
    }

    /// One plan per table, in the order tables first appear, with the files that fill it.
    static func plans(for scans: [FileScan]) throws -> [(plan: TablePlan, scans: [FileScan])] {
        var order: [String] = []
        var grouped: [String: [FileScan]] = [:]
        for scan in scans {
            let key = scan.file.table.lowercased()
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(scan)
        }
        return try order.map { key in
            let group = grouped[key] ?? []
            var plan = TablePlan(table: group[0].file.table)
            let firstDelimited = group.first { $0.format == .csv || $0.format == .tsv } ?? group[0]
            for scan in group { try plan.add(scan, first: firstDelimited) }
            return (plan, group)
        }
    }

    /// The derived database's page size: 32 KiB, not SQLite's 4 KiB. A derived database is
    /// written once, in bulk, and then read by whole-table scans, one per metric; with larger
    /// pages the import makes an eighth of the writes and the scans an eighth of the reads
    /// (measured: 10M rows imported 15% faster, the 20-claim matrix 2.4% fewer instructions and
    /// 40% less system time; Benchmarks/README.md (g), session 6).
    static let pageSize = 32_768

    /// Writes a new derived database beside the old one and renames it into place only when it
    /// is complete, so a failed import leaves the previous version intact.
    private func build(_ scans: [FileScan], name: String, spec: String, at url: URL, importer: Importer) throws {
        let temporary = directory.appendingPathComponent(
            ".\(name).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).sqlite.tmp")
        var succeeded = false
        defer {
            if !succeeded {
                for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary.path + suffix) }
            }
        }
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = false
            configuration.label = "import \(name)"
            let queue = try DatabaseQueue(path: temporary.path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA page_size = \(Self.pageSize); PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -16384")
                if scans.contains(where: { $0.reusedFrom != nil }) {
                    try db.execute(sql: "ATTACH DATABASE ? AS old", arguments: [url.path])
                }
                try db.inTransaction {
                    var firstRowids: [String: Int64] = [:]
                    for plan in try Self.plans(for: scans) {
                        try db.execute(sql: plan.plan.createStatement)
                        var next: Int64 = 1
                        for scan in plan.scans {
                            firstRowids[scan.file.path] = next
                            if let first = scan.reusedFrom {
                                let table = quoteIdentifier(plan.plan.table)
                                try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM old.\(table) WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                                               arguments: [first, first + Int64(scan.rows) - 1])
                                guard db.changesCount == scan.rows else {
                                    throw DatasetError.cannotWrite(path: url.path, reason: "the previous derived database lost rows of \(scan.file.path); delete it to import again")
                                }
                            } else {
                                try importer.insert(scan, plan: plan.plan, into: db)
                            }
                            next += Int64(scan.rows)
                        }
                    }
                    try db.execute(sql: """
                        CREATE TABLE _triangulate_dataset (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                        CREATE TABLE _triangulate_inputs (
                            path TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL, "table" TEXT NOT NULL,
                            format TEXT NOT NULL, rows INTEGER NOT NULL, spec TEXT NOT NULL, first_rowid INTEGER NOT NULL,
                            columns TEXT NOT NULL, shapes TEXT NOT NULL)
                        """)
                    try db.execute(sql: "INSERT INTO _triangulate_dataset VALUES ('name', ?), ('import_spec', ?)",
                                   arguments: [name, spec])
                    for scan in scans {
                        let columns = String(decoding: try JSONEncoder().encode(scan.columns), as: UTF8.self)
                        try db.execute(sql: "INSERT INTO _triangulate_inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                       arguments: [scan.file.path, try scan.sha256(), scan.file.table, scan.format.rawValue, scan.rows,
                                                   specLine(scan.file), firstRowids[scan.file.path] ?? 0, columns,
                                                   ShapeSet.encode(scan.shapes)])
                    }
                    return .commit
                }
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw DatasetError.cannotWrite(path: url.path, reason: error.message ?? "\(error.resultCode)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            throw DatasetError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
        succeeded = true
    }
}
