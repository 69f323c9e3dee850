import Core
import Foundation
import Index
import Project
import Qualitative
import Transcripts

/// Merges a sheet of participant attributes (demographics such as the ICSE 2023 study's
/// `Demographic_Data.csv`, or a column of a framework sheet) into `corpus/participants.csv`
/// (`participant import`).
///
/// - A row names its participant in the `--id` column: the id itself, or a number equal to the
///   number in exactly one id of the study (`3` → `P03`); any other value is a new participant.
/// - Columns the file does not have yet are added at the end, in the sheet's order; a column
///   whose header is empty is left out, and refused if it holds values.
/// - An empty field is filled; a field that already holds another value is never changed
///   without `replacing`: such conflicts are all reported and nothing is written.
/// - Values are trimmed of surrounding white space; a line break inside a value is kept.
public struct ParticipantImport {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    /// What an import changed.
    public struct Outcome: Sendable, Equatable {
        public var added: [String] = []
        public var updated: [String] = []
        public var newColumns: [String] = []
        /// Fields that were empty and now hold a value.
        public var filled = 0
        /// Fields whose value was replaced (only with `--replace`).
        public var replaced = 0
        /// Fields whose value was already the same.
        public var unchanged = 0
        public var wrote: Bool { !added.isEmpty || filled > 0 || replaced > 0 || !newColumns.isEmpty }
    }

    public func run(_ source: URL, displayPath: String, idColumn: String, columns wanted: [String]? = nil, sheet: String? = nil,
                    replacing: Bool = false) throws -> Outcome {
        let table = try SpreadsheetReader.read(source, displayPath: displayPath, sheet: sheet)
        func at(_ row: Int, _ column: Int) -> String { Self.place(displayPath, table.name, row, column, csv: Self.isCSV(source)) }
        let header = (table.rows.first ?? []).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let idIndex = header.firstIndex(of: idColumn) else {
            let named = header.filter { !$0.isEmpty }
            throw StudyError.invalid("expected a column '\(idColumn)' in the header row, found \(named.map { "'\($0)'" }.joined(separator: ", "))\(FrameworkMatrix.suggestion(idColumn, in: named))",
                                     at: SourceLocation(file: at(0, 0)))
        }
        var problems: [String] = []
        var chosen: [Int] = []
        if let wanted {
            for name in wanted {
                if let index = header.firstIndex(of: name), index != idIndex { chosen.append(index) } else {
                    problems.append("\(at(0, 0)): expected a column '\(name)' (from --columns) in the header row, found none\(FrameworkMatrix.suggestion(name, in: header.filter { !$0.isEmpty }))")
                }
            }
        } else {
            chosen = header.indices.filter { $0 != idIndex && !header[$0].isEmpty }
        }
        var seenNames: [String: Int] = [:]
        for index in chosen {
            if let first = seenNames[header[index]] {
                problems.append("\(at(0, index)): column '\(header[index])' is also at \(Spreadsheet.columnName(first)); expected each column once")
            }
            seenNames[header[index]] = index
            if header[index] == "id" { problems.append("\(at(0, index)): a column named 'id' other than --id \(idColumn); expected the ids in one column") }
        }
        // A value under an empty header belongs to no attribute.
        if wanted == nil {
            for row in table.rows.indices.dropFirst() {
                for column in table.rows[row].indices where column >= header.count || header[column].isEmpty {
                    let text = table.rows[row][column].text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !text.isEmpty, column != idIndex {
                        problems.append("\(at(row, column)): expected a column name at the top of this column, found an empty header above '\(String(text.prefix(30)))'")
                    }
                }
            }
        }
        return try study.withLock {
            let file = study.layout.participants
            let existing = FileManager.default.fileExists(atPath: file.path)
                ? try ParticipantsFile.read(file, displayPath: "corpus/participants.csv") : []
            var columns: [String] = existing.isEmpty ? ["id"] : try Self.header(of: file)
            var rows: [[String: String]] = try Self.rows(of: file, columns: columns)
            var order = rows.map { $0["id"] ?? "" }
            let known = order
            var outcome = Outcome()
            for index in chosen where !columns.contains(header[index]) {
                columns.append(header[index])
                outcome.newColumns.append(header[index])
            }
            var seen: [String: Int] = [:]
            var conflicts: [String] = []
            for row in table.rows.indices.dropFirst() {
                let cells = table.rows[row]
                let raw = cells.indices.contains(idIndex) ? cells[idIndex].text.trimmingCharacters(in: .whitespacesAndNewlines) : ""
                let values = chosen.map { cells.indices.contains($0) ? cells[$0].text.trimmingCharacters(in: .whitespacesAndNewlines) : "" }
                if raw.isEmpty {
                    if values.contains(where: { !$0.isEmpty }) {
                        problems.append("\(at(row, idIndex)): expected a participant id in column '\(idColumn)' of a row with values, found nothing")
                    }
                    continue
                }
                let id = FrameworkFile.match(raw, in: known) ?? raw
                if id.contains(",") || id.contains("\n") || id.contains("/") {
                    problems.append("\(at(row, idIndex)): expected a participant id usable as a file name, found '\(raw)'")
                    continue
                }
                if let first = seen[id] {
                    problems.append("\(at(row, idIndex)): participant \(id) is also on row \(first + 1); expected each participant on one row")
                    continue
                }
                seen[id] = row
                var record: [String: String]
                if let position = order.firstIndex(of: id) {
                    record = rows[position]
                } else {
                    record = ["id": id]
                    outcome.added.append(id)
                }
                var changed = false
                for (index, value) in zip(chosen, values) where !value.isEmpty {
                    let name = header[index]
                    let old = record[name] ?? ""
                    if old == value { outcome.unchanged += 1; continue }
                    if old.isEmpty {
                        outcome.filled += 1
                    } else if replacing {
                        outcome.replaced += 1
                    } else {
                        conflicts.append("\(at(row, index)): participant \(id)'s \(name) is '\(Self.short(old))' in participants.csv, the file says '\(Self.short(value))'")
                        continue
                    }
                    record[name] = value
                    changed = true
                }
                if let position = order.firstIndex(of: id) {
                    rows[position] = record
                    if changed && !outcome.updated.contains(id) { outcome.updated.append(id) }
                } else {
                    rows.append(record)
                    order.append(id)
                }
            }
            if !problems.isEmpty {
                throw StudyError.invalid("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(displayPath); nothing was written:\n"
                                         + problems.map { "  \($0)" }.joined(separator: "\n"), at: nil)
            }
            if !conflicts.isEmpty {
                throw StudyError.invalid("\(conflicts.count) value\(conflicts.count == 1 ? "" : "s") would overwrite what participants.csv holds; nothing was written (pass --replace to overwrite them):\n"
                                         + conflicts.map { "  \($0)" }.joined(separator: "\n"), at: nil)
            }
            guard outcome.wrote else { return outcome }
            var text = CSVText.line(columns)
            for record in rows { text += CSVText.line(columns.map { record[$0] ?? "" }) }
            // Checked as the index will read it before it replaces the file.
            _ = try ParticipantsFile.parse(text, file: "corpus/participants.csv")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(text, to: file)
            return outcome
        }
    }

    static func isCSV(_ url: URL) -> Bool { ["csv", "txt"].contains(url.pathExtension.lowercased()) }

    /// `file.csv:3:2` for a CSV file (line and field as an editor shows them, assuming one line
    /// per record), `file.xlsx!B3` for a workbook.
    static func place(_ file: String, _ sheet: String, _ row: Int, _ column: Int, csv: Bool) -> String {
        csv ? "\(file):\(row + 1):\(column + 1)" : "\(file)!\(Spreadsheet.columnName(column))\(row + 1)"
    }

    static func short(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        return line.count > 40 || line != text ? String(line.prefix(40)) + "…" : line
    }

    /// The header of participants.csv as written.
    static func header(of file: URL) throws -> [String] {
        let records = try CSVText.parse(TextFile.read(file, displayPath: "corpus/participants.csv"), file: "corpus/participants.csv")
        return records.first?.fields.map { $0.trimmingCharacters(in: .whitespaces) } ?? ["id"]
    }

    /// The rows of participants.csv by column name, values as written.
    static func rows(of file: URL, columns: [String]) throws -> [[String: String]] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let records = try CSVText.parse(TextFile.read(file, displayPath: "corpus/participants.csv"), file: "corpus/participants.csv")
        return records.dropFirst().map { record in
            var row: [String: String] = [:]
            for (name, value) in zip(columns, record.fields) { row[name] = value }
            row["id"] = row["id"]?.trimmingCharacters(in: .whitespaces)
            return row
        }
    }
}
