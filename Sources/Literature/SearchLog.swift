import Core
import Foundation
import YAMLSupport

/// One database search as reported in a review's method section.
public struct SearchLogEntry: Sendable, Equatable {
    public var id: String
    public var database: String
    public var query: String
    /// The day the search ran, `YYYY-MM-DD`.
    public var date: String
    /// The export file the search produced, relative to `corpus/literature/`.
    public var file: String
    /// The number of hits the database reported.
    public var hits: Int

    public init(id: String, database: String, query: String, date: String, file: String, hits: Int) {
        self.id = id
        self.database = database
        self.query = query
        self.date = date
        self.file = file
        self.hits = hits
    }
}

/// The searches of a review, kept in `corpus/literature/searches.yaml` under the key `searches`.
public struct SearchLog: Sendable, Equatable {
    public private(set) var entries: [SearchLogEntry]

    public init(entries: [SearchLogEntry] = []) throws {
        self.entries = []
        for entry in entries { try add(entry) }
    }

    /// Appends a search after checking its id is new, its date real and its hit count not negative.
    public mutating func add(_ entry: SearchLogEntry, at location: SourceLocation? = nil) throws {
        let location = location ?? SourceLocation(file: "searches.yaml")
        for (name, value) in [("id", entry.id), ("database", entry.database), ("file", entry.file)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw LiteratureError.invalidEntry(location, expected: "a non-empty '\(name)' in search '\(entry.id)'", found: "an empty value")
        }
        if entries.contains(where: { $0.id == entry.id }) {
            throw LiteratureError.invalidEntry(location, expected: "a new search id", found: "'\(entry.id)', which is already logged")
        }
        guard Self.isDate(entry.date) else {
            throw LiteratureError.invalidEntry(location, expected: "a date as YYYY-MM-DD in search '\(entry.id)'", found: "'\(entry.date)'")
        }
        guard entry.hits >= 0 else {
            throw LiteratureError.invalidEntry(location, expected: "a hit count of 0 or more in search '\(entry.id)'", found: "\(entry.hits)")
        }
        entries.append(entry)
    }

    /// True for an existing calendar day written `YYYY-MM-DD`.
    public static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month)
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...lengths[month - 1]).contains(day)
    }

    /// Reads `searches.yaml`; every problem names its line and column.
    public static func parse(_ text: String, file: String) throws -> SearchLog {
        let root = try YAMLValue.parse(text, file: file)
        if root.isNull { return try SearchLog() }
        let top = try root.fields("the search log", allowed: ["searches"])
        var log = try SearchLog()
        for item in try top.list("searches") {
            let fields = try item.fields("a search", allowed: ["id", "database", "query", "date", "file", "hits"])
            let hitsNode = try fields.required("hits")
            let hits = try hitsNode.int("'hits'")
            let dateNode = try fields.required("date")
            let entry = SearchLogEntry(
                id: try fields.requiredString("id"), database: try fields.requiredString("database"),
                query: try fields.requiredString("query"), date: try fields.requiredString("date"),
                file: try fields.requiredString("file"), hits: hits)
            let location: SourceLocation
            if !isDate(entry.date) {
                location = dateNode.location
            } else if hits < 0 {
                location = hitsNode.location
            } else {
                location = item.location
            }
            try log.add(entry, at: location)
        }
        return log
    }

    /// The log as YAML, entries in the order they were added, so the file diffs line by line.
    public func yaml() -> String {
        var text = "searches:\n"
        if entries.isEmpty { return "searches: []\n" }
        for entry in entries {
            text += "  - id: \(YAMLWriter.quoted(entry.id))\n"
            text += "    database: \(YAMLWriter.quoted(entry.database))\n"
            text += "    query: \(YAMLWriter.quoted(entry.query))\n"
            text += "    date: \(entry.date)\n"
            text += "    file: \(YAMLWriter.quoted(entry.file))\n"
            text += "    hits: \(entry.hits)\n"
        }
        return text
    }

    public static func read(_ url: URL, displayPath: String) throws -> SearchLog {
        guard FileManager.default.fileExists(atPath: url.path) else { return try SearchLog() }
        return try parse(try ReviewFileText.read(url, displayPath: displayPath), file: displayPath)
    }

    public func write(to url: URL) throws {
        try AtomicFile.write(yaml(), to: url)
    }

    /// Records identified per database for PRISMA: the logged hits of each database, plus, for
    /// every parsed export file no search names, its record count under the file's name.
    ///
    /// `recordCounts` maps an export file to its number of parsed records; a file matches a search
    /// when its path is the search's `file` or ends with `/` and it.
    public func identifiedPerDatabase(recordCounts: [String: Int]) -> [(database: String, count: Int)] {
        var totals: [String: Int] = [:]
        var order: [String] = []
        func add(_ name: String, _ count: Int) {
            if totals[name] == nil { order.append(name) }
            totals[name, default: 0] += count
        }
        for entry in entries { add(entry.database, entry.hits) }
        for file in recordCounts.keys.sorted() where !entries.contains(where: { file == $0.file || file.hasSuffix("/" + $0.file) }) {
            add((file as NSString).lastPathComponent, recordCounts[file]!)
        }
        return order.sorted().map { ($0, totals[$0]!) }
    }
}

extension SearchLog {
    /// Records identified per database for PRISMA: the records imported from the exports of each
    /// database (the files its searches name), with the hits the searches reported beside them,
    /// and a warning for each database where the two differ. An export no search names counts
    /// under `databaseOfFile[file]`, or else its file name.
    ///
    /// `recordCounts` maps an export file to its number of parsed records; a file matches a search
    /// when its path is the search's `file` or ends with `/` and it.
    public func identification(
        recordCounts: [String: Int], databaseOfFile: [String: String] = [:]
    ) -> (sources: [PRISMACounts.Source], warnings: [String]) {
        var imported: [String: Int] = [:]
        var reported: [String: Int] = [:]
        for entry in entries {
            reported[entry.database, default: 0] += entry.hits
            imported[entry.database, default: 0] += 0
        }
        for (file, count) in recordCounts {
            let database = entries.first { file == $0.file || file.hasSuffix("/" + $0.file) }?.database
                ?? databaseOfFile[file] ?? (file as NSString).lastPathComponent
            imported[database, default: 0] += count
        }
        var warnings: [String] = []
        let sources = imported.keys.sorted().map { name in
            let source = PRISMACounts.Source(database: name, count: imported[name]!, reported: reported[name])
            if let hits = source.reported, hits != source.count {
                warnings.append("\(name): the search log reports \(hits) hits, but \(source.count) records were imported from its exports")
            }
            return source
        }
        return (sources, warnings)
    }
}
