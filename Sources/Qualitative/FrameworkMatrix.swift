import Core
import Foundation
import YAMLSupport

/// A framework-analysis matrix (Ritchie and Spencer's framework method, NVivo's framework
/// matrices, MAXQDA's summary grids): participants as rows, themes as columns, and in each cell
/// a summary of what the participant said on the theme, optionally with the excerpts it rests on.
///
/// Stored as one YAML file per framework (`corpus/frameworks/<id>.yaml`), themes and
/// participants in the order the researcher gave, cells grouped by participant then theme and
/// empty cells left out, so editing one cell changes only that cell's lines in a diff:
///
/// ```yaml
/// name: Pre-trained model reuse
/// themes:
///   - id: role
///     name: Role
///   - id: decision-making
///     name: Decision making process
///     codes: [selection]
/// participants: [P01, P02]
/// cells:
///   P01:
///     decision-making:
///       summary: Based on cost, latency, lack of licensing issues
///       excerpts:
///         - transcript: P01
///           turn: 12
///           quote: we look at downloads first
/// ```
public struct FrameworkMatrix: Sendable, Equatable {
    /// A column: a theme, which may gather codes of the codebook (a code counts its sub-codes).
    public struct Theme: Sendable, Equatable {
        public var id: String
        public var name: String
        public var codes: [String]

        public init(id: String, name: String, codes: [String] = []) {
            self.id = id
            self.name = name
            self.codes = codes
        }
    }

    /// What one participant said on one theme.
    public struct Cell: Sendable, Equatable {
        public var summary: String
        public var excerpts: [TextTarget]

        public init(summary: String, excerpts: [TextTarget] = []) {
            self.summary = summary
            self.excerpts = excerpts
        }

        public var isEmpty: Bool { summary.isEmpty && excerpts.isEmpty }
    }

    public var name: String
    public var themes: [Theme]
    public var participants: [String]
    /// Cells by participant, then theme id; absent means empty.
    public var cells: [String: [String: Cell]]

    public init(name: String, themes: [Theme], participants: [String], cells: [String: [String: Cell]] = [:]) {
        self.name = name
        self.themes = themes
        self.participants = participants
        self.cells = cells
    }

    public func cell(participant: String, theme: String) -> Cell? {
        cells[participant]?[theme]
    }

    /// Sets one cell (an empty one is removed). The participant and theme must be the matrix's own.
    public mutating func setCell(participant: String, theme: String, _ cell: Cell) throws {
        guard participants.contains(participant) else {
            throw CodingError("expected a participant of the framework (\(participants.joined(separator: ", "))), found '\(participant)'\(Self.suggestion(participant, in: participants))", at: nil)
        }
        guard themes.contains(where: { $0.id == theme }) else {
            let ids = themes.map(\.id)
            throw CodingError("expected a theme id of the framework (\(ids.joined(separator: ", "))), found '\(theme)'\(Self.suggestion(theme, in: ids))", at: nil)
        }
        if cell.isEmpty {
            cells[participant]?[theme] = nil
            if cells[participant]?.isEmpty == true { cells[participant] = nil }
        } else {
            cells[participant, default: [:]][theme] = cell
        }
    }

    // MARK: A neutral table

    /// The column headers of the matrix as a table: "Participant", then the theme names.
    public var headers: [String] { ["Participant"] + themes.map(\.name) }

    /// One row per participant: its id, then each theme's summary ("" for an empty cell).
    public var rows: [[String]] {
        participants.map { participant in
            [participant] + themes.map { cells[participant]?[$0.id]?.summary ?? "" }
        }
    }

    // MARK: Checking against the study

    /// Every place where the matrix does not fit the study: a participant the study does not
    /// have, a theme code no codebook defines. Each names the row and column (file, line).
    public func validate(participants known: [String], codes: [String], locations: FrameworkLocations = FrameworkLocations()) -> [FrameworkProblem] {
        var problems: [FrameworkProblem] = []
        let knownSet = Set(known)
        for participant in participants where !knownSet.contains(participant) {
            problems.append(FrameworkProblem(
                location: locations.participants[participant], row: participant, column: nil,
                expected: "a participant of the study (\(Self.range(known)))", found: participant,
                hint: Self.suggestion(participant, in: known)))
        }
        let codeSet = Set(codes)
        for theme in themes {
            for code in theme.codes where !codeSet.contains(code) {
                problems.append(FrameworkProblem(
                    location: locations.themes[theme.id], row: nil, column: theme.id,
                    expected: "a code of the codebooks", found: code, hint: Self.suggestion(code, in: codes)))
            }
        }
        return problems
    }

    static func range(_ ids: [String]) -> String {
        if ids.isEmpty { return "none" }
        if ids.count <= 4 { return ids.joined(separator: ", ") }
        return "\(ids[0]), \(ids[1]) … \(ids[ids.count - 1])"
    }

    public static func suggestion(_ typed: String, in known: [String]) -> String {
        let lowered = typed.lowercased()
        let close = known.filter { editDistance($0.lowercased(), lowered) <= max(1, typed.count / 4) }
        return close.count == 1 ? "; did you mean '\(close[0])'?" : ""
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// Where a framework's participants and themes are written, for problems to point at.
public struct FrameworkLocations: Sendable, Equatable {
    public var participants: [String: SourceLocation] = [:]
    public var themes: [String: SourceLocation] = [:]

    public init() {}
}

/// One mismatch between a framework and the study, or in a sheet being imported: which row
/// (participant) and column (theme), what was expected and what was found.
public struct FrameworkProblem: LocatedError, Equatable {
    public var location: SourceLocation?
    public var row: String?
    public var column: String?
    public var expected: String
    public var found: String
    /// "; did you mean …?" or empty.
    public var hint: String

    public init(location: SourceLocation?, row: String?, column: String?, expected: String, found: String, hint: String = "") {
        self.location = location
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        self.hint = hint
    }

    public var message: String {
        var place: [String] = []
        if let row { place.append("row \(row)") }
        if let column { place.append("column \(column)") }
        let prefix = place.isEmpty ? "" : place.joined(separator: ", ") + ": "
        return "\(prefix)expected \(expected), found '\(found)'\(hint)"
    }
}

/// Reads and writes framework files, and imports a framework from a sheet.
public enum FrameworkFile {
    /// The matrix of a framework file and where its participants and themes are written.
    public static func parse(_ text: String, file: String) throws -> (matrix: FrameworkMatrix, locations: FrameworkLocations) {
        let root = try YAMLValue.parse(text, file: file)
        let fields = try root.fields("the framework", allowed: ["name", "themes", "participants", "cells"])
        let name = try fields.requiredString("name")
        var locations = FrameworkLocations()
        var themes: [FrameworkMatrix.Theme] = []
        for item in try fields.list("themes") {
            let theme = try item.fields("a theme", allowed: ["id", "name", "codes"])
            let id = try theme.requiredString("id")
            if themes.contains(where: { $0.id == id }) { throw item.error("theme '\(id)' is listed twice") }
            themes.append(FrameworkMatrix.Theme(id: id, name: try theme.string("name") ?? id, codes: try theme.strings("codes")))
            locations.themes[id] = item.location
        }
        var participants: [String] = []
        if let list = fields["participants"] {
            // One participant may be written without brackets.
            for item in (try? list.list("'participants'")) ?? [list] {
                let id = try item.string("a participant id").trimmingCharacters(in: .whitespaces)
                if id.isEmpty { throw item.error("expected a participant id, found nothing") }
                if participants.contains(id) { throw item.error("participant '\(id)' is listed twice") }
                participants.append(id)
                locations.participants[id] = item.location
            }
        }
        var cells: [String: [String: FrameworkMatrix.Cell]] = [:]
        if let byParticipant = fields["cells"] {
            for (participant, row, keyLocation) in try byParticipant.mapping("'cells'") {
                guard participants.contains(participant) else {
                    throw FrameworkProblem(location: keyLocation, row: participant, column: nil,
                                           expected: "a participant listed under 'participants' (\(FrameworkMatrix.range(participants)))",
                                           found: participant, hint: FrameworkMatrix.suggestion(participant, in: participants))
                }
                if row.isNull { continue }
                for (theme, value, themeLocation) in try row.mapping("the cells of \(participant)") {
                    guard themes.contains(where: { $0.id == theme }) else {
                        let ids = themes.map(\.id)
                        throw FrameworkProblem(location: themeLocation, row: participant, column: theme,
                                               expected: "a theme id listed under 'themes' (\(FrameworkMatrix.range(ids)))",
                                               found: theme, hint: FrameworkMatrix.suggestion(theme, in: ids))
                    }
                    let cell = try value.fields("the cell \(participant) × \(theme)", allowed: ["summary", "excerpts"])
                    var excerpts: [TextTarget] = []
                    for item in try cell.list("excerpts") { excerpts.append(try excerpt(item)) }
                    let parsed = FrameworkMatrix.Cell(summary: try cell.string("summary") ?? "", excerpts: excerpts)
                    if !parsed.isEmpty { cells[participant, default: [:]][theme] = parsed }
                }
            }
        }
        return (FrameworkMatrix(name: name, themes: themes, participants: participants, cells: cells), locations)
    }

    public static func read(_ url: URL, displayPath: String) throws -> (matrix: FrameworkMatrix, locations: FrameworkLocations) {
        try parse(TextFile.read(url, displayPath: displayPath), file: displayPath)
    }

    private static func excerpt(_ item: YAMLValue) throws -> TextTarget {
        let fields = try item.fields("an excerpt", allowed: ["transcript", "turn", "start", "end", "quote", "fingerprint"])
        let transcript = try fields.requiredString("transcript")
        guard let turn = try fields.int("turn"), turn >= 1 else { throw item.error("expected an excerpt's 'turn' as a number from 1") }
        let start = try fields.int("start"), end = try fields.int("end")
        if (start == nil) != (end == nil) { throw item.error("expected both 'start' and 'end' for a span, or neither for a whole turn") }
        if let start, let end, start < 0 || end <= start { throw item.error("expected 0 ≤ start < end, found start \(start) and end \(end)") }
        var fingerprint: TurnFingerprint? = nil
        if let value = fields["fingerprint"] {
            let print = try value.fields("a fingerprint", allowed: ["sha256", "length", "prefix", "suffix"])
            guard let length = try print.int("length"), length >= 0 else { throw value.error("expected a fingerprint's 'length' as a number from 0") }
            let hash = try print.requiredString("sha256")
            guard hash.unicodeScalars.count == 64, hash.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else {
                throw value.error("expected a fingerprint's 'sha256' as 64 lowercase hex digits, found '\(hash)'")
            }
            fingerprint = TurnFingerprint(sha256: hash, length: length,
                                          prefix: try print.string("prefix"), suffix: try print.string("suffix"))
        }
        return TextTarget(transcript: transcript, turn: turn, start: start, end: end, quote: try fields.string("quote"),
                          fingerprint: fingerprint)
    }

    /// The matrix as YAML text, in a stable layout (see `FrameworkMatrix`).
    public static func yaml(_ matrix: FrameworkMatrix) -> String {
        var writer = YAMLWriter()
        writer.scalar("name", matrix.name)
        if matrix.themes.isEmpty { writer.raw("themes", "[]") } else { writer.key("themes") }
        for theme in matrix.themes {
            writer.scalar("id", theme.id, indent: 4, listItem: true)
            writer.scalar("name", theme.name, indent: 4)
            if !theme.codes.isEmpty { writer.flowList("codes", theme.codes, indent: 4) }
        }
        writer.flowList("participants", matrix.participants)
        let filled = matrix.participants.filter { !(matrix.cells[$0]?.isEmpty ?? true) }
        if filled.isEmpty { writer.raw("cells", "{}") } else { writer.key("cells") }
        for participant in filled {
            writer.key(YAMLWriter.quoted(participant), indent: 2)
            for theme in matrix.themes {
                guard let cell = matrix.cells[participant]?[theme.id], !cell.isEmpty else { continue }
                writer.key(YAMLWriter.quoted(theme.id), indent: 4)
                if !cell.summary.isEmpty { writer.scalar("summary", cell.summary, indent: 6) }
                if !cell.excerpts.isEmpty { writer.key("excerpts", indent: 6) }
                for excerpt in cell.excerpts {
                    writer.scalar("transcript", excerpt.transcript, indent: 10, listItem: true)
                    writer.raw("turn", String(excerpt.turn), indent: 10)
                    if let start = excerpt.start, let end = excerpt.end {
                        writer.raw("start", String(start), indent: 10)
                        writer.raw("end", String(end), indent: 10)
                    }
                    if let quote = excerpt.quote { writer.scalar("quote", quote, indent: 10) }
                    if let fingerprint = excerpt.fingerprint {
                        writer.key("fingerprint", indent: 10)
                        writer.scalar("sha256", fingerprint.sha256, indent: 12)
                        writer.raw("length", String(fingerprint.length), indent: 12)
                        if let prefix = fingerprint.prefix { writer.scalar("prefix", prefix, indent: 12) }
                        if let suffix = fingerprint.suffix { writer.scalar("suffix", suffix, indent: 12) }
                    }
                }
            }
        }
        return writer.text
    }

    /// Edits one cell of a framework file and writes it back atomically (temp file, fsync,
    /// rename); the caller holds the study's lock.
    public static func editCell(at url: URL, displayPath: String, participant: String, theme: String,
                                _ cell: FrameworkMatrix.Cell) throws -> FrameworkMatrix {
        var matrix = try read(url, displayPath: displayPath).matrix
        try matrix.setCell(participant: participant, theme: theme, cell)
        try AtomicFile.write(yaml(matrix), to: url)
        return matrix
    }

    // MARK: Import from a sheet

    /// A framework from a sheet whose first column holds the participants and whose first row
    /// holds the themes (the shape of the ICSE 2023 study's Memos.xlsx).
    ///
    /// - Parameters:
    ///   - participants: the study's participant ids. A first-column value names one when it is
    ///     the id itself, or a number equal to the number in exactly one id (`3` → `P03`).
    ///   - file: the sheet's file, for problems (`Memos.xlsx!A5`).
    /// - Returns: the matrix, and every cell that could not be brought in — a row whose
    ///   participant the study lacks, a filled cell under an empty header, a repeated
    ///   participant. The caller writes nothing while there are problems.
    public static func importSheet(_ sheet: Spreadsheet, name: String, participants known: [String], file: String)
        -> (matrix: FrameworkMatrix, problems: [FrameworkProblem]) {
        var problems: [FrameworkProblem] = []
        func at(_ row: Int, _ column: Int) -> SourceLocation {
            SourceLocation(file: "\(file)!\(Spreadsheet.columnName(column))\(row + 1)")
        }
        let header = sheet.rows.first ?? []
        var themes: [FrameworkMatrix.Theme] = []
        var themeOfColumn: [Int: String] = [:]
        for column in header.indices.dropFirst() {
            let title = header[column].text.trimmingCharacters(in: .whitespacesAndNewlines)
            if title.isEmpty { continue }
            var id = slug(title)
            if id.isEmpty { id = "column-\(Spreadsheet.columnName(column).lowercased())" }
            var unique = id, counter = 2
            while themes.contains(where: { $0.id == unique }) { unique = "\(id)-\(counter)"; counter += 1 }
            themes.append(FrameworkMatrix.Theme(id: unique, name: title))
            themeOfColumn[column] = unique
        }
        if themes.isEmpty {
            problems.append(FrameworkProblem(location: at(0, 1), row: nil, column: nil,
                                             expected: "theme names in the first row, from column B on", found: header.count > 1 ? header[1].text : ""))
        }
        var participants: [String] = []
        var cells: [String: [String: FrameworkMatrix.Cell]] = [:]
        for row in sheet.rows.indices.dropFirst() {
            let values = sheet.rows[row]
            let first = values.first?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let filled = values.indices.dropFirst().filter { !values[$0].text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            if first.isEmpty {
                if !filled.isEmpty {
                    problems.append(FrameworkProblem(location: at(row, 0), row: "\(row + 1)", column: nil,
                                                     expected: "a participant in column A of a row with cells", found: ""))
                }
                continue
            }
            guard let participant = match(first, in: known) else {
                problems.append(FrameworkProblem(location: at(row, 0), row: "\(row + 1)", column: nil,
                                                 expected: "a participant of the study (\(FrameworkMatrix.range(known)))", found: first,
                                                 hint: FrameworkMatrix.suggestion(first, in: known)))
                continue
            }
            if participants.contains(participant) {
                problems.append(FrameworkProblem(location: at(row, 0), row: participant, column: nil,
                                                 expected: "each participant on one row", found: "\(first) again"))
                continue
            }
            participants.append(participant)
            for column in filled {
                let text = values[column].text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard let theme = themeOfColumn[column] else {
                    problems.append(FrameworkProblem(location: at(row, column), row: participant, column: Spreadsheet.columnName(column),
                                                     expected: "a theme name at the top of this column", found: "an empty header above '\(String(text.prefix(30)))'"))
                    continue
                }
                cells[participant, default: [:]][theme] = FrameworkMatrix.Cell(summary: text)
            }
        }
        return (FrameworkMatrix(name: name, themes: themes, participants: participants, cells: cells), problems)
    }

    /// A theme id from its name: lowercase letters and digits, other runs as one `-`.
    public static func slug(_ title: String) -> String {
        var id = "", dash = false
        for scalar in title.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if dash && !id.isEmpty { id += "-" }
                id.unicodeScalars.append(scalar)
                dash = false
            } else {
                dash = true
            }
        }
        return id
    }

    /// The study participant a first-column value names: itself, or by its number.
    public static func match(_ value: String, in known: [String]) -> String? {
        if known.contains(value) { return value }
        guard let number = Int(value) else { return nil }
        let byNumber = known.filter { id in
            let digits = id.unicodeScalars.split { !("0"..."9").contains($0) }
            return digits.count == 1 && Int(String(String.UnicodeScalarView(digits[0]))) == number
        }
        return byNumber.count == 1 ? byNumber[0] : nil
    }
}
