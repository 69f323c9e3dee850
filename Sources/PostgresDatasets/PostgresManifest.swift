import Core
import Datasets
import Foundation
import Yams

/// A dataset manifest that names a PostgreSQL server rather than a local database:
///
/// ```yaml
/// name: hf-2022
/// connection: host=db.example.org dbname=research user=triangulate_reader
/// schema: hf2022
/// query_timeout: 60
/// max_rows: 25000000           # optional: the most rows a metric query may hand over
/// files:                       # what `dataset import … --into postgres` loaded, with hashes
///   - path: corpus/datasets/hf-2022/models.csv
///     table: models
///     sha256: 14ab…
///     rows: 74970
/// ```
///
/// `connection` is a libpq connection string without a password (see ``ConnectionString``);
/// `schema` holds the dataset's tables; `files` is optional (a schema loaded by other means).
public struct PostgresManifest: Equatable, Sendable {
    public var name: String
    public var description: String?
    public var source: String?
    public var connection: ConnectionString
    public var schema: String
    public var queryTimeout: Double?
    /// The most rows a metric query may hand to its test (`max_rows`; default
    /// ``QueryLimits/defaultMaxRows``), as for a dataset on this machine.
    public var maxRows: Int?
    public var files: [DatasetManifest.DataFile]

    public init(name: String, description: String? = nil, source: String? = nil, connection: ConnectionString,
                schema: String, queryTimeout: Double? = nil, maxRows: Int? = nil, files: [DatasetManifest.DataFile] = []) {
        self.name = name
        self.description = description
        self.source = source
        self.connection = connection
        self.schema = schema
        self.queryTimeout = queryTimeout
        self.maxRows = maxRows
        self.files = files
    }

    /// True when the manifest text has a top-level `connection` or `schema` key, that is, names
    /// a server (a manifest with only one of them is then refused for the one it lacks).
    public static func namesServer(_ text: String) -> Bool {
        guard case .mapping(let mapping)? = try? Yams.compose(yaml: text) else { return false }
        return mapping.contains { $0.key.string == "connection" || $0.key.string == "schema" }
    }

    /// Reads and checks a manifest. `displayPath` is how errors name the file.
    public static func load(from url: URL, displayPath: String) throws -> PostgresManifest {
        let text: String
        do { text = try TextFile.read(url, displayPath: displayPath) } catch let error as FileError {
            throw PostgresDatasetError.invalidManifest(SourceLocation(file: displayPath), "cannot read: \(error.message)")
        }
        return try parse(text, displayPath: displayPath)
    }

    /// Parses manifest text; every error names the line and column.
    public static func parse(_ text: String, displayPath: String) throws -> PostgresManifest {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw PostgresDatasetError.invalidManifest(SourceLocation(file: displayPath), "invalid YAML: \(error)")
        }
        guard let root else {
            throw PostgresDatasetError.invalidManifest(SourceLocation(file: displayPath, line: 1, column: 1),
                                                       "expected a mapping with 'name', 'connection' and 'schema', found an empty file")
        }
        return try Reader(path: displayPath).manifest(root)
    }

    /// The manifest as YAML, keys in the documented order, for the caller to write atomically.
    public func yamlText() -> String {
        var pairs: [(Node, Node)] = [("name", Node(name))]
        if let description { pairs.append(("description", Node(description))) }
        if let source { pairs.append(("source", Node(source))) }
        pairs.append(("connection", Node(connection.text)))
        pairs.append(("schema", Node(schema)))
        if let queryTimeout {
            let text = queryTimeout == queryTimeout.rounded() && abs(queryTimeout) < 1e15 ? String(Int(queryTimeout)) : String(queryTimeout)
            pairs.append(("query_timeout", Node(text, Tag(.float))))
        }
        if let maxRows { pairs.append(("max_rows", Node(String(maxRows), Tag(.int)))) }
        if !files.isEmpty {
            pairs.append(("files", Node(files.map { file in
                var entry: [(Node, Node)] = [("path", Node(file.path)), ("table", Node(file.table))]
                if let format = file.format { entry.append(("format", Node(format.rawValue))) }
                if let sha256 = file.sha256 { entry.append(("sha256", Node(sha256))) }
                if let rows = file.rows { entry.append(("rows", Node(String(rows), Tag(.int)))) }
                if let columns = file.columns, !columns.isEmpty {
                    entry.append(("columns", Node(columns.sorted { $0.key < $1.key }.map { (Node($0.key), Node($0.value.rawValue)) })))
                }
                if let outside = file.outside { entry.append(("outside", Node(outside ? "true" : "false", Tag(.bool)))) }
                if let added = file.addColumns, !added.isEmpty {
                    entry.append(("add_columns", Node(added.sorted { $0.key < $1.key }.map {
                        (Node($0.key), Node($0.value, Tag(.str), .singleQuoted))
                    })))
                }
                return Node(entry)
            })))
        }
        return (try? Yams.serialize(node: Node(pairs), sortKeys: false)) ?? ""
    }

    private struct Reader {
        let path: String

        func fail(_ node: Node, _ message: String) -> PostgresDatasetError {
            .invalidManifest(SourceLocation(file: path, line: node.mark?.line, column: node.mark?.column), message)
        }

        func entries(_ node: Node, allowed: [String], what: String) throws -> [(String, Node)] {
            guard case .mapping(let mapping) = node else { throw fail(node, "expected \(what) as a mapping of keys to values") }
            return try mapping.map { key, value in
                guard let name = key.string, allowed.contains(name) else {
                    throw fail(key, "expected one of the keys \(allowed.joined(separator: ", ")) in \(what), found '\(key.string ?? "a non-text key")'")
                }
                return (name, value)
            }
        }

        func text(_ node: Node, _ key: String) throws -> String {
            guard case .scalar(let scalar) = node, scalar.tag != Tag(.null), !scalar.string.isEmpty else {
                throw fail(node, "expected text for '\(key)'")
            }
            return scalar.string
        }

        func manifest(_ root: Node) throws -> PostgresManifest {
            var name: String?, description: String?, source: String?, connection: ConnectionString?, schema: String?
            var timeout: Double?
            var maxRows: Int?
            var files: [DatasetManifest.DataFile] = []
            if case .mapping(let mapping) = root,
               let secret = mapping.first(where: { ["password", "sslpassword", "pgpassword"].contains($0.key.string?.lowercased() ?? "") }) {
                throw fail(secret.key, ConnectionStringError.embedsPassword(secret.key.string ?? "password").description)
            }
            for (key, value) in try entries(root, allowed: ["name", "description", "source", "connection", "schema", "query_timeout", "max_rows", "files"],
                                            what: "a PostgreSQL dataset manifest") {
                switch key {
                case "name":
                    let text = try text(value, key)
                    guard text.unicodeScalars.allSatisfy({ ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || "_.-".unicodeScalars.contains($0) }),
                          text != ".", text != ".." else {
                        throw fail(value, "expected a dataset name of letters, digits, '_', '.' and '-', found '\(text)'")
                    }
                    name = text
                case "description": description = try text(value, key)
                case "source": source = try text(value, key)
                case "schema": schema = try text(value, key)
                case "connection":
                    do { connection = try ConnectionString(try text(value, key)) } catch let error as ConnectionStringError {
                        throw fail(value, error.description)
                    }
                case "query_timeout":
                    guard let seconds = Double(try text(value, key)), seconds > 0, seconds.isFinite, seconds <= 2_147_483 else {
                        throw fail(value, "expected query_timeout as a positive number of seconds (at most 2147483), found '\(value.string ?? "")'")
                    }
                    timeout = seconds
                case "max_rows":
                    guard let rows = Int(try text(value, key)), rows > 0 else {
                        throw fail(value, "expected max_rows as a whole number of at least 1, found '\(value.string ?? "")'")
                    }
                    maxRows = rows
                case "files":
                    guard case .sequence(let sequence) = value else { throw fail(value, "expected 'files' as a list") }
                    files = try sequence.map(file)
                default: break
                }
            }
            guard let name else { throw fail(root, "expected a 'name' key, found none") }
            guard let connection else { throw fail(root, "expected a 'connection' key (a libpq connection string), found none") }
            guard let schema else { throw fail(root, "expected a 'schema' key (the schema holding the dataset's tables), found none") }
            var paths: Set<String> = []
            for file in files where !paths.insert(file.path).inserted {
                throw PostgresDatasetError.invalidManifest(SourceLocation(file: path), "expected each file once in a manifest, found '\(file.path)' again")
            }
            return PostgresManifest(name: name, description: description, source: source, connection: connection, schema: schema,
                                    queryTimeout: timeout, maxRows: maxRows, files: files)
        }

        func file(_ node: Node) throws -> DatasetManifest.DataFile {
            var file = DatasetManifest.DataFile(path: "", table: "")
            for (key, value) in try entries(node, allowed: ["path", "table", "format", "sha256", "rows", "columns", "outside", "add_columns"],
                                            what: "a file entry") {
                switch key {
                case "path": file.path = try text(value, key)
                case "table":
                    file.table = try text(value, key)
                    guard let first = file.table.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)),
                          file.table.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }),
                          !file.table.lowercased().hasPrefix("_triangulate") else {
                        throw fail(value, "expected a table name that is an SQL identifier not starting with '_triangulate', found '\(file.table)'")
                    }
                case "format":
                    guard let format = DataFormat(rawValue: try text(value, key)) else {
                        throw fail(value, "expected format to be one of \(DataFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    file.format = format
                case "sha256":
                    let hash = try text(value, key).lowercased()
                    guard hash.utf8.count == 64, hash.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
                        throw fail(value, "expected a SHA-256 of 64 hexadecimal digits")
                    }
                    file.sha256 = hash
                case "rows":
                    guard let rows = Int(try text(value, key)), rows >= 0 else { throw fail(value, "expected rows as a whole number") }
                    file.rows = rows
                case "columns":
                    var columns: [String: ColumnType] = [:]
                    guard case .mapping(let mapping) = value else { throw fail(value, "expected 'columns' as a mapping of column names to types") }
                    for (columnNode, typeNode) in mapping {
                        guard let column = columnNode.string, let type = ColumnType(rawValue: typeNode.string ?? "") else {
                            throw fail(typeNode, "expected a column type: integer, real, text or boolean")
                        }
                        columns[column] = type
                    }
                    file.columns = columns
                case "outside":
                    switch try text(value, key).lowercased() {
                    case "true", "yes": file.outside = true
                    case "false", "no": file.outside = false
                    default: throw fail(value, "expected outside to be true or false")
                    }
                case "add_columns":
                    guard case .mapping(let mapping) = value else {
                        throw fail(value, "expected 'add_columns' as a mapping of column names to values")
                    }
                    var added: [String: String] = [:]
                    for (columnNode, valueNode) in mapping {
                        guard let column = columnNode.string, !column.isEmpty, case .scalar(let scalar) = valueNode else {
                            throw fail(valueNode, "expected a column name and a text value under 'add_columns'")
                        }
                        added[column] = scalar.string
                    }
                    file.addColumns = added.isEmpty ? nil : added
                default: break
                }
            }
            guard !file.path.isEmpty else { throw fail(node, "expected a 'path' for the file, found none") }
            guard !file.table.isEmpty else { throw fail(node, "expected a 'table' for '\(file.path)', found none") }
            guard file.resolvedFormat != nil else { throw fail(node, "expected a 'format' (csv, tsv, jsonl, json) for '\(file.path)'") }
            return file
        }
    }
}
