import Core
import Foundation

/// A record found by following the references (backward) or citations (forward) of another.
public struct SnowballingLink: Sendable, Equatable {
    public enum Direction: String, Sendable, CaseIterable {
        case backward, forward
    }

    public var record: String
    public var source: String
    public var direction: Direction
    /// 1 for links from the start set, 2 for links from records found in iteration 1, ...
    public var iteration: Int

    public init(record: String, source: String, direction: Direction, iteration: Int) {
        self.record = record
        self.source = source
        self.direction = direction
        self.iteration = iteration
    }
}

/// Reading and writing of `corpus/literature/snowballing.csv` (`record,source,direction,iteration`).
public enum SnowballingFile {
    public static let header = ["record", "source", "direction", "iteration"]

    /// Checks each row: ids present and different, a known direction, an iteration of 1 or more,
    /// and no link given twice.
    public static func parse(_ text: String, file: String) throws -> [SnowballingLink] {
        let table = try ReviewTable.parse(text, file: file, required: header, allowed: header)
        var firstLine: [String: Int] = [:]
        return try table.rows.map { row in
            for name in ["record", "source"] where row[name].isEmpty {
                throw LiteratureError.invalidEntry(row.location(of: name), expected: "a record id in '\(name)'", found: "an empty cell")
            }
            if row["record"] == row["source"] {
                throw LiteratureError.invalidEntry(
                    row.location(of: "source"), expected: "a source record other than the record itself", found: "'\(row["source"])'")
            }
            guard let direction = SnowballingLink.Direction(rawValue: row["direction"]) else {
                throw LiteratureError.invalidEntry(row.location(of: "direction"), expected: "backward or forward", found: "'\(row["direction"])'")
            }
            guard let iteration = Int(row["iteration"]), iteration >= 1 else {
                throw LiteratureError.invalidEntry(
                    row.location(of: "iteration"), expected: "an iteration number of 1 or more", found: "'\(row["iteration"])'")
            }
            let identity = "\(row["record"])\u{1}\(row["source"])\u{1}\(direction.rawValue)"
            if let first = firstLine[identity] {
                throw LiteratureError.invalidEntry(
                    row.location(of: "record"), expected: "each link once",
                    found: "\(direction.rawValue) link \(row["source"]) → \(row["record"]) again (first at line \(first))")
            }
            firstLine[identity] = row.line
            return SnowballingLink(record: row["record"], source: row["source"], direction: direction, iteration: iteration)
        }
    }

    /// The whole file, links ordered by iteration, source, direction and record.
    public static func csv(_ links: [SnowballingLink]) -> String {
        let sorted = links.sorted {
            ($0.iteration, $0.source, $0.direction.rawValue, $0.record) < ($1.iteration, $1.source, $1.direction.rawValue, $1.record)
        }
        return CSVLine.line(header) + sorted.map { CSVLine.line([$0.record, $0.source, $0.direction.rawValue, String($0.iteration)]) }.joined()
    }

    public static func read(_ url: URL, displayPath: String) throws -> [SnowballingLink] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try parse(try ReviewFileText.read(url, displayPath: displayPath), file: displayPath)
    }

    public static func write(_ links: [SnowballingLink], to url: URL) throws {
        try AtomicFile.write(csv(links), to: url)
    }
}
