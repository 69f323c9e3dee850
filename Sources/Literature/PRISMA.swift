import Core
import Foundation

/// The numbers of a PRISMA 2020 flow diagram (databases and registers only).
public struct PRISMACounts: Sendable, Equatable {
    /// Records identified in one database.
    public struct Source: Sendable, Equatable {
        public var database: String
        public var count: Int
    }

    /// Reports excluded at full text for one criterion.
    public struct Exclusion: Sendable, Equatable {
        public var criterion: String
        public var text: String
        public var count: Int
    }

    public var identified: [Source]
    public var duplicatesRemoved: Int
    public var screened: Int
    public var excludedAtScreening: Int
    /// Screened records still undecided, marked maybe, or in unresolved conflict.
    public var awaitingScreening: Int
    public var reportsSought: Int
    /// Full-text exclusions citing `not-retrieved`.
    public var notRetrieved: Int
    public var assessed: Int
    public var excludedWithReasons: [Exclusion]
    /// Sought reports with no final full-text decision yet.
    public var awaitingAssessment: Int
    public var included: Int

    public var identifiedTotal: Int { identified.reduce(0) { $0 + $1.count } }
    public var excludedAtFullText: Int { excludedWithReasons.reduce(0) { $0 + $1.count } }

    /// Counts a review from its parts.
    ///
    /// - Parameters:
    ///   - identified: records per database, e.g. `SearchLog.identifiedPerDatabase(recordCounts:)`.
    ///   - records: the ids of all records read from the exports.
    ///   - dedupe: the deduplication result; its removed records are not screened.
    ///   - ledger: screening decisions and resolutions. The first stage is title-and-abstract
    ///     screening, the last is full-text assessment; a record reaches full text when its
    ///     first-stage outcome is include.
    public static func compute(
        identified: [(database: String, count: Int)], records: [String], dedupe: DedupeResult, ledger: ScreeningLedger
    ) -> PRISMACounts {
        let removed = dedupe.removedRecordIDs
        let screenedIDs = Set(records).subtracting(removed).sorted()
        let first = ledger.criteria.stages.first!, last = ledger.criteria.stages.last!
        var excludedAtScreening = 0, awaitingScreening = 0, sought = 0
        var notRetrieved = 0, assessed = 0, awaitingAssessment = 0, included = 0
        var reasons: [String: Int] = [:]
        for record in screenedIDs {
            switch ledger.outcome(of: record, at: first) {
            case .excluded: excludedAtScreening += 1
            case .undecided, .maybe, .conflict: awaitingScreening += 1
            case .included:
                sought += 1
                switch ledger.outcome(of: record, at: last) {
                case .excluded(let criterion) where criterion == ScreeningCriteria.notRetrieved: notRetrieved += 1
                case .excluded(let criterion):
                    assessed += 1
                    reasons[criterion, default: 0] += 1
                case .included:
                    assessed += 1
                    included += 1
                case .undecided, .maybe, .conflict: awaitingAssessment += 1
                }
            }
        }
        let exclusions = ledger.criteria.exclude.compactMap { criterion in
            reasons[criterion.id].map { Exclusion(criterion: criterion.id, text: criterion.text, count: $0) }
        }
        return PRISMACounts(
            identified: identified.map { Source(database: $0.database, count: $0.count) },
            duplicatesRemoved: dedupe.duplicateCount, screened: screenedIDs.count, excludedAtScreening: excludedAtScreening,
            awaitingScreening: awaitingScreening, reportsSought: sought, notRetrieved: notRetrieved, assessed: assessed,
            excludedWithReasons: exclusions, awaitingAssessment: awaitingAssessment, included: included)
    }

    /// Counts from the exports themselves: identified per database from `searchLog` (files no
    /// search names count their records), duplicates from `dedupe`, the rest from `ledger`.
    public static func compute(
        records: [BibliographicRecord], searchLog: SearchLog, dedupe: DedupeResult, ledger: ScreeningLedger
    ) -> PRISMACounts {
        var perFile: [String: Int] = [:]
        for record in records { perFile[record.location.file, default: 0] += 1 }
        return compute(
            identified: searchLog.identifiedPerDatabase(recordCounts: perFile), records: records.map(\.recordID),
            dedupe: dedupe, ledger: ledger)
    }

    // MARK: Renderings

    /// A Markdown table of the flow, one row per box.
    public func markdown() -> String {
        var text = "# PRISMA 2020 flow\n\n| Stage | n |\n| --- | ---: |\n"
        text += "| Records identified from databases | \(identifiedTotal) |\n"
        for source in identified { text += "| &nbsp;&nbsp;\(Self.cell(source.database)) | \(source.count) |\n" }
        text += "| Duplicate records removed before screening | \(duplicatesRemoved) |\n"
        text += "| Records screened (title and abstract) | \(screened) |\n"
        text += "| Records excluded | \(excludedAtScreening) |\n"
        if awaitingScreening > 0 { text += "| Records awaiting screening | \(awaitingScreening) |\n" }
        text += "| Reports sought for retrieval | \(reportsSought) |\n"
        text += "| Reports not retrieved | \(notRetrieved) |\n"
        text += "| Reports assessed for eligibility | \(assessed) |\n"
        text += "| Reports excluded | \(excludedAtFullText) |\n"
        for exclusion in excludedWithReasons {
            text += "| &nbsp;&nbsp;\(Self.cell(exclusion.criterion)): \(Self.cell(exclusion.text)) | \(exclusion.count) |\n"
        }
        if awaitingAssessment > 0 { text += "| Reports awaiting assessment | \(awaitingAssessment) |\n" }
        text += "| Studies included in review | \(included) |\n"
        return text
    }

    /// Escapes what Markdown or its inline HTML would interpret in a table cell.
    private static func cell(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "*", with: "\\*").replacingOccurrences(of: "_", with: "\\_")
            .replacingOccurrences(of: "\n", with: " ")
    }

    /// JSON with a fixed key order and two-space indentation.
    public func json() -> String {
        func list<T>(_ items: [T], _ render: (T) -> String) -> String {
            items.isEmpty ? "[]" : "[\n" + items.map { "    " + render($0) }.joined(separator: ",\n") + "\n  ]"
        }
        let pairs: [(String, String)] = [
            ("identified", list(identified) { "{\"database\": \(JSONText.string($0.database)), \"count\": \($0.count)}" }),
            ("identifiedTotal", "\(identifiedTotal)"),
            ("duplicatesRemoved", "\(duplicatesRemoved)"),
            ("screened", "\(screened)"),
            ("excludedAtScreening", "\(excludedAtScreening)"),
            ("awaitingScreening", "\(awaitingScreening)"),
            ("reportsSought", "\(reportsSought)"),
            ("notRetrieved", "\(notRetrieved)"),
            ("assessed", "\(assessed)"),
            ("excludedWithReasons", list(excludedWithReasons) {
                "{\"criterion\": \(JSONText.string($0.criterion)), \"text\": \(JSONText.string($0.text)), \"count\": \($0.count)}"
            }),
            ("awaitingAssessment", "\(awaitingAssessment)"),
            ("included", "\(included)"),
        ]
        return "{\n" + pairs.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    /// The PRISMA 2020 flow diagram for new systematic reviews (databases and registers only) as
    /// a self-contained SVG: phase bars on the left, the main boxes in a column joined by
    /// downward arrows, the exclusion boxes to their right joined by sideways arrows.
    public func svg() -> String {
        let phaseX = 20, phaseWidth = 30, leftX = 70, leftWidth = 330, rightX = 460, rightWidth = 320, width = 800
        let lineHeight = 16, padding = 12, gap = 36
        func box(_ lines: [String], width: Int) -> [String] {
            lines.flatMap { Self.wrap($0, limit: (width - 2 * padding) / 7) }
        }
        func height(_ lines: [String]) -> Int { lines.count * lineHeight + 2 * padding - 4 }

        var sources = ["Records identified from databases (n = \(identifiedTotal)):"]
        sources += identified.map { "  \($0.database) (n = \($0.count))" }
        var screenedLines = ["Records screened (n = \(screened))"]
        if awaitingScreening > 0 { screenedLines.append("Awaiting a decision (n = \(awaitingScreening))") }
        var assessedLines = ["Reports assessed for eligibility (n = \(assessed))"]
        if awaitingAssessment > 0 { assessedLines.append("Awaiting assessment (n = \(awaitingAssessment))") }
        var reasonLines = ["Reports excluded (n = \(excludedAtFullText)):"]
        reasonLines += excludedWithReasons.map { "  \($0.criterion): \($0.text) (n = \($0.count))" }
        let rows: [(left: [String], right: [String]?)] = [
            (sources, ["Records removed before screening:", "  Duplicate records (n = \(duplicatesRemoved))"]),
            (screenedLines, ["Records excluded (n = \(excludedAtScreening))"]),
            (["Reports sought for retrieval (n = \(reportsSought))"], ["Reports not retrieved (n = \(notRetrieved))"]),
            (assessedLines, reasonLines),
            (["Studies included in review (n = \(included))"], nil),
        ]

        var body = ""
        var y = 60
        var rowTops: [Int] = [], rowBottoms: [Int] = []
        var previousBottom: Int?
        for (index, row) in rows.enumerated() {
            let left = box(row.left, width: leftWidth)
            let right = row.right.map { box($0, width: rightWidth) }
            // The first and last boxes are at least as tall as their rotated phase labels
            // ("Identification", "Included"), which stand beside them alone.
            let minimum = index == 0 ? 112 : (row.right == nil ? 72 : 0)
            let leftHeight = max(height(left), minimum)
            let rowHeight = max(leftHeight, right.map(height) ?? 0)
            body += Self.rect(x: leftX, y: y, width: leftWidth, height: leftHeight, lines: left, lineHeight: lineHeight, padding: padding)
            if let previousBottom {
                body += Self.arrow(x1: leftX + leftWidth / 2, y1: previousBottom, x2: leftX + leftWidth / 2, y2: y)
            }
            if let right {
                let rightHeight = height(right)
                body += Self.rect(x: rightX, y: y, width: rightWidth, height: rightHeight, lines: right, lineHeight: lineHeight, padding: padding)
                let middle = y + min(leftHeight, rightHeight) / 2
                body += Self.arrow(x1: leftX + leftWidth, y1: middle, x2: rightX, y2: middle)
            }
            previousBottom = y + leftHeight
            rowTops.append(y)
            rowBottoms.append(y + rowHeight)
            y += rowHeight + gap
        }
        let totalHeight = y - gap + 20
        let phases: [(String, Int, Int)] = [("Identification", 0, 0), ("Screening", 1, 3), ("Included", 4, 4)]
        var bars = ""
        for (name, from, to) in phases {
            let top = rowTops[from], bottom = rowBottoms[to]
            bars += "  <rect x=\"\(phaseX)\" y=\"\(top)\" width=\"\(phaseWidth)\" height=\"\(bottom - top)\" rx=\"6\" fill=\"#a9c6e8\" stroke=\"#2f5d8a\"/>\n"
            let centreX = phaseX + phaseWidth / 2 + 5, centreY = (top + bottom) / 2
            bars += "  <text x=\"\(centreX)\" y=\"\(centreY)\" transform=\"rotate(-90 \(centreX) \(centreY))\" text-anchor=\"middle\" font-weight=\"bold\">\(name)</text>\n"
        }
        let title = "  <text x=\"\(width / 2)\" y=\"34\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">Identification of studies via databases and registers</text>\n"
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(totalHeight)" viewBox="0 0 \(width) \(totalHeight)" font-family="Helvetica, Arial, sans-serif" font-size="12">
              <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
                  <path d="M 0 0 L 10 5 L 0 10 z" fill="#333333"/>
                </marker>
              </defs>
              <rect x="0" y="0" width="\(width)" height="\(totalHeight)" fill="#ffffff"/>

            """ + title + bars + body + "</svg>\n"
    }

    private static func rect(x: Int, y: Int, width: Int, height: Int, lines: [String], lineHeight: Int, padding: Int) -> String {
        var text = "  <rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\" stroke=\"#333333\"/>\n"
        for (index, line) in lines.enumerated() {
            let indent = line.prefix(while: { $0 == " " }).count
            let baseline = y + padding + 8 + index * lineHeight
            text += "  <text x=\"\(x + padding + indent * 6)\" y=\"\(baseline)\">\(escape(line.trimmingCharacters(in: .whitespaces)))</text>\n"
        }
        return text
    }

    private static func arrow(x1: Int, y1: Int, x2: Int, y2: Int) -> String {
        "  <line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"#333333\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n"
    }

    /// XML text escaping.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Greedy word wrap at `limit` characters; continuation lines keep the first line's indent
    /// plus two spaces. A word longer than the limit stays whole.
    static func wrap(_ line: String, limit: Int) -> [String] {
        let indent = String(line.prefix(while: { $0 == " " }))
        var lines: [String] = []
        var current = indent
        for word in line.split(separator: " ") {
            let candidate = current.trimmingCharacters(in: .whitespaces).isEmpty ? current + word : current + " " + word
            if candidate.count > limit && !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current)
                current = indent + "  " + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines
    }
}
