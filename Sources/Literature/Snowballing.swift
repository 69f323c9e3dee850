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

/// `corpus/literature/snowballing.csv` (`record,source,direction,iteration`): ids present and
/// different, a known direction, an iteration of 1 or more, and no link given twice; written
/// ordered by iteration, source, direction and record.
public enum SnowballingFile: DecisionFile {
    public static func columns(_: Void) -> [String] { ["record", "source", "direction", "iteration"] }

    public static func decode(_ row: DecisionRow, context: Void) throws -> SnowballingLink {
        for name in ["record", "source"] where row[name].isEmpty {
            throw row.invalid(name, expected: "a record id in '\(name)'", found: "an empty cell")
        }
        if row["record"] == row["source"] {
            throw row.invalid("source", expected: "a source record other than the record itself", found: "'\(row["source"])'")
        }
        guard let direction = SnowballingLink.Direction(rawValue: row["direction"]) else {
            throw row.invalid("direction", expected: "backward or forward", found: "'\(row["direction"])'")
        }
        guard let iteration = Int(row["iteration"]), iteration >= 1 else {
            throw row.invalid("iteration", expected: "an iteration number of 1 or more", found: "'\(row["iteration"])'")
        }
        return SnowballingLink(record: row["record"], source: row["source"], direction: direction, iteration: iteration)
    }

    public static func cells(of link: SnowballingLink) -> [String: String] {
        ["record": link.record, "source": link.source, "direction": link.direction.rawValue, "iteration": String(link.iteration)]
    }

    public static func identity(of link: SnowballingLink) -> DecisionIdentity? {
        DecisionIdentity(key: "\(link.record)\u{1}\(link.source)\u{1}\(link.direction.rawValue)", column: "record",
                         expected: "each link once", shown: "\(link.direction.rawValue) link \(link.source) → \(link.record)")
    }

    public static func ordered(_ links: [SnowballingLink]) -> [SnowballingLink] {
        links.sorted {
            ($0.iteration, $0.source, $0.direction.rawValue, $0.record) < ($1.iteration, $1.source, $1.direction.rawValue, $1.record)
        }
    }
}
