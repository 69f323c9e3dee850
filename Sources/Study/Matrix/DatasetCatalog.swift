import Core
import Datasets
import Foundation
import Index
import PostgresDatasets
import Project

/// A dataset's manifest, corpus/datasets/NAME.yaml: files imported into a derived SQLite database
/// or an attached SQLite database on this machine, or (a manifest with `connection:` and
/// `schema:`) a schema on a PostgreSQL server.
public enum DatasetDefinition: Sendable {
    case local(DatasetManifest)
    case postgres(PostgresManifest)

    public var name: String {
        switch self {
        case .local(let manifest): return manifest.name
        case .postgres(let manifest): return manifest.name
        }
    }

    /// The tables the manifest's files fill, in the order they first appear.
    public var tables: [String] {
        let files: [DatasetManifest.DataFile]
        switch self {
        case .local(let manifest): files = manifest.files ?? []
        case .postgres(let manifest): files = manifest.files
        }
        var tables: [String] = []
        for file in files where !tables.contains(where: { $0.lowercased() == file.table.lowercased() }) { tables.append(file.table) }
        return tables
    }

    /// The query time limit the manifest sets, if any.
    public var queryTimeout: Double? {
        switch self {
        case .local(let manifest): return manifest.queryTimeout
        case .postgres(let manifest): return manifest.queryTimeout
        }
    }
}

/// A dataset ready for queries, whatever engine holds it: prepared once (imported into
/// `.triangulate/` when its files changed, or for PostgreSQL connected once to check the role, the
/// schema and what was loaded), then opened once per query through ``open(timeout:)``.
public struct ReadyDataset: Sendable {
    enum Engine: Sendable {
        case sqlite(DatasetStore, PreparedDataset)
        case postgres(PostgresDataset)
    }

    public let name: String
    let engine: Engine
    /// What the provenance of a result records: each input file (or attached database) with its
    /// SHA-256; for PostgreSQL the loaded files and one entry naming the server's version and
    /// schema with the SHA-256 of the schema's columns.
    public let inputs: [(path: String, sha256: String)]
    /// Inputs whose content differs from what the manifest records, one line each.
    public let notices: [String]

    /// True for a dataset on a PostgreSQL server.
    public var isPostgres: Bool {
        if case .postgres = engine { return true }
        return false
    }

    /// A new guarded, read-only, time-limited connection (the manifest's `query_timeout` unless
    /// `timeout` is given); the caller closes it.
    public func open(timeout: TimeInterval? = nil) throws -> any DatasetConnection {
        switch engine {
        case .sqlite(let store, let prepared): return try store.open(prepared, timeout: timeout)
        case .postgres(let dataset): return try dataset.open(timeout: timeout)
        }
    }
}

/// The datasets of a study: their manifests in corpus/datasets and the derived databases.
public struct DatasetCatalog: Sendable {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    /// Dataset names, from the manifest files, sorted.
    public func names() -> [String] {
        let folder = study.layout.datasets
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// A dataset's manifest, of either kind. A manifest with `connection:` or `schema:` is a
    /// PostgreSQL dataset; its connection string may not carry a password.
    public func definition(named name: String) throws -> DatasetDefinition {
        let url = study.layout.manifest(for: name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw StudyError.unknown(kind: "dataset", name: name, known: names())
        }
        let displayPath = study.relativePath(url)
        let text: String
        do { text = try TextFile.read(url, displayPath: displayPath) } catch let error as FileError {
            throw DatasetError.cannotRead(path: displayPath, reason: error.message)
        }
        if PostgresManifest.namesServer(text) {
            return .postgres(try PostgresManifest.parse(text, displayPath: displayPath))
        }
        return .local(try DatasetManifest.parse(text, displayPath: displayPath))
    }

    /// The manifest of a dataset of files or an attached database on this machine; a PostgreSQL
    /// dataset is an error saying so (for the commands that change local files).
    public func manifest(named name: String) throws -> DatasetManifest {
        switch try definition(named: name) {
        case .local(let manifest): return manifest
        case .postgres(let manifest):
            throw StudyError.invalid("dataset '\(name)' is on a PostgreSQL server (schema '\(manifest.schema)' at \(manifest.connection.target)); "
                + "its tables change only with 'triangulate dataset import \(name) FILE… --into postgres'", at: nil)
        }
    }

    /// Makes a dataset ready for queries. A dataset of files is imported into `.triangulate/` when
    /// its inputs changed; the researcher's manifest is never written (a read command changes no
    /// study file): an input whose content differs from what the manifest records is a notice,
    /// or refused when `frozen`. A PostgreSQL dataset is connected once: the role must only read,
    /// the schema must exist, and every file the manifest lists must be loaded with the SHA-256 it
    /// records; the server's version and the schema's fingerprint go into the inputs.
    public func ready(named name: String, frozen: Bool = false, progress: (@Sendable (String) -> Void)?) throws -> ReadyDataset {
        switch try definition(named: name) {
        case .local(let manifest):
            let store = DatasetStore(studyRoot: study.root)
            let (prepared, changes) = try prepare(manifest, frozen: frozen, progress: progress)
            return ReadyDataset(name: name, engine: .sqlite(store, prepared), inputs: prepared.inputs.map { ($0.path, $0.sha256) },
                                notices: changes)
        case .postgres(let manifest):
            progress?("dataset \(name): connecting to PostgreSQL at \(manifest.connection.target)")
            let dataset = PostgresDataset(manifest: manifest, studyRoot: study.root)
            let path = study.relativePath(study.layout.manifest(for: name))
            let notices = try dataset.changeNotices(frozen: frozen).map { "\(path): \($0)" }
            let connection = try dataset.open()
            defer { try? connection.close() }
            let provenance = try connection.provenance()
            var inputs = manifest.files.compactMap { file in file.sha256.map { (path: file.path, sha256: $0) } }
            inputs.append(("PostgreSQL \(provenance.serverVersion) schema \(provenance.schema) columns", provenance.schemaFingerprint))
            return ReadyDataset(name: name, engine: .postgres(dataset), inputs: inputs, notices: notices)
        }
    }

    /// A dataset's kind and state in words, for `status`, without importing or connecting.
    public func state(named name: String) throws -> (kind: String, state: String) {
        switch try definition(named: name) {
        case .local(let manifest):
            return (manifest.isAttached ? "attached database" : "imported files", try DatasetStore(studyRoot: study.root).state(of: manifest))
        case .postgres(let manifest):
            return ("PostgreSQL", "PostgreSQL schema '\(manifest.schema)' at \(manifest.connection.target), not checked here ('dataset describe \(name)' connects)")
        }
    }

    /// Makes a dataset's derived database current, importing into `.triangulate/` when its inputs
    /// changed. It never writes the researcher's manifest (a read command changes no study file):
    /// when an input's content differs from what the manifest records, `changes` says so, and
    /// `dataset import` (or `dataset attach`) records the new state explicitly.
    public func prepare(_ manifest: DatasetManifest, frozen: Bool = false,
                        progress: (@Sendable (String) -> Void)?) throws -> (prepared: PreparedDataset, changes: [String]) {
        let prepared = try DatasetStore(studyRoot: study.root).prepare(manifest, policy: frozen ? .frozen : .reimportWithNotice,
                                                                       progress: Self.importProgress(progress))
        let path = study.relativePath(study.layout.manifest(for: manifest.name))
        return (prepared, prepared.notices.map { "\(path): \($0.message)" })
    }

    /// Registers a dataset: writes its manifest (refusing to replace one unless asked), then
    /// imports or checks it. Nothing is written when the import fails.
    public func add(_ manifest: DatasetManifest, replacing: Bool, progress: (@Sendable (String) -> Void)?) throws -> PreparedDataset {
        let url = study.layout.manifest(for: manifest.name)
        try checkNew(manifest.name, replacing: replacing)
        return try study.withLock {
            let prepared = try importOrCheck(manifest, progress: progress)
            try AtomicFile.write(prepared.manifest.yamlText(), to: url)
            return prepared
        }
    }

    /// Loads a dataset's files into a schema on a PostgreSQL server with `COPY`, then writes its
    /// manifest. `loadConnection` is the role that creates the tables; the manifest's own
    /// connection, the SELECT-only role metric queries run under, is granted `USAGE` on the schema
    /// and `SELECT` on the tables, and the dataset is opened under it before the manifest is
    /// written. On any error the study is unchanged (and the server too, unless only the final
    /// check under the manifest's role failed: the message then says so).
    public func importIntoPostgres(_ manifest: PostgresManifest, loadConnection: ConnectionString, replacing: Bool,
                                   progress: (@Sendable (String) -> Void)?) throws -> (manifest: PostgresManifest, tables: [TableDescription]) {
        let url = study.layout.manifest(for: manifest.name)
        try checkNew(manifest.name, replacing: replacing)
        // The manifest as it will be written must read back (table names, paths, add_columns).
        let written = try PostgresManifest.parse(manifest.yamlText(), displayPath: "the dataset's options")
        return try study.withLock {
            let loaded = try PostgresDataset(manifest: written, studyRoot: study.root)
                .load(connection: loadConnection, grantReader: true, progress: Self.importProgress(progress))
            let tables: [TableDescription]
            do {
                let connection = try PostgresDataset(manifest: loaded, studyRoot: study.root).open()
                defer { try? connection.close() }
                tables = try connection.describe()
            } catch let error as LocatedError {
                throw StudyError.invalid("\(error.message); the tables were loaded into schema '\(loaded.schema)', but the manifest was not written: "
                    + "fix the role of --connection and run the import again", at: nil)
            }
            try AtomicFile.write(loaded.yamlText(), to: url)
            return (loaded, tables)
        }
    }

    private func checkNew(_ name: String, replacing: Bool) throws {
        let url = study.layout.manifest(for: name)
        if FileManager.default.fileExists(atPath: url.path) && !replacing {
            throw StudyError.invalid("dataset '\(name)' already exists (\(study.relativePath(url))); pass --replace to import it again from another file", at: nil)
        }
    }

    private func importOrCheck(_ manifest: DatasetManifest, progress: (@Sendable (String) -> Void)?) throws -> PreparedDataset {
        try DatasetStore(studyRoot: study.root).prepare(manifest, progress: Self.importProgress(progress))
    }

    /// Import progress as one line of words: the one adapter for the matrix and the CLI.
    public static func importProgress(_ progress: (@Sendable (String) -> Void)?) -> (@Sendable (ImportProgress) -> Void)? {
        guard let progress else { return nil }
        return { step in
            let percent = step.totalBytes > 0 ? Int(100 * step.bytesRead / step.totalBytes) : 100
            progress("\(step.phase.rawValue) \(step.file): \(percent)% (\(step.rows) rows)")
        }
    }
}
