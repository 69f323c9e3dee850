import Core
import Foundation

/// The numbers of a PRISMA 2020 flow diagram: databases and registers in the first column,
/// other methods (citation searching, websites, organisations) in the second.
///
/// Every arrow of the diagram reconciles, and `reconciliation()` says where one does not:
/// records identified − removed before screening = screened; screened − excluded − awaiting =
/// reports sought; sought − not retrieved − awaiting = assessed; assessed − excluded with reasons
/// = included. "Records identified" is what was imported from each database, the number a
/// reader can check against the exports; the search log's reported hit count stands beside it.
public struct PRISMACounts: Sendable, Equatable {
    /// Records identified in one database (or by one other method).
    public struct Source: Sendable, Equatable {
        public var database: String
        /// Records imported from it.
        public var count: Int
        /// The hits its searches reported, when the search log has them.
        public var reported: Int?

        public init(database: String, count: Int, reported: Int? = nil) {
            self.database = database
            self.count = count
            self.reported = reported
        }
    }

    /// Reports excluded at full text for one criterion.
    public struct Exclusion: Sendable, Equatable {
        public var criterion: String
        public var text: String
        public var count: Int
    }

    /// The second column: studies identified via other methods, which go straight to retrieval.
    public struct OtherMethods: Sendable, Equatable {
        public var identified: [Source]
        public var reportsSought: Int
        public var notRetrieved: Int
        public var assessed: Int
        public var excludedWithReasons: [Exclusion]
        public var awaitingAssessment: Int
        public var included: Int

        public var identifiedTotal: Int { identified.reduce(0) { $0 + $1.count } }
        public var excludedAtFullText: Int { excludedWithReasons.reduce(0) { $0 + $1.count } }
    }

    public var identified: [Source]
    public var duplicatesRemoved: Int
    /// Records removed before screening by automation tools (PRISMA 2020's own line).
    public var removedByAutomation: Int = 0
    /// Records removed before screening for other reasons.
    public var removedOtherReasons: Int = 0
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
    /// The second column, when any record came from other methods.
    public var otherMethods: OtherMethods? = nil
    /// Where the diagram's sources disagree, e.g. a search log's hit count that differs from
    /// the records imported from that database.
    public var warnings: [String] = []

    public var identifiedTotal: Int { identified.reduce(0) { $0 + $1.count } }
    public var excludedAtFullText: Int { excludedWithReasons.reduce(0) { $0 + $1.count } }
    /// Studies included from both columns.
    public var includedTotal: Int { included + (otherMethods?.included ?? 0) }

    /// Each arrow of the diagram whose numbers do not add up, as `left = right` with both sides;
    /// empty when the diagram reconciles.
    public func reconciliation() -> [String] {
        var broken: [String] = []
        func check(_ name: String, _ left: Int, _ right: Int) {
            if left != right { broken.append("\(name): \(left) ≠ \(right)") }
        }
        check("identified − duplicates − removed by automation − removed for other reasons = screened",
              identifiedTotal - duplicatesRemoved - removedByAutomation - removedOtherReasons, screened)
        check("screened − excluded − awaiting screening = reports sought", screened - excludedAtScreening - awaitingScreening, reportsSought)
        check("reports sought − not retrieved − awaiting assessment = assessed", reportsSought - notRetrieved - awaitingAssessment, assessed)
        check("assessed − excluded with reasons = included", assessed - excludedAtFullText, included)
        if let other = otherMethods {
            check("other methods: identified = reports sought", other.identifiedTotal, other.reportsSought)
            check("other methods: reports sought − not retrieved − awaiting assessment = assessed",
                  other.reportsSought - other.notRetrieved - other.awaitingAssessment, other.assessed)
            check("other methods: assessed − excluded with reasons = included", other.assessed - other.excludedAtFullText, other.included)
        }
        let negatives = [screened, excludedAtScreening, awaitingScreening, reportsSought, notRetrieved, assessed, awaitingAssessment, included]
        if negatives.contains(where: { $0 < 0 }) { broken.append("a count is negative") }
        return broken
    }

    /// Counts a review from its parts.
    ///
    /// - Parameters:
    ///   - identified: records per database, e.g. `SearchLog.identification(recordCounts:)`.
    ///   - records: the ids of all records read from the exports.
    ///   - dedupe: the deduplication result; its removed records are not screened.
    ///   - ledger: screening decisions and resolutions (see `compute(records:…)` for the stages).
    public static func compute(
        identified: [(database: String, count: Int)], records: [String], dedupe: DedupeResult, ledger: ScreeningLedger
    ) -> PRISMACounts {
        compute(
            sources: identified.map { Source(database: $0.database, count: $0.count) }, records: records, otherMethods: [:],
            dedupe: dedupe, ledger: ledger, removedByAutomation: [], removedOtherReasons: [])
    }

    /// Counts from the exports themselves: records identified per database are the records
    /// imported from its exports (named by `searchLog`, or the file name), the logged hit counts
    /// beside them; duplicates from `dedupe`; the rest from `ledger`.
    ///
    /// - Parameters:
    ///   - otherMethods: record id → the other method that found it (`Citation searching`,
    ///     `Websites`): such records form the second column and go straight to retrieval.
    ///   - databaseOfFile: a name for an export no search names (an import's database), by file.
    ///   - removedByAutomation, removedOtherReasons: records taken out before screening.
    public static func compute(
        records: [BibliographicRecord], searchLog: SearchLog, dedupe: DedupeResult, ledger: ScreeningLedger,
        otherMethods: [String: String] = [:], databaseOfFile: [String: String] = [:],
        removedByAutomation: Set<String> = [], removedOtherReasons: Set<String> = []
    ) -> PRISMACounts {
        var perFile: [String: Int] = [:]
        for record in records where otherMethods[record.recordID] == nil { perFile[record.location.file, default: 0] += 1 }
        let identification = searchLog.identification(recordCounts: perFile, databaseOfFile: databaseOfFile)
        var counts = compute(
            sources: identification.sources, records: records.map(\.recordID), otherMethods: otherMethods, dedupe: dedupe,
            ledger: ledger, removedByAutomation: removedByAutomation, removedOtherReasons: removedOtherReasons)
        counts.warnings = identification.warnings
        return counts
    }

    /// Where a record ends up after every stage; see `compute(records:…)`.
    private enum Path {
        case excludedAtScreening, awaitingScreening
        case notRetrieved, excluded(String), included, awaitingAssessment
    }

    /// The stages before the last are screening, the last is full-text assessment: a record is
    /// excluded at screening when a screening stage excludes it, awaits screening while one is
    /// open, and is sought once all of them include it. A review of one stage has no full text:
    /// what that stage includes is sought, assessed and included alike.
    private static func path(of record: String, ledger: ScreeningLedger, screeningStages: ArraySlice<String>) -> Path {
        for stage in screeningStages {
            switch ledger.outcome(of: record, at: stage) {
            case .excluded: return .excludedAtScreening
            case .undecided, .maybe, .conflict: return .awaitingScreening
            case .included: continue
            }
        }
        let last = ledger.criteria.stages[ledger.criteria.stages.count - 1]
        if screeningStages.isEmpty {
            if case .included = ledger.outcome(of: record, at: last) { return .included }
        }
        switch ledger.outcome(of: record, at: last) {
        case .excluded(let criterion) where criterion == ScreeningCriteria.notRetrieved: return .notRetrieved
        case .excluded(let criterion): return screeningStages.isEmpty ? .excludedAtScreening : .excluded(criterion)
        case .included: return .included
        case .undecided, .maybe, .conflict: return screeningStages.isEmpty ? .awaitingScreening : .awaitingAssessment
        }
    }

    private static func compute(
        sources: [Source], records: [String], otherMethods: [String: String], dedupe: DedupeResult, ledger: ScreeningLedger,
        removedByAutomation: Set<String>, removedOtherReasons: Set<String>
    ) -> PRISMACounts {
        let removed = dedupe.removedRecordIDs
        let stages = ledger.criteria.stages
        let screeningStages = stages.dropLast()
        let database = records.filter { otherMethods[$0] == nil }
        let automation = Set(database).intersection(removedByAutomation).subtracting(removed)
        let other = Set(database).intersection(removedOtherReasons).subtracting(removed).subtracting(automation)
        let screenedIDs = Set(database).subtracting(removed).subtracting(automation).subtracting(other).sorted()
        var counts = PRISMACounts(
            identified: sources, duplicatesRemoved: Set(database).intersection(removed).count, screened: screenedIDs.count,
            excludedAtScreening: 0, awaitingScreening: 0, reportsSought: 0, notRetrieved: 0, assessed: 0, excludedWithReasons: [],
            awaitingAssessment: 0, included: 0)
        counts.removedByAutomation = automation.count
        counts.removedOtherReasons = other.count
        var reasons: [String: Int] = [:]
        for record in screenedIDs {
            switch path(of: record, ledger: ledger, screeningStages: screeningStages) {
            case .excludedAtScreening: counts.excludedAtScreening += 1
            case .awaitingScreening: counts.awaitingScreening += 1
            case .notRetrieved: counts.reportsSought += 1; counts.notRetrieved += 1
            case .excluded(let criterion): counts.reportsSought += 1; counts.assessed += 1; reasons[criterion, default: 0] += 1
            case .included: counts.reportsSought += 1; counts.assessed += 1; counts.included += 1
            case .awaitingAssessment: counts.reportsSought += 1; counts.awaitingAssessment += 1
            }
        }
        counts.excludedWithReasons = exclusions(reasons, ledger.criteria)

        let otherIDs = records.filter { otherMethods[$0] != nil && !removed.contains($0) }.sorted()
        if !otherIDs.isEmpty {
            var perMethod: [String: Int] = [:]
            for id in otherIDs { perMethod[otherMethods[id]!, default: 0] += 1 }
            var column = OtherMethods(
                identified: perMethod.keys.sorted().map { Source(database: $0, count: perMethod[$0]!) }, reportsSought: otherIDs.count,
                notRetrieved: 0, assessed: 0, excludedWithReasons: [], awaitingAssessment: 0, included: 0)
            var otherReasons: [String: Int] = [:]
            let last = stages[stages.count - 1]
            for record in otherIDs {
                switch ledger.outcome(of: record, at: last) {
                case .excluded(let criterion) where criterion == ScreeningCriteria.notRetrieved: column.notRetrieved += 1
                case .excluded(let criterion): column.assessed += 1; otherReasons[criterion, default: 0] += 1
                case .included: column.assessed += 1; column.included += 1
                case .undecided, .maybe, .conflict: column.awaitingAssessment += 1
                }
            }
            column.excludedWithReasons = exclusions(otherReasons, ledger.criteria)
            counts.otherMethods = column
        }
        return counts
    }

    private static func exclusions(_ reasons: [String: Int], _ criteria: ScreeningCriteria) -> [Exclusion] {
        var list = criteria.allExclusions.compactMap { criterion in
            reasons[criterion.id].map { Exclusion(criterion: criterion.id, text: criterion.text, count: $0) }
        }
        // A reason no longer among the criteria (renamed since) is still counted, under its id.
        for id in reasons.keys.sorted() where criteria.exclusion(id) == nil {
            list.append(Exclusion(criterion: id, text: id, count: reasons[id]!))
        }
        return list
    }

    // MARK: Renderings

    /// A Markdown table of the flow, one row per box.
    public func markdown() -> String {
        var text = "# PRISMA 2020 flow\n\n| Stage | n |\n| --- | ---: |\n"
        text += "| Records identified from databases | \(identifiedTotal) |\n"
        for source in identified {
            let hits = source.reported.map { " (search reported \($0))" } ?? ""
            text += "| &nbsp;&nbsp;\(Self.cell(source.database))\(hits) | \(source.count) |\n"
        }
        text += "| Duplicate records removed before screening | \(duplicatesRemoved) |\n"
        if removedByAutomation > 0 { text += "| Records marked as ineligible by automation tools | \(removedByAutomation) |\n" }
        if removedOtherReasons > 0 { text += "| Records removed for other reasons | \(removedOtherReasons) |\n" }
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
        if let other = otherMethods {
            text += "| Records identified via other methods | \(other.identifiedTotal) |\n"
            for source in other.identified { text += "| &nbsp;&nbsp;\(Self.cell(source.database)) | \(source.count) |\n" }
            text += "| Reports sought for retrieval (other methods) | \(other.reportsSought) |\n"
            text += "| Reports not retrieved (other methods) | \(other.notRetrieved) |\n"
            text += "| Reports assessed for eligibility (other methods) | \(other.assessed) |\n"
            text += "| Reports excluded (other methods) | \(other.excludedAtFullText) |\n"
            for exclusion in other.excludedWithReasons {
                text += "| &nbsp;&nbsp;\(Self.cell(exclusion.criterion)): \(Self.cell(exclusion.text)) | \(exclusion.count) |\n"
            }
            if other.awaitingAssessment > 0 { text += "| Reports awaiting assessment (other methods) | \(other.awaitingAssessment) |\n" }
        }
        text += "| Studies included in review | \(includedTotal) |\n"
        for warning in warnings { text += "\n> \(Self.cell(warning))\n" }
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
        func list<T>(_ items: [T], indent: String = "    ", _ render: (T) -> String) -> String {
            items.isEmpty ? "[]" : "[\n" + items.map { indent + render($0) }.joined(separator: ",\n") + "\n" + indent.dropLast(2) + "]"
        }
        func source(_ item: Source) -> String {
            "{\"database\": \(JSONText.string(item.database)), \"count\": \(item.count)"
                + (item.reported.map { ", \"reported\": \($0)" } ?? "") + "}"
        }
        func exclusion(_ item: Exclusion) -> String {
            "{\"criterion\": \(JSONText.string(item.criterion)), \"text\": \(JSONText.string(item.text)), \"count\": \(item.count)}"
        }
        var pairs: [(String, String)] = [
            ("identified", list(identified, source)),
            ("identifiedTotal", "\(identifiedTotal)"),
            ("duplicatesRemoved", "\(duplicatesRemoved)"),
            ("removedByAutomation", "\(removedByAutomation)"),
            ("removedOtherReasons", "\(removedOtherReasons)"),
            ("screened", "\(screened)"),
            ("excludedAtScreening", "\(excludedAtScreening)"),
            ("awaitingScreening", "\(awaitingScreening)"),
            ("reportsSought", "\(reportsSought)"),
            ("notRetrieved", "\(notRetrieved)"),
            ("assessed", "\(assessed)"),
            ("excludedWithReasons", list(excludedWithReasons, exclusion)),
            ("awaitingAssessment", "\(awaitingAssessment)"),
            ("included", "\(included)"),
        ]
        if let other = otherMethods {
            let inner: [(String, String)] = [
                ("identified", list(other.identified, indent: "      ", source)),
                ("identifiedTotal", "\(other.identifiedTotal)"),
                ("reportsSought", "\(other.reportsSought)"),
                ("notRetrieved", "\(other.notRetrieved)"),
                ("assessed", "\(other.assessed)"),
                ("excludedWithReasons", list(other.excludedWithReasons, indent: "      ", exclusion)),
                ("awaitingAssessment", "\(other.awaitingAssessment)"),
                ("included", "\(other.included)"),
            ]
            pairs.append(("otherMethods", "{\n" + inner.map { "    \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n  }"))
        }
        pairs.append(("includedTotal", "\(includedTotal)"))
        pairs.append(("warnings", list(warnings) { JSONText.string($0) }))
        return "{\n" + pairs.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    /// One box of the diagram: its lines (already wrapped) and place, in SVG pixels.
    struct Box: Equatable {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var lines: [String]
    }

    /// The laid-out diagram that the SVG and TikZ renderers both draw.
    struct Layout {
        var width: Int
        var height: Int
        var boxes: [Box]
        /// Arrows from point to point.
        var arrows: [(x1: Int, y1: Int, x2: Int, y2: Int)]
        /// Phase bars on the left: name, top, bottom.
        var phases: [(name: String, top: Int, bottom: Int)]
        var titles: [(text: String, x: Int, width: Int)]
    }

    static let fontSize = 12.0
    static let lineHeight = 16
    static let padding = 12

    /// A conservative width of `text` at `fontSize` in Helvetica or Arial, from per-character
    /// bounds (Helvetica's widest glyphs: W 0.944 em, M and m 0.833 em, other capitals at most
    /// 0.778 em, lower case and digits at most 0.556 em), so text measured to fit always fits.
    static func textWidth(_ text: String, fontSize: Double = fontSize) -> Double {
        var ems = 0.0
        for character in text {
            switch character {
            case "W", "M", "m", "@", "%": ems += 0.95
            case "A"..."Z", "w", "&", "—", "–": ems += 0.8
            case "i", "j", "l", "t", "f", "r", " ", ".", ",", ":", ";", "'", "!", "|", "(", ")", "[", "]", "-", "/": ems += 0.4
            default: ems += character.isASCII ? 0.6 : 1.0
            }
        }
        return ems * fontSize
    }

    /// Greedy word wrap to `width` pixels as measured by `textWidth`; continuation lines keep the
    /// first line's indent plus two spaces. A word wider than the box is broken between characters.
    static func wrap(_ line: String, width: Double) -> [String] {
        let indent = String(line.prefix(while: { $0 == " " }))
        var lines: [String] = []
        var current = indent
        func fits(_ text: String) -> Bool { textWidth(text) <= width }
        // `(n = 12)` stays on one line.
        var words: [String] = []
        for word in line.split(separator: " ").map(String.init) {
            if let last = words.last, last.hasPrefix("(n"), !last.hasSuffix(")") { words[words.count - 1] += " " + word } else { words.append(word) }
        }
        for word in words {
            let blank = current.trimmingCharacters(in: .whitespaces).isEmpty
            let candidate = blank ? current + word : current + " " + word
            if fits(candidate) {
                current = candidate
                continue
            }
            if !blank { lines.append(current) }
            current = (lines.isEmpty && blank ? indent : indent + "  ")
            for character in word {
                if !fits(current + String(character)) && !current.trimmingCharacters(in: .whitespaces).isEmpty {
                    lines.append(current)
                    current = indent + "  "
                }
                current.append(character)
            }
        }
        lines.append(current)
        return lines
    }

    func layout() -> Layout {
        let gap = 36
        let hasOther = otherMethods != nil
        let leftX = 70, leftWidth = 300, rightX = 410, rightWidth = 290
        let otherX = 740, otherWidth = 260, otherRightX = 1040, otherRightWidth = 250
        let width = hasOther ? 1310 : 720
        func box(_ lines: [String], width: Int) -> [String] {
            lines.flatMap { Self.wrap($0, width: Double(width - 2 * Self.padding)) }
        }
        func height(_ lines: [String]) -> Int { lines.count * Self.lineHeight + 2 * Self.padding - 4 }

        var sources = ["Records identified from databases (n = \(identifiedTotal)):"]
        sources += identified.map { "  \($0.database) (n = \($0.count)" + ($0.reported.map { "; search reported \($0)" } ?? "") + ")" }
        var removedLines = ["Records removed before screening:", "  Duplicate records removed (n = \(duplicatesRemoved))"]
        removedLines.append("  Records marked as ineligible by automation tools (n = \(removedByAutomation))")
        removedLines.append("  Records removed for other reasons (n = \(removedOtherReasons))")
        var screenedLines = ["Records screened (n = \(screened))"]
        if awaitingScreening > 0 { screenedLines.append("Awaiting a decision (n = \(awaitingScreening))") }
        var soughtLines = ["Reports sought for retrieval (n = \(reportsSought))"]
        if awaitingAssessment > 0 { soughtLines.append("Awaiting assessment (n = \(awaitingAssessment))") }
        func reasons(_ total: Int, _ list: [Exclusion]) -> [String] {
            ["Reports excluded (n = \(total)):"] + list.map { "  \($0.criterion): \($0.text) (n = \($0.count))" }
        }
        let rows: [(left: [String], right: [String]?)] = [
            (sources, removedLines),
            (screenedLines, ["Records excluded (n = \(excludedAtScreening))"]),
            (soughtLines, ["Reports not retrieved (n = \(notRetrieved))"]),
            (["Reports assessed for eligibility (n = \(assessed))"], reasons(excludedAtFullText, excludedWithReasons)),
            (["Studies included in review (n = \(includedTotal))"], nil),
        ]
        var otherRows: [(left: [String], right: [String])?] = [nil, nil, nil, nil]
        if let other = otherMethods {
            var identifiedLines = ["Records identified from other methods (n = \(other.identifiedTotal)):"]
            identifiedLines += other.identified.map { "  \($0.database) (n = \($0.count))" }
            var sought = ["Reports sought for retrieval (n = \(other.reportsSought))"]
            if other.awaitingAssessment > 0 { sought.append("Awaiting assessment (n = \(other.awaitingAssessment))") }
            otherRows = [
                (identifiedLines, []),
                nil,
                (sought, ["Reports not retrieved (n = \(other.notRetrieved))"]),
                (["Reports assessed for eligibility (n = \(other.assessed))"], reasons(other.excludedAtFullText, other.excludedWithReasons)),
            ]
        }

        var layout = Layout(width: width, height: 0, boxes: [], arrows: [], phases: [], titles: [])
        layout.titles.append(("Identification of studies via databases and registers", leftX, rightX + rightWidth - leftX))
        if hasOther { layout.titles.append(("Identification of studies via other methods", otherX, otherRightX + otherRightWidth - otherX)) }
        var y = 60 + (hasOther ? 16 : 0)
        var rowTops: [Int] = [], rowBottoms: [Int] = []
        var previousBottom: Int?
        var otherPreviousBottom: Int?
        var includedBox: Box?
        for (index, row) in rows.enumerated() {
            let left = box(row.left, width: leftWidth)
            let right = row.right.map { box($0, width: rightWidth) }
            let other = index < otherRows.count ? otherRows[index] : nil
            let otherLeft = other.map { box($0.left, width: otherWidth) }
            let otherRight = other.flatMap { $0.right.isEmpty ? nil : box($0.right, width: otherRightWidth) }
            // The first and last boxes are at least as tall as their rotated phase labels
            // ("Identification", "Included"), which stand beside them alone.
            let minimum = index == 0 ? 112 : (row.right == nil ? 72 : 0)
            let leftHeight = max(height(left), minimum)
            let rowHeight = [leftHeight, right.map(height) ?? 0, otherLeft.map(height) ?? 0, otherRight.map(height) ?? 0].max()!
            let main = Box(x: leftX, y: y, width: leftWidth, height: leftHeight, lines: left)
            layout.boxes.append(main)
            if row.right == nil { includedBox = main }
            if let previousBottom {
                layout.arrows.append((leftX + leftWidth / 2, previousBottom, leftX + leftWidth / 2, y))
            }
            if let right {
                let rightHeight = height(right)
                layout.boxes.append(Box(x: rightX, y: y, width: rightWidth, height: rightHeight, lines: right))
                let middle = y + min(leftHeight, rightHeight) / 2
                layout.arrows.append((leftX + leftWidth, middle, rightX, middle))
            }
            if let otherLeft {
                let otherHeight = height(otherLeft)
                layout.boxes.append(Box(x: otherX, y: y, width: otherWidth, height: otherHeight, lines: otherLeft))
                if let otherPreviousBottom {
                    layout.arrows.append((otherX + otherWidth / 2, otherPreviousBottom, otherX + otherWidth / 2, y))
                }
                otherPreviousBottom = y + otherHeight
                if let otherRight {
                    let rightHeight = height(otherRight)
                    layout.boxes.append(Box(x: otherRightX, y: y, width: otherRightWidth, height: rightHeight, lines: otherRight))
                    let middle = y + min(otherHeight, rightHeight) / 2
                    layout.arrows.append((otherX + otherWidth, middle, otherRightX, middle))
                }
            }
            previousBottom = y + leftHeight
            rowTops.append(y)
            rowBottoms.append(y + rowHeight)
            y += rowHeight + gap
        }
        if let otherPreviousBottom, let includedBox {
            // Studies from other methods join the included box from the right.
            let joinY = includedBox.y + includedBox.height / 2
            layout.arrows.append((otherX + otherWidth / 2, otherPreviousBottom, otherX + otherWidth / 2, joinY))
            layout.arrows.append((otherX + otherWidth / 2, joinY, leftX + leftWidth, joinY))
        }
        layout.height = y - gap + 20
        for (name, from, to) in [("Identification", 0, 0), ("Screening", 1, 3), ("Included", 4, 4)] {
            layout.phases.append((name, rowTops[from], rowBottoms[to]))
        }
        return layout
    }

    /// The PRISMA 2020 flow diagram for new systematic reviews as a self-contained SVG: phase
    /// bars on the left, the main boxes in a column joined by downward arrows, the exclusion
    /// boxes to their right, and the column of other methods when there is one. Every line of
    /// text is wrapped to fit its box by `textWidth`'s conservative measure.
    public func svg() -> String {
        let layout = layout()
        var body = ""
        for bar in layout.phases {
            body += "  <rect x=\"20\" y=\"\(bar.top)\" width=\"30\" height=\"\(bar.bottom - bar.top)\" rx=\"6\" fill=\"#a9c6e8\" stroke=\"#2f5d8a\"/>\n"
            let centreX = 40, centreY = (bar.top + bar.bottom) / 2
            body += "  <text x=\"\(centreX)\" y=\"\(centreY)\" transform=\"rotate(-90 \(centreX) \(centreY))\" text-anchor=\"middle\" font-weight=\"bold\">\(bar.name)</text>\n"
        }
        for title in layout.titles {
            // Titles are 15 px bold: measured at 12 px, so the width shrinks by 12/15, and by a
            // further tenth for the bold face.
            let lines = Self.wrap(title.text, width: Double(title.width) * 12 / 15 / 1.1)
            for (index, line) in lines.enumerated() {
                body += "  <text x=\"\(title.x + title.width / 2)\" y=\"\(34 + index * 18)\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(Self.escape(line))</text>\n"
            }
        }
        for box in layout.boxes {
            body += "  <rect x=\"\(box.x)\" y=\"\(box.y)\" width=\"\(box.width)\" height=\"\(box.height)\" fill=\"#ffffff\" stroke=\"#333333\"/>\n"
            for (index, line) in box.lines.enumerated() {
                let indent = line.prefix(while: { $0 == " " })
                let baseline = box.y + Self.padding + 8 + index * Self.lineHeight
                let x = Double(box.x + Self.padding) + Self.textWidth(String(indent))
                body += "  <text x=\"\(Int(x))\" y=\"\(baseline)\">\(Self.escape(line.trimmingCharacters(in: .whitespaces)))</text>\n"
            }
        }
        for arrow in layout.arrows {
            body += "  <line x1=\"\(arrow.x1)\" y1=\"\(arrow.y1)\" x2=\"\(arrow.x2)\" y2=\"\(arrow.y2)\" stroke=\"#333333\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(layout.width)" height="\(layout.height)" viewBox="0 0 \(layout.width) \(layout.height)" font-family="Helvetica, Arial, sans-serif" font-size="12">
              <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
                  <path d="M 0 0 L 10 5 L 0 10 z" fill="#333333"/>
                </marker>
              </defs>
              <rect x="0" y="0" width="\(layout.width)" height="\(layout.height)" fill="#ffffff"/>

            """ + body + "</svg>\n"
    }

    /// The same diagram as a standalone LaTeX document drawn with TikZ (`pdflatex` makes the
    /// PDF): one node per box at the SVG's coordinates (1 px = 0.75 pt), text wrapped alike.
    public func latex() -> String {
        let layout = layout()
        func point(_ value: Int) -> String { String(format: "%.2fpt", Double(value) * 0.75) }
        func y(_ value: Int) -> String { String(format: "%.2fpt", -Double(value) * 0.75) }
        var body = ""
        for bar in layout.phases {
            body += "  \\draw[rounded corners=4pt, fill=phase, draw=phaseline] (\(point(20)), \(y(bar.top))) rectangle (\(point(50)), \(y(bar.bottom)));\n"
            body += "  \\node[rotate=90, font=\\bfseries] at (\(point(35)), \(y((bar.top + bar.bottom) / 2))) {\(Self.latexEscape(bar.name))};\n"
        }
        for title in layout.titles {
            body += "  \\node[font=\\bfseries, text width=\(point(title.width)), align=center, anchor=north] at (\(point(title.x + title.width / 2)), \(y(20))) {\(Self.latexEscape(title.text))};\n"
        }
        for box in layout.boxes {
            body += "  \\draw (\(point(box.x)), \(y(box.y))) rectangle (\(point(box.x + box.width)), \(y(box.y + box.height)));\n"
            for (index, line) in box.lines.enumerated() {
                let indent = Self.textWidth(String(line.prefix(while: { $0 == " " })))
                let x = Double(box.x + Self.padding) + indent
                let baseline = box.y + Self.padding + 8 + index * Self.lineHeight
                body += "  \\node[anchor=base west, inner sep=0pt] at (\(String(format: "%.2fpt", x * 0.75)), \(y(baseline))) {\(Self.latexEscape(line.trimmingCharacters(in: .whitespaces)))};\n"
            }
        }
        for arrow in layout.arrows {
            body += "  \\draw[-{Stealth[length=6pt]}, line width=1.1pt] (\(point(arrow.x1)), \(y(arrow.y1))) -- (\(point(arrow.x2)), \(y(arrow.y2)));\n"
        }
        return """
            \\documentclass[tikz, border=10pt]{standalone}
            \\usepackage[T1]{fontenc}
            \\usepackage[utf8]{inputenc}
            \\usepackage{helvet}
            \\renewcommand{\\familydefault}{\\sfdefault}
            \\usetikzlibrary{arrows.meta}
            \\definecolor{phase}{HTML}{A9C6E8}
            \\definecolor{phaseline}{HTML}{2F5D8A}
            \\begin{document}
            \\begin{tikzpicture}[font=\\fontsize{9}{11}\\selectfont]

            """ + body + "\\end{tikzpicture}\n\\end{document}\n"
    }

    /// Escapes LaTeX's special characters in box text.
    static func latexEscape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\textbackslash{}"
            case "{", "}", "&", "%", "$", "#", "_": result += "\\" + String(character)
            case "~": result += "\\textasciitilde{}"
            case "^": result += "\\textasciicircum{}"
            case "<": result += "\\textless{}"
            case ">": result += "\\textgreater{}"
            default: result.append(character)
            }
        }
        return result
    }

    /// XML text escaping.
    static func escape(_ text: String) -> String {
        XMLText.escape(text)
    }
}
