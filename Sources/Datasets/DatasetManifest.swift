import Core
import Foundation
import Yams

/// The format of a data file to import.
public enum DataFormat: String, Codable, Sendable, CaseIterable {
    case csv, tsv, jsonl, json

    /// The format a file name's extension implies (`.ndjson` counts as JSON Lines), if any.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "jsonl", "ndjson": self = .jsonl
        case "json": self = .json
        default: return nil
        }
    }
}

/// The SQLite type of an imported column. Booleans are stored as INTEGER 0/1.
public enum ColumnType: String, Codable, Sendable, CaseIterable {
    case integer, real, text, boolean

    /// The type the column is declared with in the derived database.
    var declaredType: String {
        switch self {
        case .integer: return "INTEGER"
        case .real: return "REAL"
        case .text: return "TEXT"
        case .boolean: return "BOOLEAN"
        }
    }
}

/// A dataset manifest, `corpus/datasets/<name>.yaml`: either files to import or an existing SQLite
/// database to attach read-only.
public struct DatasetManifest: Codable, Equatable, Sendable {
    /// One file to import into one table.
    public struct DataFile: Codable, Equatable, Sendable {
        public var path: String
        public var table: String
        public var format: DataFormat?
        public var sha256: String?
        public var rows: Int?
        public var columns: [String: ColumnType]?
        /// True when the file may lie outside the study or be reached through a symbolic link.
        public var outside: Bool?
        /// Columns added to every row of this file, with their value: what distinguishes it from
        /// the other files appended to the same table (`snapshot: 2023-08-08`). Their type is
        /// inferred from the values of all the table's files.
        public var addColumns: [String: String]?

        public init(path: String, table: String, format: DataFormat? = nil, sha256: String? = nil,
                    rows: Int? = nil, columns: [String: ColumnType]? = nil, outside: Bool? = nil,
                    addColumns: [String: String]? = nil) {
            self.addColumns = addColumns
            self.path = path
            self.table = table
            self.format = format
            self.sha256 = sha256
            self.rows = rows
            self.columns = columns
            self.outside = outside
        }

        /// The added columns in name order.
        var sortedAddColumns: [(name: String, value: String)] {
            (addColumns ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }

        /// The declared format, or the one the extension implies; for a gzip file (`.gz`) the
        /// extension inside it (`models.csv.gz` is CSV).
        public var resolvedFormat: DataFormat? {
            if let format { return format }
            let name = isGzipCompressed ? (path as NSString).deletingPathExtension : path
            return DataFormat(pathExtension: (name as NSString).pathExtension)
        }

        /// True when the file is gzip-compressed (its name ends in `.gz`); it is then inflated
        /// while it streams in, and its SHA-256 is that of the compressed file as stored.
        public var isGzipCompressed: Bool {
            (path as NSString).pathExtension.lowercased() == "gz"
        }
    }

    public var name: String
    public var description: String?
    public var source: String?
    public var files: [DataFile]?
    public var database: String?
    public var sha256: String?
    public var queryTimeout: Double?
    /// The most rows one metric query may hand to the matrix (``QueryLimits/defaultMaxRows``
    /// when absent).
    public var maxRows: Int?
    /// True when every path of the manifest (the attached database included) may lie outside
    /// the study or be reached through a symbolic link; see ``InputLink``.
    public var outside: Bool?

    enum CodingKeys: String, CodingKey {
        case name, description, source, files, database, sha256, outside
        case queryTimeout = "query_timeout"
        case maxRows = "max_rows"
    }

    public init(name: String, description: String? = nil, source: String? = nil, files: [DataFile]? = nil,
                database: String? = nil, sha256: String? = nil, queryTimeout: Double? = nil, maxRows: Int? = nil,
                outside: Bool? = nil) {
        self.outside = outside
        self.name = name
        self.description = description
        self.source = source
        self.files = files
        self.database = database
        self.sha256 = sha256
        self.queryTimeout = queryTimeout
        self.maxRows = maxRows
    }

    /// The limits of the manifest's queries, a `timeout` given by the caller taking precedence.
    public func queryLimits(timeout: TimeInterval? = nil) throws -> QueryLimits {
        try QueryLimits(timeout: timeout ?? queryTimeout ?? 60, maxRows: maxRows ?? QueryLimits.defaultMaxRows)
    }

    /// True when the manifest attaches an existing database rather than importing files.
    public var isAttached: Bool { database != nil }

    /// True when the file may be read from outside the study or through a symbolic link.
    public func allowsOutside(_ file: DataFile) -> Bool { outside == true || file.outside == true }

    /// Reads and checks a manifest. `displayPath` is how errors name the file.
    public static func load(from url: URL, displayPath: String) throws -> DatasetManifest {
        let text: String
        do { text = try TextFile.read(url, displayPath: displayPath) } catch let error as FileError {
            throw DatasetError.cannotRead(path: displayPath, reason: error.message)
        }
        return try parse(text, displayPath: displayPath)
    }

    /// Parses manifest text; see ``load(from:displayPath:)``.
    public static func parse(_ text: String, displayPath: String) throws -> DatasetManifest {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw yamlError(error, path: displayPath)
        }
        guard let root else {
            throw DatasetError.invalidManifest(SourceLocation(file: displayPath, line: 1, column: 1),
                                               "expected a mapping with at least 'name', found an empty file")
        }
        return try ManifestReader(path: displayPath).manifest(from: root)
    }

    private static func yamlError(_ error: YamlError, path: String) -> DatasetError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let expected = context.map { "\($0.text) (at \($0.mark)), " } ?? ""
            return .invalidManifest(SourceLocation(file: path, line: mark.line, column: mark.column),
                                    "invalid YAML: \(expected)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .invalidManifest(SourceLocation(file: path, line: context.mark.line, column: context.mark.column),
                                    "expected each key once, found \(duplicates.joined(separator: ", ")) twice")
        default:
            return .invalidManifest(SourceLocation(file: path), "invalid YAML: \(error)")
        }
    }

    /// The manifest as YAML, keys in the documented order, for the caller to write atomically.
    public func yamlText() -> String {
        var pairs: [(Node, Node)] = [("name", Node(name))]
        if let description { pairs.append(("description", Node(description))) }
        if let source { pairs.append(("source", Node(source))) }
        if let files {
            let items: [Node] = files.map { file in
                var filePairs: [(Node, Node)] = [("path", Node(file.path)), ("table", Node(file.table))]
                if let format = file.format { filePairs.append(("format", Node(format.rawValue))) }
                if let sha256 = file.sha256 { filePairs.append(("sha256", Node(sha256))) }
                if let rows = file.rows { filePairs.append(("rows", Node(String(rows), Tag(.int)))) }
                if let columns = file.columns, !columns.isEmpty {
                    let columnPairs = columns.sorted { $0.key < $1.key }.map { (Node($0.key), Node($0.value.rawValue)) }
                    filePairs.append(("columns", Node(columnPairs)))
                }
                if let outside = file.outside { filePairs.append(("outside", Node(outside ? "true" : "false", Tag(.bool)))) }
                if let added = file.addColumns, !added.isEmpty {
                    filePairs.append(("add_columns", Node(file.sortedAddColumns.map { (Node($0.name), Node($0.value, Tag(.str), .singleQuoted)) })))
                }
                return Node(filePairs)
            }
            pairs.append(("files", Node(items)))
        }
        if let database { pairs.append(("database", Node(database))) }
        if let outside { pairs.append(("outside", Node(outside ? "true" : "false", Tag(.bool)))) }
        if let sha256 { pairs.append(("sha256", Node(sha256))) }
        if let queryTimeout {
            let text = Int(exactly: queryTimeout).map(String.init) ?? String(queryTimeout)
            pairs.append(("query_timeout", Node(text, Tag(.float))))
        }
        if let maxRows { pairs.append(("max_rows", Node(String(maxRows), Tag(.int)))) }
        return (try? Yams.serialize(node: Node(pairs), sortKeys: false)) ?? ""
    }
}

/// Decodes a manifest from a YAML node tree, so every error can name a line and column.
private struct ManifestReader {
    let path: String

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: path, line: node.mark?.line, column: node.mark?.column)
    }

    func fail(_ node: Node, _ message: String) -> DatasetError {
        .invalidManifest(location(node), message)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return "'\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    func pairs(_ node: Node, allowed: [String], what: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = node else {
            throw fail(node, "expected \(what) as a mapping of keys to values, found \(describe(node))")
        }
        var result: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else { throw fail(keyNode, "expected a key, found \(describe(keyNode))") }
            guard allowed.contains(scalar.string) else {
                throw fail(keyNode, "expected one of the keys \(allowed.joined(separator: ", ")) in \(what), found '\(scalar.string)'")
            }
            result.append((scalar.string, keyNode, value))
        }
        return result
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let scalar) = node, scalar.tag != Tag(.null), !(scalar.style == .plain && scalar.string == "~") else {
            throw fail(node, "expected text for '\(key)', found \(describe(node))")
        }
        return scalar.string
    }

    func manifest(from root: Node) throws -> DatasetManifest {
        let entries = try pairs(root, allowed: ["name", "description", "source", "files", "database", "sha256", "query_timeout",
                                                "max_rows", "outside"],
                                what: "a dataset manifest")
        var manifest = DatasetManifest(name: "")
        var nameNode: Node?
        for (key, _, value) in entries {
            switch key {
            case "name":
                manifest.name = try string(value, key)
                nameNode = value
                guard Self.isValidName(manifest.name) else {
                    throw fail(value, "expected a dataset name of letters, digits, '_', '.' and '-', found '\(manifest.name)'")
                }
            case "description": manifest.description = try string(value, key)
            case "source": manifest.source = try string(value, key)
            case "database": manifest.database = try string(value, key)
            case "sha256": manifest.sha256 = try sha256(value)
            case "query_timeout":
                guard let seconds = Double(try string(value, key)), seconds > 0, seconds.isFinite else {
                    throw fail(value, "expected query_timeout as a positive number of seconds, found \(describe(value))")
                }
                guard seconds <= QueryLimits.maximumTimeout else {
                    throw fail(value, "expected query_timeout of at most \(Int(QueryLimits.maximumTimeout)) seconds (a day), found \(describe(value))")
                }
                manifest.queryTimeout = seconds
            case "outside": manifest.outside = try bool(value, key)
            case "max_rows":
                guard let rows = Int(try string(value, key)), rows > 0 else {
                    throw fail(value, "expected max_rows as a whole number of at least 1, found \(describe(value))")
                }
                manifest.maxRows = rows
            case "files":
                guard case .sequence(let sequence) = value else {
                    throw fail(value, "expected 'files' as a list of files to import, found \(describe(value))")
                }
                manifest.files = try sequence.map(dataFile)
                if manifest.files!.isEmpty { throw fail(value, "expected at least one file under 'files', found an empty list") }
            default: break
            }
        }
        guard nameNode != nil else { throw fail(root, "expected a 'name' key, found none") }
        switch (manifest.files, manifest.database) {
        case (nil, nil):
            throw fail(root, "expected either 'files' (data to import) or 'database' (an SQLite file to attach), found neither")
        case (.some, .some):
            throw fail(root, "expected either 'files' or 'database', found both")
        default: break
        }
        if let files = manifest.files, case .sequence(let nodes) = entries.first(where: { $0.key == "files" })?.value {
            var first: [String: Int] = [:]
            var paths: [String: Int] = [:]
            for (index, file) in files.enumerated() {
                if let earlier = paths[file.path] {
                    throw fail(nodes[index], "expected each file once in a manifest, found '\(file.path)' again (first as file \(earlier + 1))")
                }
                paths[file.path] = index
                guard let earlier = first[file.table.lowercased()] else {
                    first[file.table.lowercased()] = index
                    continue
                }
                let other = files[earlier]
                if Set((file.addColumns ?? [:]).keys) != Set((other.addColumns ?? [:]).keys) {
                    throw fail(nodes[index], "expected the same add_columns as '\(other.path)' (file \(earlier + 1)), which goes into table '\(file.table)' too, found \(file.sortedAddColumns.map(\.name).joined(separator: ", ").nonEmpty ?? "none")")
                }
                if file.columns != nil, other.columns != nil, file.columns != other.columns {
                    throw fail(nodes[index], "expected the same column types as '\(other.path)' (file \(earlier + 1)), which goes into table '\(file.table)' too; declare them on one of the files")
                }
            }
        }
        return manifest
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        switch try string(node, key).lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw fail(node, "expected '\(key)' to be true or false, found \(describe(node))")
        }
    }

    func sha256(_ node: Node) throws -> String {
        let text = try string(node, "sha256").lowercased()
        guard text.utf8.count == 64, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
            throw fail(node, "expected a SHA-256 of 64 hexadecimal digits, found \(describe(node))")
        }
        return text
    }

    func dataFile(_ node: Node) throws -> DatasetManifest.DataFile {
        let entries = try pairs(node, allowed: ["path", "table", "format", "sha256", "rows", "columns", "outside", "add_columns"],
                                what: "a file entry")
        var file = DatasetManifest.DataFile(path: "", table: "")
        var hasPath = false, hasTable = false
        for (key, _, value) in entries {
            switch key {
            case "path": file.path = try string(value, key); hasPath = !file.path.isEmpty
            case "table":
                file.table = try string(value, key)
                hasTable = true
                guard Self.isSQLIdentifier(file.table) else {
                    throw fail(value, "expected a table name that is an SQL identifier (a letter or '_', then letters, digits or '_'), found '\(file.table)'")
                }
                guard !file.table.lowercased().hasPrefix("sqlite_"), !file.table.lowercased().hasPrefix("_triangulate") else {
                    throw fail(value, "expected a table name not starting with 'sqlite_' or '_triangulate' (reserved), found '\(file.table)'")
                }
            case "format":
                let text = try string(value, key)
                guard let format = DataFormat(rawValue: text) else {
                    throw fail(value, "expected format to be one of \(DataFormat.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
                }
                file.format = format
            case "sha256": file.sha256 = try sha256(value)
            case "outside": file.outside = try bool(value, key)
            case "add_columns":
                var added: [String: String] = [:]
                for (column, valueNode) in try columnPairs(value) {
                    guard !column.isEmpty else { throw fail(valueNode, "expected a column name in 'add_columns', found an empty one") }
                    added[column] = try string(valueNode, column)
                }
                file.addColumns = added
            case "rows":
                guard let rows = Int(try string(value, key)), rows >= 0 else {
                    throw fail(value, "expected rows as a whole number, found \(describe(value))")
                }
                file.rows = rows
            case "columns":
                var columns: [String: ColumnType] = [:]
                for (column, typeNode) in try columnPairs(value) {
                    let text = try string(typeNode, column)
                    guard let type = ColumnType(rawValue: text) else {
                        throw fail(typeNode, "expected the type of column '\(column)' to be one of integer, real, text, boolean, found '\(text)'")
                    }
                    columns[column] = type
                }
                file.columns = columns
            default: break
            }
        }
        guard hasPath else { throw fail(node, "expected a 'path' for the file to import, found none") }
        guard hasTable else { throw fail(node, "expected a 'table' to import '\(file.path)' into, found none") }
        if file.resolvedFormat == nil {
            throw fail(node, "expected a 'format' (csv, tsv, jsonl, json) for '\(file.path)', whose extension does not imply one (.csv, .tsv, .jsonl, .json, each optionally followed by .gz)")
        }
        return file
    }

    func columnPairs(_ node: Node) throws -> [(column: String, type: Node)] {
        guard case .mapping(let mapping) = node else {
            throw fail(node, "expected 'columns' as a mapping of column names to types, found \(describe(node))")
        }
        return try mapping.map { keyNode, value in
            guard case .scalar(let scalar) = keyNode else { throw fail(keyNode, "expected a column name, found \(describe(keyNode))") }
            return (scalar.string, value)
        }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.unicodeScalars.allSatisfy {
            ($0.isASCII && (CharacterSet.alphanumerics.contains($0))) || $0 == "_" || $0 == "." || $0 == "-"
        }
    }

    static func isSQLIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first == "_" || CharacterSet.letters.contains(first) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || CharacterSet.alphanumerics.contains($0)) }
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
