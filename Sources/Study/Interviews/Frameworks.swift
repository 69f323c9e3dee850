import Core
import Foundation
import Index
import Project
import Qualitative
import Reports
import Transcripts

/// The study's framework matrices (`framework import|show|edit`): one YAML file per framework in
/// `corpus/frameworks/<id>.yaml` (see `FrameworkMatrix` for the layout), written atomically under
/// the study's lock.
public struct Frameworks {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    public var folder: URL { study.layout.corpus.appendingPathComponent("frameworks") }

    public func url(of id: String) -> URL { folder.appendingPathComponent("\(id).yaml") }

    /// The ids of the study's frameworks (their file names without `.yaml`), sorted.
    public func ids() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The id a framework is stored under, from its name: `ICSE 2023 framework` → `icse-2023-framework`.
    public static func id(forName name: String) -> String {
        FrameworkFile.slug(name)
    }

    /// The framework `name` names (its id or its name), or the only one when `name` is nil.
    public func resolve(_ name: String?) throws -> String {
        let ids = ids()
        guard let name else {
            if ids.count == 1 { return ids[0] }
            if ids.isEmpty {
                throw StudyError.invalid("the study has no framework yet (corpus/frameworks/ is empty); import one with 'triangulate framework import FILE.xlsx'", at: nil)
            }
            throw StudyError.invalid("the study has \(ids.count) frameworks (\(ids.joined(separator: ", "))); name one", at: nil)
        }
        if ids.contains(name) { return name }
        let byName = Self.id(forName: name)
        if ids.contains(byName) { return byName }
        throw StudyError.unknown(kind: "framework", name: name, known: ids)
    }

    public func read(_ id: String) throws -> (matrix: FrameworkMatrix, locations: FrameworkLocations) {
        try FrameworkFile.read(url(of: id), displayPath: study.relativePath(url(of: id)))
    }

    /// The study's participant ids: the rows of participants.csv, or the transcripts when it lists none.
    public func participantIDs() throws -> [String] {
        let listed = FileManager.default.fileExists(atPath: study.layout.participants.path)
            ? try ParticipantsFile.read(study.layout.participants, displayPath: "corpus/participants.csv").map(\.id) : []
        if !listed.isEmpty { return listed }
        let (index, _) = try StudyIndex.open(study)
        return try index.transcriptIDs()
    }

    /// What an import wrote.
    public struct ImportOutcome: Sendable {
        public var id: String
        public var path: String
        public var matrix: FrameworkMatrix
    }

    /// Imports a sheet (.xlsx or .csv) whose first column holds the participants and whose first
    /// row holds the themes. Every cell that does not fit the study is reported, each with its
    /// place (`Memos.xlsx!A5`); then nothing is written. An existing framework of the same id is
    /// replaced only with `replacing`.
    public func importSheet(_ source: URL, displayPath: String, name: String?, sheet: String? = nil, replacing: Bool = false) throws -> ImportOutcome {
        let table = try SpreadsheetReader.read(source, displayPath: displayPath, sheet: sheet)
        let title = name ?? source.deletingPathExtension().lastPathComponent
        let id = Self.id(forName: title)
        guard !id.isEmpty else {
            throw StudyError.invalid("expected a framework name with letters or digits, found '\(title)'", at: nil)
        }
        return try study.withLock {
            let known = try participantIDs()
            let (matrix, problems) = FrameworkFile.importSheet(table, name: title, participants: known, file: displayPath)
            if !problems.isEmpty {
                throw FrameworkImportError(file: displayPath, problems: problems)
            }
            if matrix.participants.isEmpty {
                throw StudyError.invalid("expected at least one participant row under the header, found none; nothing was written", at: SourceLocation(file: displayPath))
            }
            let target = url(of: id)
            if FileManager.default.fileExists(atPath: target.path), !replacing {
                throw StudyError.invalid("the study already has a framework '\(id)' (\(study.relativePath(target))); pass --replace to import it again, or --name to keep both", at: nil)
            }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try AtomicFile.write(FrameworkFile.yaml(matrix), to: target)
            return ImportOutcome(id: id, path: study.relativePath(target), matrix: matrix)
        }
    }

    /// Sets one cell (an empty summary removes it) and writes the framework back atomically,
    /// under the study's lock; the cell's excerpts are kept.
    public func edit(_ id: String, participant: String, theme: String, summary: String) throws -> FrameworkMatrix {
        try study.withLock {
            let target = url(of: id)
            let current = try read(id).matrix
            let themeID = current.themes.first(where: { $0.id == theme })?.id ?? current.themes.first(where: { $0.name == theme })?.id ?? theme
            var cell = current.cell(participant: participant, theme: themeID) ?? FrameworkMatrix.Cell(summary: "")
            cell.summary = summary
            return try FrameworkFile.editCell(at: target, displayPath: study.relativePath(target), participant: participant, theme: themeID, cell)
        }
    }

    /// Where the framework does not fit the study: participants the study lacks, theme codes no
    /// codebook defines.
    public func problems(_ id: String) throws -> [FrameworkProblem] {
        let (matrix, locations) = try read(id)
        let (index, _) = try StudyIndex.open(study)
        return matrix.validate(participants: try participantIDs(), codes: try index.codeIDs(), locations: locations)
    }

    /// The matrix as a table: a row per participant, a column per theme (keys are theme ids in
    /// snake case, so JSON and CSV stay tidy).
    public static func table(_ matrix: FrameworkMatrix) -> ReportTable {
        var table = ReportTable(
            title: "Framework: \(matrix.name)",
            columns: [Column(key: "participant", header: "Participant")]
                + matrix.themes.map { Column(key: columnKey($0.id), header: $0.name, wraps: true) })
        for row in matrix.rows {
            table.rows.append(row.map { Cell($0) })
        }
        let filled = matrix.cells.values.reduce(0) { $0 + $1.count }
        table.notes = ["\(matrix.participants.count) participants × \(matrix.themes.count) themes; \(filled) cells filled."]
        return table
    }

    static func columnKey(_ id: String) -> String {
        let key = id.replacingOccurrences(of: "-", with: "_")
        return key.first.map { $0.isLetter } == true ? key : "theme_" + key
    }

    /// The matrix as plain text to read in a terminal: per participant, each filled theme and
    /// its summary, indented.
    public static func text(_ matrix: FrameworkMatrix) -> String {
        var lines = ["\(matrix.name): \(matrix.participants.count) participants × \(matrix.themes.count) themes"]
        for participant in matrix.participants {
            lines.append("")
            lines.append(participant)
            for theme in matrix.themes {
                guard let cell = matrix.cell(participant: participant, theme: theme.id) else { continue }
                let summary = cell.summary.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                lines.append("  \(theme.name):")
                for line in summary where !line.isEmpty { lines.append("    \(line)") }
                if !cell.excerpts.isEmpty {
                    lines.append("    (excerpts: " + cell.excerpts.map { "\($0.transcript)#\($0.turn)" }.joined(separator: ", ") + ")")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A sheet that does not fit the study: every cell that could not be brought in, in sheet order.
public struct FrameworkImportError: LocatedError {
    public var file: String
    public var problems: [FrameworkProblem]

    public var location: SourceLocation? { nil }

    public var message: String {
        let count = problems.count
        return "\(count) cell\(count == 1 ? "" : "s") of \(file) do\(count == 1 ? "es" : "") not fit the study; nothing was written:\n"
            + problems.map { "  \($0.description)" }.joined(separator: "\n")
    }
}
