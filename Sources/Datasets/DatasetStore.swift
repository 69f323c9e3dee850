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

/// A dataset whose derived database is current, ready to be opened for queries.
public struct PreparedDataset: Sendable {
    /// The manifest with `sha256` and `rows` filled in; the caller rewrites the manifest file
    /// when it differs from the one it read.
    public var manifest: DatasetManifest
    /// The derived database, or the attached database itself.
    public var databaseURL: URL
    public var isAttached: Bool
    public var inputs: [InputFingerprint]
    /// True when this call (re)imported the files.
    public var didImport: Bool
}

/// The derived dataset databases of a study, under `.triangulate/datasets`.
///
/// Everything here is disposable: each database records the hashes of the inputs it was built
/// from, and a missing, stale or unreadable database is simply rebuilt.
public struct DatasetStore: Sendable {
    public let studyRoot: URL
    public let directory: URL

    /// Bumped when the import rules change, so older derived databases are rebuilt.
    static let importVersion = "1"

    public init(studyRoot: URL) {
        self.studyRoot = studyRoot
        directory = studyRoot.appendingPathComponent(".triangulate/datasets")
    }

    /// The derived database of an imported dataset.
    public func databaseURL(forDataset name: String) -> URL {
        directory.appendingPathComponent("\(name).sqlite")
    }

    /// Makes the derived database current: (re)imports when it is missing or any input's SHA-256
    /// differs from what it recorded; for an attached database checks the file exists (and
    /// re-hashes only when its size or modification time changed since the last check, cached
    /// under `.triangulate`). Returns the manifest with sha256/rows filled in.
    public func prepare(_ manifest: DatasetManifest, progress: (@Sendable (ImportProgress) -> Void)? = nil) throws
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

    /// Opens a prepared dataset for metric queries; see ``QueryConnection``. The time limit is the
    /// argument, else the manifest's `query_timeout`, else 60 s.
    public func open(_ prepared: PreparedDataset, timeout: TimeInterval? = nil) throws -> QueryConnection {
        try QueryConnection(url: prepared.databaseURL, displayPath: prepared.manifest.database ?? prepared.databaseURL.path,
                            timeout: timeout ?? prepared.manifest.queryTimeout ?? 60)
    }

    /// A dataset's state in words, without importing anything (for `status`): `current`,
    /// `attached`, `not imported yet`, or what changed or is missing.
    public func state(of manifest: DatasetManifest) throws -> String {
        if let database = manifest.database {
            let url = database.hasPrefix("/") ? URL(fileURLWithPath: database) : studyRoot.appendingPathComponent(database)
            guard FileManager.default.fileExists(atPath: url.path) else { return "missing: \(database) does not exist" }
            return "attached"
        }
        let files = manifest.files ?? []
        for file in files {
            let url = file.path.hasPrefix("/") ? URL(fileURLWithPath: file.path) : studyRoot.appendingPathComponent(file.path)
            guard FileManager.default.fileExists(atPath: url.path) else { return "missing: \(file.path) does not exist" }
        }
        guard let recorded = readRecorded(databaseURL(forDataset: manifest.name)) else { return "not imported yet" }
        guard recorded.spec == importSpec(files) else { return "stale: the manifest changed since the import" }
        for file in files {
            let url = file.path.hasPrefix("/") ? URL(fileURLWithPath: file.path) : studyRoot.appendingPathComponent(file.path)
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
        let cacheURL = directory.appendingPathComponent("hashes.json")
        var cache = (try? Data(contentsOf: cacheURL)).flatMap { try? JSONDecoder().decode([String: HashCacheEntry].self, from: $0) } ?? [:]
        if let entry = cache[url.path], entry.stamp == stamp { return entry.sha256 }
        let sha256: String
        do { sha256 = try ContentHash.sha256(fileAt: url) } catch let error as FileError {
            throw DatasetError.cannotRead(path: displayPath, reason: error.message)
        }
        cache[url.path] = HashCacheEntry(stamp: stamp, sha256: sha256)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(cache) { try? AtomicFile.write(data, to: cacheURL) }
        return sha256
    }

    // MARK: Attached databases

    private struct AttachCache: Codable, Equatable {
        var path: String
        var stamp: FileStamp
        var sha256: String
    }

    private func prepareAttached(_ manifest: DatasetManifest, database: String) throws -> PreparedDataset {
        let url = database.hasPrefix("/") ? URL(fileURLWithPath: database) : studyRoot.appendingPathComponent(database)
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
            try QueryConnection(url: url, displayPath: database, timeout: 60).close()
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

    // MARK: Imported files

    /// What the derived database recorded about its inputs when it was built.
    private struct Recorded {
        var spec: String
        var inputs: [String: (sha256: String, rows: Int)]
    }

    /// A canonical description of how the files are imported: a change to it forces a rebuild
    /// even when no file changed.
    private func importSpec(_ files: [DatasetManifest.DataFile]) -> String {
        var lines = ["version \(Self.importVersion)"]
        for file in files {
            let columns = (file.columns ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" }
            lines.append([file.path, file.table, file.resolvedFormat?.rawValue ?? "", columns.joined(separator: ",")]
                .joined(separator: "\t"))
        }
        return lines.joined(separator: "\n")
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
            var inputs: [String: (String, Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT path, sha256, rows FROM _triangulate_inputs") {
                inputs[row["path"]] = (row["sha256"], row["rows"])
            }
            return Recorded(spec: spec, inputs: inputs)
        }
    }

    private func prepareImported(_ manifest: DatasetManifest, progress: (@Sendable (ImportProgress) -> Void)?) throws
        -> PreparedDataset
    {
        let files = manifest.files ?? []
        let databaseURL = databaseURL(forDataset: manifest.name)
        let importer = Importer(studyRoot: studyRoot, progress: progress)
        let spec = importSpec(files)
        if let recorded = readRecorded(databaseURL), recorded.spec == spec {
            var inputs: [InputFingerprint] = []
            for file in files {
                let sha256 = try cachedHash(of: importer.url(for: file.path), displayPath: file.path)
                guard let entry = recorded.inputs[file.path], entry.sha256 == sha256 else { break }
                inputs.append(InputFingerprint(path: file.path, sha256: sha256, rows: entry.rows))
            }
            if inputs.count == files.count {
                return PreparedDataset(manifest: filled(manifest, inputs), databaseURL: databaseURL, isAttached: false,
                                       inputs: inputs, didImport: false)
            }
        }
        let scans = try files.map(importer.scan)
        try build(scans, name: manifest.name, spec: spec, at: databaseURL, importer: importer)
        let inputs = scans.map { InputFingerprint(path: $0.file.path, sha256: $0.sha256, rows: $0.rows) }
        return PreparedDataset(manifest: filled(manifest, inputs), databaseURL: databaseURL, isAttached: false,
                               inputs: inputs, didImport: true)
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
                try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536")
                try db.inTransaction {
                    for scan in scans { try importer.insert(scan, into: db) }
                    try db.execute(sql: """
                        CREATE TABLE _triangulate_dataset (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                        CREATE TABLE _triangulate_inputs (
                            path TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL, "table" TEXT NOT NULL,
                            format TEXT NOT NULL, rows INTEGER NOT NULL)
                        """)
                    try db.execute(sql: "INSERT INTO _triangulate_dataset VALUES ('name', ?), ('import_spec', ?)",
                                   arguments: [name, spec])
                    for scan in scans {
                        try db.execute(sql: "INSERT INTO _triangulate_inputs VALUES (?, ?, ?, ?, ?)",
                                       arguments: [scan.file.path, scan.sha256, scan.file.table, scan.format.rawValue, scan.rows])
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
