import ArgumentParser
import Core
import Datasets
import Foundation
import Index
import PostgresDatasets
import Project
import Study

extension Datasets.DataFormat: ExpressibleByArgument {}

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Import, attach, describe and query the datasets that metrics test claims on.",
        discussion: """
            A dataset is described by corpus/datasets/NAME.yaml: files imported into a derived SQLite database \
            (.triangulate/datasets/NAME.sqlite, rebuilt whenever a file's SHA-256 changes), an existing SQLite \
            database attached read-only and never copied, or (with 'connection:' and 'schema:') a schema on a \
            PostgreSQL server that 'import --into postgres' loads. Queries can only read. A file whose SHA-256 is not the one \
            the manifest records is used with a warning (refused with --frozen) and the manifest is left as it is \
            until 'dataset refresh NAME' records the change.

            Examples:
              triangulate dataset import hf-models data/models.csv --table models
              triangulate dataset attach peatmoss data/PeaTMOSS.db
              triangulate dataset query hf-models "SELECT has_card, COUNT(*) FROM models GROUP BY has_card"
            """,
        subcommands: [Import.self, Add.self, Attach.self, Refresh.self, List.self, Describe.self, Query.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import CSV, TSV, JSON or JSON Lines files as a dataset: one table per file, or many files into one.",
            discussion: """
                Streams the files into .triangulate/datasets/NAME.sqlite with inferred column types (integer, real, \
                boolean, text) and records each file's path, SHA-256 and row count in corpus/datasets/NAME.yaml. With \
                --table, every file is appended to that one table (snapshots of the same schema; a CSV whose columns \
                differ from the first file's is an error naming the file and column); --add-column adds a column \
                whose value comes from each file's name: NAME=FILENAME_STEM for the name without its extensions, or \
                NAME=/REGEX/ for the first capture group (else the whole match) of a regular expression. Keep the \
                files inside the study folder so the study replicates elsewhere.

                With --into postgres the files are loaded with COPY into a schema on a PostgreSQL server instead \
                (--schema, default the dataset's name with '-' and '.' as '_'), in one transaction: the tables whose \
                files changed are replaced (a table whose files are all loaded unchanged is left), or nothing changes. --connection is the libpq connection string the manifest records, for a \
                role granted nothing but SELECT (metric queries refuse any other); --load-connection is the role \
                that creates the tables, which grants the first one USAGE on the schema and SELECT on them. \
                Passwords never go in either string: libpq reads PGPASSWORD, the file PGPASSFILE names, or \
                ~/.pgpass. See the README, "PostgreSQL datasets".

                Examples:
                  triangulate dataset import hf-2022 corpus/datasets/hf-2022/models.csv --table models --replace
                  triangulate dataset import hf-monthly data/hf/*.csv --table snapshots --add-column snapshot=FILENAME_STEM
                  triangulate dataset import npm data/npm/top-*.csv --table top --add-column "day=/(\\d{4}-\\d{2}-\\d{2})/"

                Into PostgreSQL (on a server of yours; the roles are set up as the README says):
                  triangulate dataset import hf-2022 corpus/datasets/hf-2022/models.csv --table models --into postgres \\
                    --connection "host=db.example.org dbname=research user=triangulate_reader" \\
                    --load-connection "host=db.example.org dbname=research user=triangulate_loader"
                """)

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The dataset's name (letters, digits, '.', '-', '_').") var name: String
        @Argument(help: "The files to import.") var files: [String]
        @Option(help: "The table to import into (default: a table per file, named after it).") var table: String?
        @Option(help: "The files' format (default: from their extensions).") var format: Datasets.DataFormat?
        @Option(name: .customLong("add-column"), help: "A column NAME=FILENAME_STEM or NAME=/REGEX/ taken from each file's name.")
        var addColumns: [String] = []
        @Flag(help: "Replace an existing dataset of that name.") var replace = false
        @Option(help: "Where the tables go: sqlite (a derived database under .triangulate/) or postgres (a server).")
        var into: Engine = .sqlite
        @Option(help: ArgumentHelp("With --into postgres: the libpq connection string of the SELECT-only role the manifest records (no password).",
                                   valueName: "conninfo"))
        var connection: String?
        @Option(name: .customLong("load-connection"),
                help: ArgumentHelp("With --into postgres: the connection string of the role that creates the tables (default: --connection).",
                                   valueName: "conninfo"))
        var loadConnection: String?
        @Option(help: "With --into postgres: the schema to load into (default: the dataset's name, '-' and '.' as '_').")
        var schema: String?
        @Option(name: .customLong("query-timeout"), help: "With --into postgres: the time limit of each metric query, in seconds (recorded in the manifest).")
        var queryTimeout: Double?

        enum Engine: String, ExpressibleByArgument, CaseIterable { case sqlite, postgres }

        func validate() throws {
            if into == .sqlite, connection != nil || loadConnection != nil || schema != nil || queryTimeout != nil {
                throw ValidationError("--connection, --load-connection, --schema and --query-timeout go with --into postgres")
            }
            if into == .postgres, connection == nil {
                throw ValidationError("--into postgres needs --connection, the libpq connection string metric queries run under (e.g. \"host=db.example.org dbname=research user=triangulate_reader\")")
            }
            if let queryTimeout, !(queryTimeout > 0 && queryTimeout.isFinite && queryTimeout <= 86_400) {
                throw ValidationError("expected --query-timeout as a positive number of seconds of at most 86400, found \(queryTimeout)")
            }
        }

        func run() throws {
            let study = try studyOptions.load()
            let entries = try FileEntries(files: files, table: table, format: format, addColumns: addColumns).entries(in: study)
            if into == .postgres {
                try importIntoPostgres(entries, study: study)
                return
            }
            let manifest = DatasetManifest(name: name, files: entries)
            let prepared = try DatasetCatalog(study: study).add(manifest, replacing: replace, progress: Terminal.progress)
            Terminal.endProgress()
            Terminal.line(Self.summary(prepared, entries: entries, dataset: name, study: study))
        }

        private func importIntoPostgres(_ entries: [DatasetManifest.DataFile], study: Study) throws {
            let reader = try DatasetAccess.connectionString(connection ?? "", option: "--connection")
            let loader = try loadConnection.map { try DatasetAccess.connectionString($0, option: "--load-connection") } ?? reader
            let schemaName = schema ?? String(name.lowercased().map { $0 == "-" || $0 == "." ? "_" : $0 })
            var manifest = PostgresManifest(name: name, connection: reader, schema: schemaName, queryTimeout: queryTimeout, files: entries)
            // Moving a dataset to the server keeps what its manifest says about it: description,
            // source, time and row limits and the column types declared for the same files.
            if replace, let previous = try? DatasetCatalog(study: study).definition(named: name) {
                let old: (description: String?, source: String?, timeout: Double?, maxRows: Int?, files: [DatasetManifest.DataFile])
                switch previous {
                case .local(let local): old = (local.description, local.source, local.queryTimeout, local.maxRows, local.files ?? [])
                case .postgres(let server): old = (server.description, server.source, server.queryTimeout, server.maxRows, server.files)
                }
                manifest.description = old.description
                manifest.source = old.source
                manifest.queryTimeout = queryTimeout ?? old.timeout
                manifest.maxRows = old.maxRows
                for index in manifest.files.indices where manifest.files[index].columns == nil {
                    manifest.files[index].columns = old.files.first { $0.path == manifest.files[index].path }?.columns
                }
            }
            let (loaded, tables) = try DatasetCatalog(study: study).importIntoPostgres(manifest, loadConnection: loader, replacing: replace,
                                                                                        progress: Terminal.progress)
            Terminal.endProgress()
            var rowsByTable: [(String, Int)] = []
            for file in loaded.files {
                if let index = rowsByTable.firstIndex(where: { $0.0.lowercased() == file.table.lowercased() }) {
                    rowsByTable[index].1 += file.rows ?? 0
                } else {
                    rowsByTable.append((file.table, file.rows ?? 0))
                }
            }
            let summary = rowsByTable.map { "\($0.1) rows into \(loaded.schema).\($0.0)" }.joined(separator: ", ")
            let others = tables.map(\.name).filter { name in !rowsByTable.contains { $0.0.lowercased() == name.lowercased() } }
            Terminal.line("Loaded \(summary) on PostgreSQL at \(reader.target)\(others.isEmpty ? "" : " (the schema also holds \(others.joined(separator: ", ")))"); "
                + "manifest: \(study.relativePath(study.layout.manifest(for: name))).")
        }

        static func summary(_ prepared: PreparedDataset, entries: [DatasetManifest.DataFile], dataset: String, study: Study) -> String {
            var rowsByTable: [(String, Int)] = []
            for (entry, input) in zip(entries, prepared.inputs.suffix(entries.count)) {
                if let index = rowsByTable.firstIndex(where: { $0.0 == entry.table }) {
                    rowsByTable[index].1 += input.rows ?? 0
                } else {
                    rowsByTable.append((entry.table, input.rows ?? 0))
                }
            }
            let tables = rowsByTable.map { "\($0.1) rows into \(dataset).\($0.0)" }.joined(separator: ", ")
            return "Imported \(tables); manifest: \(study.relativePath(study.layout.manifest(for: dataset)))."
        }

        static func tableName(for url: URL) -> String {
            let cleaned = FileEntries.stem(of: url).unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "_" }
            let name = String(cleaned)
            return name.first?.isNumber == true ? "t_" + name : name
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add files to an existing dataset: a new table, or more rows appended to one it has.",
            discussion: """
                Takes the same options as import. The manifest keeps its other entries; the derived database is \
                rebuilt with the new files (the rows of unchanged files are copied, not parsed again). For a dataset \
                on PostgreSQL, --load-connection names the role that loads; only the tables the new files go into \
                are loaded again.

                Example:
                  triangulate dataset add hf-2022 data/authors.csv --table authors
                """)

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The dataset's name.") var name: String
        @Argument(help: "The files to add.") var files: [String]
        @Option(help: "The table to add them to (default: a table per file, named after it).") var table: String?
        @Option(help: "The files' format (default: from their extensions).") var format: Datasets.DataFormat?
        @Option(name: .customLong("add-column"), help: "A column NAME=FILENAME_STEM or NAME=/REGEX/ taken from each file's name.")
        var addColumns: [String] = []
        @Option(name: .customLong("load-connection"),
                help: ArgumentHelp("For a dataset on PostgreSQL: the connection string of the role that loads the tables.", valueName: "conninfo"))
        var loadConnection: String?

        func run() throws {
            let study = try studyOptions.load()
            let catalog = DatasetCatalog(study: study)
            if case .postgres(var manifest) = try catalog.definition(named: name) {
                guard let loadConnection else {
                    throw ValidationError("dataset '\(name)' is on PostgreSQL: pass --load-connection, the connection string of the role that loads its tables")
                }
                let loader = try DatasetAccess.connectionString(loadConnection, option: "--load-connection")
                let entries = try FileEntries(files: files, table: table, format: format, addColumns: addColumns).entries(in: study)
                if let repeated = entries.first(where: { entry in manifest.files.contains { $0.path == entry.path } }) {
                    throw ValidationError("\(repeated.path) is already in dataset '\(name)'")
                }
                manifest.files += entries
                let (loaded, _) = try catalog.importIntoPostgres(manifest, loadConnection: loader, replacing: true, progress: Terminal.progress)
                Terminal.endProgress()
                let rows = loaded.files.filter { file in entries.contains { $0.path == file.path } }.reduce(0) { $0 + ($1.rows ?? 0) }
                Terminal.line("Added \(rows) rows from \(entries.count) file\(entries.count == 1 ? "" : "s") to \(name) on PostgreSQL (schema \(loaded.schema)).")
                return
            }
            guard loadConnection == nil else { throw ValidationError("--load-connection goes with a dataset on PostgreSQL") }
            var manifest = try catalog.manifest(named: name)
            guard manifest.database == nil else {
                throw ValidationError("dataset '\(name)' attaches a database; files can only be added to a dataset of imported files")
            }
            let entries = try FileEntries(files: files, table: table, format: format, addColumns: addColumns).entries(in: study)
            let known = Set((manifest.files ?? []).map(\.path))
            if let repeated = entries.first(where: { known.contains($0.path) }) {
                throw ValidationError("\(repeated.path) is already in dataset '\(name)'; 'triangulate dataset refresh \(name)' records a changed file")
            }
            manifest.files = (manifest.files ?? []) + entries
            let prepared = try catalog.add(manifest, replacing: true, progress: Terminal.progress)
            Terminal.endProgress()
            Terminal.line(Import.summary(prepared, entries: entries, dataset: name, study: study).replacingOccurrences(of: "Imported", with: "Added"))
        }
    }

    struct Attach: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an existing SQLite database, opened read-only and never copied.",
            discussion: """
                Records the database's path and SHA-256 in corpus/datasets/NAME.yaml.

                Example:
                  triangulate dataset attach peatmoss data/PeaTMOSS.db
                """)

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The dataset's name.") var name: String
        @Argument(help: "The SQLite database file.") var file: String
        @Flag(help: "Replace an existing dataset of that name.") var replace = false

        func run() throws {
            let study = try studyOptions.load()
            let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            let path = study.relativePath(url)
            let outside = DatasetAccess.allowsOutside(path, named: file, in: study)
            let manifest = DatasetManifest(name: name, database: path, outside: outside)
            let prepared = try DatasetCatalog(study: study).add(manifest, replacing: replace, progress: Terminal.progress)
            Terminal.endProgress()
            let tables = try DatasetStore(studyRoot: study.root).open(prepared).describe()
            Terminal.line("Attached \(name) (read-only): \(tables.map { "\($0.name) (\($0.rowCount) rows)" }.joined(separator: ", ")).")
        }
    }

    struct Refresh: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a dataset's inputs as they are now: their SHA-256 and row counts in its manifest.",
            discussion: """
                Commands that read a dataset never change its manifest: when an input's SHA-256 differs from the one \
                the manifest records, they warn and use the file as it is. Review the change, then run this command to \
                record it (the only one besides import and attach that writes the manifest).

                For a dataset on PostgreSQL, reading commands use the tables as the server holds them (loaded from the \
                recorded versions) and warn about a file changed here; this command loads the tables whose files \
                changed again, in one transaction, with --load-connection, the role that loads them, then records \
                the new SHA-256.

                Example:
                  triangulate dataset refresh hf-2022

                For a dataset on PostgreSQL (on a server of yours; the roles are set up as the README says):
                  triangulate dataset refresh hf-2022 --load-connection "host=db.example.org dbname=research user=triangulate_loader"
                """)

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The dataset's name.") var name: String
        @Option(name: .customLong("load-connection"),
                help: ArgumentHelp("For a dataset on PostgreSQL: the connection string of the role that loads the tables.", valueName: "conninfo"))
        var loadConnection: String?

        func run() throws {
            let study = try studyOptions.load()
            let catalog = DatasetCatalog(study: study)
            if case .postgres(let manifest) = try catalog.definition(named: name) {
                try refreshOnPostgres(manifest, catalog: catalog, study: study)
                return
            }
            guard loadConnection == nil else { throw ValidationError("--load-connection goes with a dataset on PostgreSQL") }
            let manifest = try catalog.manifest(named: name)
            let store = DatasetStore(studyRoot: study.root)
            let prepared = try store.prepare(manifest, progress: DatasetAccess.importProgress)
            Terminal.endProgress()
            guard prepared.manifest != manifest else {
                Terminal.line("\(name): the manifest already records every input as it is.")
                return
            }
            _ = try catalog.add(manifest, replacing: true, progress: Terminal.progress)
            Terminal.endProgress()
            let manifestPath = study.relativePath(study.layout.manifest(for: name))
            for (recorded, input) in zip(manifest.files?.map(\.sha256) ?? [manifest.sha256], prepared.inputs) where recorded != input.sha256 {
                let before = recorded.map { String($0.prefix(12)) + "…" } ?? "none"
                Terminal.line("\(input.path): SHA-256 \(before) → \(input.sha256.prefix(12))… recorded in \(manifestPath).")
            }
        }

        /// Loads the tables whose files changed here (or that the server holds from other versions)
        /// again, then records the files' SHA-256; the tables of unchanged files are left as they are.
        private func refreshOnPostgres(_ manifest: PostgresManifest, catalog: DatasetCatalog, study: Study) throws {
            guard let loadConnection else {
                throw ValidationError("dataset '\(name)' is on PostgreSQL: pass --load-connection, the connection string of the role that loads its tables")
            }
            let loader = try DatasetAccess.connectionString(loadConnection, option: "--load-connection")
            guard !manifest.files.isEmpty else {
                Terminal.line("\(name): the manifest lists no files (schema '\(manifest.schema)' was loaded by other means); nothing to refresh.")
                return
            }
            let dataset = PostgresDataset(manifest: manifest, studyRoot: study.root)
            let changes = try dataset.changedFiles()
            // Opening checks, under the reading role, that the server holds what the manifest records.
            if changes.isEmpty, let connection = try? dataset.open() {
                try? connection.close()
                Terminal.line("\(name): the manifest already records every input as it is, and the server holds them.")
                return
            }
            for change in changes {
                let before = change.recorded.map { String($0.prefix(12)) + "…" } ?? "none"
                Terminal.warning("dataset '\(name)': \(change.path) changed (SHA-256 \(before) now \(change.actual.prefix(12))…); "
                    + "loading table '\(change.table)' again into schema '\(manifest.schema)' at \(manifest.connection.target)")
            }
            let (loaded, _) = try catalog.importIntoPostgres(manifest, loadConnection: loader, replacing: true, progress: Terminal.progress)
            Terminal.endProgress()
            let manifestPath = study.relativePath(study.layout.manifest(for: name))
            var reported = false
            for (recorded, file) in zip(manifest.files, loaded.files) where recorded.sha256 != file.sha256 {
                let before = recorded.sha256.map { String($0.prefix(12)) + "…" } ?? "none"
                Terminal.line("\(file.path): SHA-256 \(before) → \((file.sha256 ?? "").prefix(12))… (\(file.rows ?? 0) rows) loaded into "
                    + "\(loaded.schema).\(file.table) and recorded in \(manifestPath).")
                reported = true
            }
            if !reported { Terminal.line("\(name): the server's tables were loaded again from the files the manifest records.") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the study's datasets.",
            discussion: "Example:\n  triangulate dataset list")

        @OptionGroup var studyOptions: StudyOptions

        func run() throws {
            let study = try studyOptions.load()
            let catalog = DatasetCatalog(study: study)
            if catalog.names().isEmpty { Terminal.note("No datasets yet: add one with 'triangulate dataset import' or 'attach'.") }
            for name in catalog.names() {
                switch try catalog.definition(named: name) {
                case .local(let manifest):
                    let what = manifest.database.map { "attached \($0)" }
                        ?? (manifest.files ?? []).map { "\($0.table) ← \($0.path)" }.joined(separator: ", ")
                    Terminal.line("\(name)\t\(what)")
                case .postgres(let manifest):
                    let files = manifest.files.map { "\($0.table) ← \($0.path)" }.joined(separator: ", ")
                    Terminal.line("\(name)\tPostgreSQL schema \(manifest.schema) at \(manifest.connection.target)\(files.isEmpty ? "" : ": " + files)")
                }
            }
        }
    }

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a dataset's tables and, per column, its type, share of nulls, distinct values, minimum and maximum.",
            discussion: """
                One scan per table. Numbers and text have separate minimum and maximum (SQLite orders every number \
                before every text).

                Example:
                  triangulate dataset describe hf-2022 --format json
                """)

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The dataset's name.") var name: String
        @Option(help: "Output format.") var format: DataFormat = .text
        @Flag(help: "Refuse inputs whose SHA-256 is not the one the manifest records (for replication).") var frozen = false

        struct Column: Encodable {
            var name: String
            var type: String
            var nulls: Int
            var nullShare: Double
            var distinct: Int
            var min: String?
            var max: String?
        }

        struct Entry: Encodable {
            var table: String
            var kind: String
            var rows: Int
            var columns: [Column]
        }

        func run() throws {
            let study = try studyOptions.load()
            let connection = try DatasetAccess.open(name, in: study, frozen: frozen)
            let entries = try connection.describe().map { table -> Entry in
                let profile = try connection.profile(table: table.name)
                return Entry(table: table.name, kind: table.kind, rows: profile.rowCount, columns: profile.columns.map { column in
                    let minimum = column.minimumNumber == .null ? column.minimumText : RowPrinter.text(column.minimumNumber)
                    let maximum = column.maximumText ?? (column.maximumNumber == .null ? nil : RowPrinter.text(column.maximumNumber))
                    return Column(name: column.name, type: column.declaredType, nulls: column.nullCount, nullShare: column.nullShare,
                                  distinct: column.distinctCount, min: minimum, max: maximum)
                })
            }
            switch format {
            case .json: try JSONOutput.print(entries)
            case .text:
                for entry in entries {
                    Terminal.line("\(entry.table) (\(entry.kind), \(entry.rows) rows)")
                    let rows = entry.columns.map { column in
                        [column.name, column.type, String(format: "%.1f%%", column.nullShare * 100), String(column.distinct),
                         column.min ?? "", column.max ?? ""]
                    }
                    Terminal.output(RowPrinter.render(QueryResult(columns: ["column", "type", "null", "distinct", "min", "max"],
                                                                  rows: rows.map { $0.map(DataValue.text) }), format: .text)
                        .split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n"))
                }
            }
        }
    }

    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a read-only SQL query on a dataset and print the rows.",
            discussion: """
                Anything but reading (INSERT, UPDATE, CREATE, ATTACH, PRAGMA settings…) is refused; queries stop \
                after the manifest's query_timeout (60 s by default).

                Example:
                  triangulate dataset query hf-2022 "SELECT has_card, downloads FROM models LIMIT 5" --format csv
                """)

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The dataset's name.") var name: String
        @Argument(help: "The SQL query.") var sql: String
        @Option(help: "Output format: text (aligned), csv or json.") var format: RowFormat = .text
        @Option(help: "Print at most this many rows (0 for all).") var limit = 100
        @Flag(help: "Refuse inputs whose SHA-256 is not the one the manifest records (for replication).") var frozen = false

        enum RowFormat: String, ExpressibleByArgument, CaseIterable { case text, csv, json }

        func run() throws {
            let study = try studyOptions.load()
            let connection = try DatasetAccess.open(name, in: study, frozen: frozen)
            let result = try connection.query(sql, maxRows: limit > 0 ? limit : nil)
            Terminal.output(RowPrinter.render(result, format: format))
            if result.isTruncated {
                Terminal.note("Showing the first \(limit) rows; pass --limit 0 for all.")
            }
        }
    }
}

/// Turns the files named on the command line into manifest entries: their paths inside the study
/// (or `outside: true`), their tables, and the columns taken from their names.
struct FileEntries {
    var files: [String]
    var table: String?
    var format: Datasets.DataFormat?
    var addColumns: [String]

    /// How one added column gets its value from a file name.
    private enum Rule {
        case stem
        case pattern(NSRegularExpression, String)
    }

    func entries(in study: Study) throws -> [DatasetManifest.DataFile] {
        let rules = try addColumns.map(Self.rule)
        if !rules.isEmpty, table == nil, files.count > 1 {
            throw ValidationError("--add-column needs --table: it tells apart files appended to one table")
        }
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return try files.map { file in
            let url = URL(fileURLWithPath: file, relativeTo: current).standardizedFileURL
            let path = study.relativePath(url)
            var added: [String: String] = [:]
            for (name, rule) in rules {
                let fileName = url.lastPathComponent
                switch rule {
                case .stem: added[name] = Self.stem(of: url)
                case .pattern(let regex, let source):
                    let range = NSRange(fileName.startIndex..., in: fileName)
                    guard let match = regex.firstMatch(in: fileName, range: range) else {
                        throw ValidationError("the pattern /\(source)/ of --add-column \(name) does not match the file name '\(fileName)'")
                    }
                    let group = match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound ? match.range(at: 1) : match.range
                    added[name] = Range(group, in: fileName).map { String(fileName[$0]) } ?? ""
                }
            }
            return DatasetManifest.DataFile(path: path, table: table ?? DatasetCommand.Import.tableName(for: url), format: format,
                                            outside: DatasetAccess.allowsOutside(path, named: file, in: study),
                                            addColumns: added.isEmpty ? nil : added)
        }
    }

    /// A file's name without its data and compression extensions (`2023-08.csv.gz` → `2023-08`).
    static func stem(of url: URL) -> String {
        var stem = url
        if stem.pathExtension.lowercased() == "gz" { stem = stem.deletingPathExtension() }
        return stem.deletingPathExtension().lastPathComponent
    }

    private static func rule(_ text: String) throws -> (String, Rule) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("expected --add-column NAME=FILENAME_STEM or NAME=/REGEX/, found '\(text)'")
        }
        let name = String(text[..<equals]), value = String(text[text.index(after: equals)...])
        if value == "FILENAME_STEM" { return (name, .stem) }
        guard value.count >= 2, value.hasPrefix("/"), value.hasSuffix("/") else {
            throw ValidationError("expected FILENAME_STEM or a /REGEX/ after '\(name)=' in --add-column, found '\(value)'")
        }
        let source = String(value.dropFirst().dropLast())
        do { return (name, .pattern(try NSRegularExpression(pattern: source), source)) } catch {
            throw ValidationError("the pattern /\(source)/ of --add-column \(name) is not a valid regular expression")
        }
    }
}

/// Opens a dataset for reading, importing it into `.triangulate/` first when its files changed.
/// A read never takes the study's lock or writes the manifest; inputs that differ from what the
/// manifest records are printed as warnings.
enum DatasetAccess {
    static func open(_ name: String, in study: Study, frozen: Bool = false) throws -> any DatasetConnection {
        let ready = try DatasetCatalog(study: study).ready(named: name, frozen: frozen, progress: Terminal.progress)
        Terminal.endProgress()
        for notice in ready.notices { Terminal.warning(notice) }
        return try ready.open()
    }

    /// A connection string given as `option`, checked (no password); the error names the option.
    static func connectionString(_ text: String, option: String) throws -> ConnectionString {
        do { return try ConnectionString(text) } catch {
            throw ValidationError("\(option): \(error.description)")
        }
    }

    /// Import progress as one line of stderr, when it is a terminal.
    static var importProgress: (@Sendable (ImportProgress) -> Void)? { DatasetCatalog.importProgress(Terminal.progress) }

    /// Whether a path named on the command line needs `outside: true` in the manifest (it leads
    /// outside the study or through a symbolic link); says so on stderr, since the researcher
    /// named the file but a replication package then depends on it.
    static func allowsOutside(_ path: String, named given: String, in study: Study) -> Bool? {
        guard let link = DatasetStore(studyRoot: study.root).link(for: path) else { return nil }
        Terminal.warning("\(given) leads \(link.kind.rawValue) (to \(link.target)); the manifest records 'outside: true' for it and its SHA-256, so name where to get it in the manifest's source: for a replication package")
        return true
    }
}

/// Prints query results as an aligned table, CSV or JSON.
enum RowPrinter {
    static func render(_ result: QueryResult, format: DatasetCommand.Query.RowFormat) -> String {
        let cells = result.rows.map { $0.map(text) }
        switch format {
        case .text:
            var widths = result.columns.map { $0.count }
            for row in cells { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], min(cell.count, 60)) } }
            func line(_ values: [String]) -> String {
                values.enumerated().map { i, v in
                    let shown = v.count > 60 ? String(v.prefix(59)) + "…" : v
                    return shown.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                }.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }
            return line(result.columns) + line(widths.map { String(repeating: "-", count: $0) }) + cells.map(line).joined()
        case .csv:
            func field(_ v: String) -> String {
                v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
            }
            return ([result.columns] + cells).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
        case .json:
            let objects = result.rows.map { row in
                "  {" + zip(result.columns, row).map { "\(JSONText.string($0)): \(json($1))" }.joined(separator: ", ") + "}"
            }
            return "[\n" + objects.joined(separator: ",\n") + (objects.isEmpty ? "]\n" : "\n]\n")
        }
    }

    static func text(_ value: DataValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        case .blob(let data): return "<\(data.count) bytes>"
        }
    }

    static func json(_ value: DataValue) -> String {
        switch value {
        case .null, .blob: return "null"
        case .integer(let v): return String(v)
        case .real(let v): return v.isFinite ? String(v) : "null"
        case .text(let v): return JSONText.string(v)
        }
    }
}
