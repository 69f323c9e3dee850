import Core
import Foundation
import Qualitative
import Transcripts

/// How a project counts character positions in its plain texts.
///
/// The REFI-QDA 1.5 specification (§10.2) counts Unicode code points; NVivo, a .NET program,
/// counts UTF-16 code units, which differ after the first character outside the Basic
/// Multilingual Plane (an emoji, say). Both are read; which one a project used is decided per
/// source from the evidence (see `ProjectImporter`) unless the user says.
public enum PositionUnit: String, Sendable, CaseIterable {
    case codePoints = "code-points"
    case utf16
}

/// What the study already holds, so an import can refuse clashes and fit in.
public struct ImportContext: Sendable {
    public var interviewerNames: Set<String>
    /// Pseudonyms of the study's participants, by participant id.
    public var pseudonyms: [String: String]
    public var codeIds: Set<String>
    public var transcriptIds: Set<String>
    /// Puts every imported code under a new grouping code of this id.
    public var prefix: String?
    /// Forces the position unit instead of deciding it per source.
    public var positions: PositionUnit?

    public init(interviewerNames: Set<String> = [], pseudonyms: [String: String] = [:], codeIds: Set<String> = [],
                transcriptIds: Set<String> = [], prefix: String? = nil, positions: PositionUnit? = nil) {
        self.interviewerNames = interviewerNames
        self.pseudonyms = pseudonyms
        self.codeIds = codeIds
        self.transcriptIds = transcriptIds
        self.prefix = prefix
        self.positions = positions
    }
}

/// Study files an import will write, checked and complete; the study writes them all or none.
public struct ImportPlan: Sendable {
    public struct TranscriptFile: Sendable, Equatable {
        public var id: String
        public var fileName: String
        public var text: String
    }

    public struct ParticipantRow: Sendable, Equatable {
        public var id: String
        public var pseudonym: String?
        public var attributes: [Attribute]

        public init(id: String, pseudonym: String?, attributes: [Attribute]) {
            self.id = id
            self.pseudonym = pseudonym
            self.attributes = attributes
        }
    }

    public struct Attribute: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct MemoFile: Sendable, Equatable {
        public var fileName: String
        public var text: String

        public init(fileName: String, text: String) {
            self.fileName = fileName
            self.text = text
        }
    }

    /// The imported codebook; nil when the project has no codes.
    public var codebook: Codebook?
    public var codebookFileName: String
    public var transcripts: [TranscriptFile]
    /// New codings by coder id, in project order.
    public var codings: [(coder: String, codings: [Coding])]
    /// New case-level codings (REFI-QDA's `CodeRef`s on a `Case`) by coder id.
    public var caseCodings: [(coder: String, codings: [CaseCoding])]
    /// The coders the import brings (its users, and `imported` for codings without one), in
    /// project order: they join `coders:` in triangulate.yaml.
    public var coders: [String]
    public var participants: [ParticipantRow]
    public var memos: [MemoFile]
    public var report: ImportReport
}

/// Turns a read project into study files: transcripts with their turns, the codebook, codings
/// anchored on turn and span, participants, memos — and a report of everything else.
///
/// **Turns.** A text whose lines mostly start with speaker labels (a third of its non-empty lines
/// or more) is an interview: it is kept byte for byte and Triangulate's own transcript reader
/// finds its turns. Any other text (field notes, comment dumps, documents) becomes one turn per
/// paragraph, written as `Speaker: paragraph` lines with the participant's pseudonym as the
/// speaker, so positions stay exact.
///
/// **Positions.** Each selection is mapped, character by character, from the source's plain text
/// to the turns the study will read back; a selection across several turns becomes one coding per
/// turn. Every coding is then checked: the text at its turn and span, as the study's reader
/// reads the written transcript, must equal the text at the selection's original positions (line
/// breaks compared as line breaks: `\r\n` and `\n` are the same break). A coding that fails the
/// check is reported, never written.
public enum ProjectImporter {
    public static func plan(_ loaded: REFIProjectReader.Loaded, context: ImportContext, sourceName: String) throws -> ImportPlan {
        var builder = Builder(loaded: loaded, context: context, report: ImportReport(source: sourceName))
        return try builder.run()
    }

    /// A transcript id from a source or case name: Latin letters (transliterated), digits, `-`
    /// and `_`, case kept, any file extension dropped.
    public static func transcriptId(_ name: String) -> String {
        var base = name
        for ext in [".txt", ".docx", ".doc", ".rtf", ".pdf", ".md"] where base.lowercased().hasSuffix(ext) {
            base = String(base.dropLast(ext.count))
        }
        let latin = base.applyingTransform(StringTransform("Any-Latin"), reverse: false) ?? base
        let folded = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        var id = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_") {
                id.unicodeScalars.append(scalar)
            } else if !id.isEmpty && !id.hasSuffix("-") {
                id += "-"
            }
        }
        while id.hasSuffix("-") { id.removeLast() }
        return id.isEmpty ? "source" : id
    }

    /// How a `.docx` twin's paragraphs agree with the plain text: line for line, in words only,
    /// or from which line they differ.
    public static func compare(twin paragraphs: [String], with text: String) -> String {
        let plain = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var plainLines = plain.components(separatedBy: "\n")
        if plainLines.last == "" && plain.hasSuffix("\n") { plainLines.removeLast() }
        var twinLines = paragraphs.flatMap { $0.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n") }
        while twinLines.count > plainLines.count, twinLines.last?.isEmpty == true { twinLines.removeLast() }
        if twinLines == plainLines { return "agrees with it line for line (\(plainLines.count) lines)" }
        let plainWords = plain.split(whereSeparator: \.isWhitespace), twinWords = twinLines.joined(separator: "\n").split(whereSeparator: \.isWhitespace)
        if plainWords == twinWords {
            return "has the same \(plainWords.count) words but other line breaks or spacing (\(twinLines.count) lines, the plain text \(plainLines.count))"
        }
        let line = (0..<min(plainLines.count, twinLines.count)).first { plainLines[$0] != twinLines[$0] } ?? min(plainLines.count, twinLines.count)
        func excerpt(_ lines: [String]) -> String {
            guard line < lines.count else { return "nothing (it ends)" }
            let text = lines[line]
            return "'" + (text.count > 60 ? String(text.prefix(60)) + "…" : text) + "'"
        }
        return "differs from line \(line + 1): the plain text has \(excerpt(plainLines)), the .docx \(excerpt(twinLines)) (\(plainWords.count) words against \(twinWords.count))"
    }

    /// A speaker name the transcript reader accepts: letters and digits in at most four words,
    /// starting with a letter.
    static func speakerName(for id: String) -> String {
        let words = id.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).prefix(4)
        var name = words.joined(separator: " ")
        if name.count > 36 { name = String(name.prefix(36)).trimmingCharacters(in: .whitespaces) }
        if name.first.map({ !$0.isLetter }) ?? true { name = "Source " + name }
        return name.trimmingCharacters(in: .whitespaces)
    }
}

/// The plain text of a source mapped onto turns: for each turn its text and, for each of its
/// characters, the position in the source text it came from.
struct TextLayout {
    var turnTexts: [[Unicode.Scalar]]
    var origins: [[Int]]
    /// For each source position, the turn (index) that holds it, or -1.
    var owner: [Int32]
    var offset: [Int32]
    var fileText: String
    var labelled: Bool

    init(turnTexts: [[Unicode.Scalar]], origins: [[Int]], sourceCount: Int, fileText: String, labelled: Bool) {
        self.turnTexts = turnTexts
        self.origins = origins
        self.fileText = fileText
        self.labelled = labelled
        owner = [Int32](repeating: -1, count: sourceCount)
        offset = [Int32](repeating: -1, count: sourceCount)
        for (turn, positions) in origins.enumerated() {
            for (index, position) in positions.enumerated() {
                owner[position] = Int32(turn)
                offset[position] = Int32(index)
            }
        }
    }
}

private struct Builder {
    let loaded: REFIProjectReader.Loaded
    let context: ImportContext
    var report: ImportReport
    var coders: [String: String] = [:]
    var codeIds: [String: String] = [:]
    var notesByGUID: [String: REFIProject.Note] = [:]
    var consumedNotes: Set<String> = []
    var codings: [(coder: String, codings: [Coding])] = []
    var caseCodings: [(coder: String, codings: [CaseCoding])] = []
    /// Coder ids in the order they were met.
    var coderOrder: [String] = []
    /// The participant each imported text source became, by lowercased source GUID.
    var participantOfSource: [String: String] = [:]
    var transcripts: [ImportPlan.TranscriptFile] = []
    var participants: [ImportPlan.ParticipantRow] = []
    var memos: [ImportPlan.MemoFile] = []
    var layouts: [String: (turns: [[Unicode.Scalar]], speaker: String?)] = [:]

    init(loaded: REFIProjectReader.Loaded, context: ImportContext, report: ImportReport) {
        self.loaded = loaded
        self.context = context
        self.report = report
    }

    var project: REFIProject { loaded.project }

    mutating func run() throws -> ImportPlan {
        for note in project.notes { notesByGUID[note.guid] = note }
        importUsers()
        let codebook = try importCodes()
        let caseOf = importCases()
        try importSources(caseOf: caseOf)
        importCaseParticipantsAndCodings()
        try verifyAgainstFinalSpeakers()
        importNotes()
        importDescriptions()
        listOtherKinds()
        let fileName = ProjectImporter.transcriptId(project.name.isEmpty ? "imported" : project.name).lowercased() + ".yaml"
        var coderIds = coderOrder
        for (coder, _) in codings + caseCodings.map({ ($0.coder, [Coding]()) }) where !coderIds.contains(coder) { coderIds.append(coder) }
        return ImportPlan(codebook: codebook, codebookFileName: fileName, transcripts: transcripts, codings: codings,
                          caseCodings: caseCodings, coders: coderIds, participants: participants, memos: memos, report: report)
    }

    mutating func importUsers() {
        var used = Set<String>()
        for user in project.users {
            let id = REFIQDACodebook.slug(user.name, fallback: "coder")
            var candidate = id, number = 2
            while used.contains(candidate) { candidate = "\(id)-\(number)"; number += 1 }
            used.insert(candidate)
            coders[user.guid.lowercased()] = candidate
            coderOrder.append(candidate)
            report.record("users", found: 1, imported: 1)
        }
        if project.users.isEmpty { report.record("users") }
    }

    mutating func importCodes() throws -> Codebook? {
        guard project.codebook.hasCodeBook else {
            report.record("codes")
            report.notes.append("the project has no CodeBook: 0 codes imported")
            return nil
        }
        var (codes, ids) = REFIQDACodebook.codes(from: project.codebook.codes, under: context.prefix)
        if let clash = codes.first(where: { context.codeIds.contains($0.id) }) {
            throw InterchangeError.conflict("code '\(clash.id)' (from '\(clash.name)') is already in the study; import again with --prefix NAME to put the project's codes under NAME/; nothing was written")
        }
        for index in codes.indices { codes[index].location = SourceLocation(file: "") }
        codeIds = Dictionary(ids.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        let total = codes.count - (context.prefix == nil ? 0 : 1)
        report.record("codes", found: total, imported: total)
        let sets = REFIQDACodebook.codeSets(project.codebook.sets, ids: ids)
        report.record("sets", found: sets.count, imported: sets.count)
        return Codebook(name: project.name.isEmpty ? "Imported" : project.name, file: "", codes: codes, sets: sets)
    }

    /// Cases become participants; a case naming exactly one source gives that source its id.
    /// Returns the case of each source (by lowercased GUID); the participants of cases are
    /// settled once the sources are in (`importCaseParticipantsAndCodings`).
    mutating func importCases() -> [String: REFIProject.Case] {
        var sourceCases: [String: [REFIProject.Case]] = [:]
        for item in project.cases {
            for source in item.sourceRefs { sourceCases[source.lowercased(), default: []].append(item) }
            report.record("cases", found: 1, imported: 1)
        }
        report.record("variables", found: project.variables.count, imported: project.variables.count)
        var caseOf: [String: REFIProject.Case] = [:]
        for (source, cases) in sourceCases where cases.count == 1 { caseOf[source] = cases[0] }
        for (source, cases) in sourceCases.sorted(by: { $0.key < $1.key }) where cases.count > 1 {
            report.notes.append("source \(source) belongs to \(cases.count) cases; its participant takes the first case's values")
            caseOf[source] = cases[0]
        }
        return caseOf
    }

    /// Each case's participants: those its imported sources became, or, for a case with none, a
    /// participant of its own name. Its `CodeRef`s become case-level codings of each of them.
    ///
    /// REFI-QDA does not record who applied a code to a case; the codings go to the project's
    /// only user when it has one, else to coder `imported`, and the report says which.
    mutating func importCaseParticipantsAndCodings() {
        var caseCoder = "imported"
        if project.users.count == 1, let only = coders[project.users[0].guid.lowercased()] { caseCoder = only }
        var made: [CaseCoding] = []
        for item in project.cases {
            var ids: [String] = []
            for source in item.sourceRefs {
                if let id = participantOfSource[source.lowercased()], !ids.contains(id) { ids.append(id) }
            }
            if ids.isEmpty {
                let id = ProjectImporter.transcriptId(item.name)
                if !participants.contains(where: { $0.id == id }) { participants.append(row(id: id, values: item.values)) }
                ids = [id]
            }
            if !item.selectionRefs.isEmpty {
                report.record("case selections", found: item.selectionRefs.count, omitted: .init(
                    guid: item.guid, name: item.name,
                    reason: "\(item.selectionRefs.count) selection(s) linked to the case; a participant is linked to its transcripts, not to passages"))
            }
            for reference in item.codeRefs {
                report.record("case codings", found: 1)
                guard let code = codeIds[reference.lowercased()] else {
                    report.record("case codings", omitted: .init(guid: item.guid, name: item.name,
                                                                 reason: "it applies code \(reference), which is not in the codebook"))
                    continue
                }
                for id in ids {
                    made.append(CaseCoding(participant: id, code: code, coder: caseCoder, location: SourceLocation(file: "")))
                }
                report.record("case codings", imported: 1)
                if ids.count > 1 {
                    report.notes.append("case '\(item.name)' has \(ids.count) participants (\(ids.joined(separator: ", "))); its code \(code) is recorded for each")
                }
            }
        }
        if !made.isEmpty {
            caseCodings = [(caseCoder, made)]
            report.notes.append(project.users.count == 1
                ? "REFI-QDA does not record who applied a code to a case; the \(made.count) case-level coding(s) are recorded under the project's only user, \(caseCoder)"
                : "REFI-QDA does not record who applied a code to a case; the \(made.count) case-level coding(s) are recorded under coder 'imported'")
        }
        if project.cases.isEmpty { report.record("case codings") }
    }

    func row(id: String, values: [REFIProject.Case.Value], pseudonym: String? = nil) -> ImportPlan.ParticipantRow {
        let pseudonymValue = values.first { $0.variable.lowercased() == "pseudonym" }?.value
        return ImportPlan.ParticipantRow(
            id: id, pseudonym: pseudonym ?? pseudonymValue ?? context.pseudonyms[id],
            attributes: values.filter { $0.variable.lowercased() != "pseudonym" }.map { .init(name: $0.variable, value: $0.value) })
    }

    mutating func importSources(caseOf: [String: REFIProject.Case]) throws {
        var usedIds = Set<String>()
        var codingsByCoder: [String: [Coding]] = [:]
        var codingCoders: [String] = []
        for source in project.textSources {
            let selectionCount = source.selections.count
            let codingCount = source.selections.reduce(0) { $0 + $1.codings.count }
            report.record("selections", found: selectionCount)
            report.record("codings", found: codingCount)
            if source.sourceCodings > 0 {
                report.record("source codings", found: source.sourceCodings, omitted: .init(
                    guid: source.guid, name: source.name, reason: "\(source.sourceCodings) code(s) applied to the whole source, not to a selection"))
            }
            guard let text = loaded.texts[source.guid] else {
                let reason = loaded.missingTexts[source.guid] ?? "its text is missing"
                report.record("text sources", found: 1, omitted: .init(guid: source.guid, name: source.name,
                                                                      reason: "\(reason) (\(selectionCount) selections, \(codingCount) codings)"))
                for selection in source.selections {
                    report.record("selections", omitted: .init(guid: selection.guid, name: nil, reason: "its source \(source.guid) has no text"))
                }
                if codingCount > 0 {
                    report.record("codings", omitted: .init(guid: source.guid, name: source.name, reason: "\(codingCount) coding(s) of a source whose text is missing"))
                }
                continue
            }
            let theCase = caseOf[source.guid.lowercased()]
            var id = ProjectImporter.transcriptId(theCase.map { $0.sourceRefs.count == 1 ? $0.name : source.name } ?? source.name)
            if usedIds.contains(id) {
                var number = 2
                while usedIds.contains("\(id)-\(number)") { number += 1 }
                id = "\(id)-\(number)"
            }
            if context.transcriptIds.contains(id) {
                throw InterchangeError.conflict("the study already has a transcript '\(id)' (from source '\(source.name)'); nothing was written")
            }
            usedIds.insert(id)
            let existingPseudonym = context.pseudonyms[id] ?? theCase?.values.first { $0.variable.lowercased() == "pseudonym" }?.value
            let scalars = Array(text.unicodeScalars)
            let layout = makeLayout(scalars, id: id, pseudonym: existingPseudonym)
            layouts[id] = (layout.turnTexts, layout.labelled ? nil : speaker(layout))
            transcripts.append(.init(id: id, fileName: "\(id).txt", text: layout.fileText))
            if !layout.labelled {
                report.notes.append("\(id): no speaker labels, so one turn per paragraph (\(layout.turnTexts.count) turns)")
            }
            participantOfSource[source.guid.lowercased()] = id
            if let twin = loaded.richTexts[source.guid] { recordTwin(twin, text: text, source: source, id: id) }
            var values = theCase?.values ?? []
            values += source.values
            participants.append(row(id: id, values: values, pseudonym: layout.labelled ? nil : speaker(layout)))
            report.record("text sources", found: 1, imported: 1)

            let unit = positionUnit(for: source, scalars: scalars)
            let convert = PositionConverter(scalars: scalars, unit: unit)
            var split = 0
            for selection in source.selections {
                guard let start = convert.scalarIndex(selection.start), let end = convert.scalarIndex(selection.end),
                      start >= 0, start < end, end <= scalars.count else {
                    report.record("selections", omitted: .init(guid: selection.guid, name: nil, reason: "positions \(selection.start)–\(selection.end) lie outside its source's text (\(convert.length) \(unit == .utf16 ? "UTF-16 units" : "characters")) or are reversed"))
                    if !selection.codings.isEmpty {
                        report.record("codings", omitted: .init(guid: selection.guid, name: nil, reason: "\(selection.codings.count) coding(s) of a selection outside its source's text"))
                    }
                    continue
                }
                if let expected = selection.expectedText, String(String.UnicodeScalarView(scalars[start..<end])) != expected {
                    report.record("selections", omitted: .init(guid: selection.guid, name: nil, reason: "the text at positions \(selection.start)–\(selection.end) is not the text the project stored for it"))
                    report.record("codings", omitted: .init(guid: selection.guid, name: nil, reason: "\(selection.codings.count) coding(s) whose stored text does not match the source"))
                    continue
                }
                let pieces = self.pieces(start..<end, layout: layout)
                guard !pieces.isEmpty else {
                    report.record("selections", omitted: .init(guid: selection.guid, name: nil, reason: "it covers only speaker labels or line breaks, no words of a turn"))
                    report.record("codings", omitted: .init(guid: selection.guid, name: nil, reason: "\(selection.codings.count) coding(s) of a selection with no words"))
                    continue
                }
                var memoParts: [String] = []
                if let description = selection.description?.trimmingCharacters(in: .whitespacesAndNewlines), !description.isEmpty { memoParts.append(description) }
                memoParts += selection.noteRefs.compactMap { noteText($0) }
                if !selection.codings.isEmpty {
                    consumedNotes.formUnion(selection.noteRefs)
                    consumedNotes.formUnion(selection.codings.flatMap(\.noteRefs))
                }
                if selection.codings.isEmpty {
                    let quote = String(String.UnicodeScalarView(scalars[start..<end]))
                    report.record("selections", omitted: .init(guid: selection.guid, name: nil, reason: "a selection without codings; its comment is kept as a memo file"))
                    if !memoParts.isEmpty {
                        memos.append(.init(fileName: "selection-\(id)-\(selection.start).md",
                                           text: "Transcript \(id), turn \(pieces[0].turn + 1): \u{201C}\(quote)\u{201D}\n\n\(memoParts.joined(separator: "\n\n"))\n"))
                    }
                    continue
                }
                report.record("selections", imported: 1)
                if pieces.count > 1 { split += 1 }
                for coding in selection.codings {
                    guard let code = codeIds[coding.codeGUID.lowercased()] else {
                        report.record("codings", omitted: .init(guid: coding.guid, name: nil, reason: "it applies code \(coding.codeGUID), which is not in the codebook"))
                        continue
                    }
                    let userGUID = (coding.creatingUser ?? selection.creatingUser)?.lowercased()
                    let coder = userGUID.flatMap { coders[$0] } ?? "imported"
                    let memo = (memoParts + coding.noteRefs.compactMap { noteText($0) }).joined(separator: "\n\n")
                    if codingsByCoder[coder] == nil { codingCoders.append(coder) }
                    for piece in pieces {
                        let turnText = layout.turnTexts[piece.turn]
                        let whole = piece.start == 0 && piece.end == turnText.count
                        codingsByCoder[coder, default: []].append(Coding(
                            transcript: id, turn: piece.turn + 1, start: whole ? nil : piece.start, end: whole ? nil : piece.end,
                            quote: whole ? nil : String(String.UnicodeScalarView(turnText[piece.start..<piece.end])),
                            code: code, coder: coder, memo: memo.isEmpty ? nil : memo,
                            at: coding.creationDateTime ?? selection.creationDateTime, location: SourceLocation(file: "")))
                    }
                    report.record("codings", imported: 1)
                }
            }
            if split > 0 {
                report.notes.append("\(id): \(split) selection(s) span several turns and were recorded once per turn")
            }
        }
        codings = codingCoders.map { ($0, codingsByCoder[$0] ?? []) }
        if project.textSources.isEmpty { report.record("text sources") }
    }

    /// Compares a source's `.docx` twin with its plain text and says how they agree. The plain
    /// text stays the transcript: REFI-QDA positions count in it (§10.2), and the formatting the
    /// `.docx` adds has no place in a transcript file.
    mutating func recordTwin(_ twin: REFIProjectReader.RichText, text: String, source: REFIProject.TextSource, id: String) {
        let kind = "rich-text twins"
        switch twin {
        case .usedAsText(let paragraphs):
            report.record(kind, found: 1, imported: 1)
            report.notes.append("\(id): no plain text, so its text is the .docx's \(paragraphs.count) paragraphs, one line each; positions count in that text")
        case .unreadable(let reason):
            report.record(kind, found: 1, omitted: .init(guid: source.guid, name: source.name, reason: "the .docx twin was not read: \(reason)"))
        case .paragraphs(let paragraphs):
            let comparison = ProjectImporter.compare(twin: paragraphs, with: text)
            report.record(kind, found: 1, omitted: .init(guid: source.guid, name: source.name,
                                                         reason: "the plain text carries the positions and is the transcript; the .docx twin \(comparison)"))
        }
    }

    /// Descriptions of the project, its sources and its cases become memo files, one each.
    mutating func importDescriptions() {
        func add(_ description: String?, file: String, heading: String) {
            guard let text = description?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return }
            report.record("descriptions", found: 1, imported: 1)
            memos.append(.init(fileName: file, text: "\(heading)\n\n\(text)\n"))
        }
        add(project.description, file: "project-description.md", heading: "Description of the project \(project.name)")
        for source in project.textSources {
            guard let id = participantOfSource[source.guid.lowercased()] else { continue }
            add(source.description, file: "source-\(id).md", heading: "Description of source \(source.name) (transcript \(id))")
        }
        for item in project.cases {
            add(item.description, file: "case-\(REFIQDACodebook.slug(item.name, fallback: "case")).md", heading: "Description of case \(item.name)")
        }
    }

    func speaker(_ layout: TextLayout) -> String? {
        guard !layout.labelled, let line = layout.fileText.split(separator: "\n", maxSplits: 1).first,
              let colon = line.firstIndex(of: ":") else { return nil }
        return String(line[..<colon])
    }

    /// The source's turns: its own speaker turns when it has them, else one per paragraph.
    func makeLayout(_ scalars: [Unicode.Scalar], id: String, pseudonym: String?) -> TextLayout {
        let lines = Self.lines(scalars)
        let nonEmpty = lines.filter { range in scalars[range].contains { !$0.properties.isWhitespace } }.count
        let known = Set(context.pseudonyms.values).union(pseudonym.map { [$0] } ?? [])
        let reader = PlainTextReader(interviewerNames: context.interviewerNames, knownSpeakers: known)
        let text = String(String.UnicodeScalarView(scalars))
        if let transcript = try? reader.parse(text, id: id, file: id), transcript.turns.count * 3 >= nonEmpty,
           let origins = Self.align(transcript.turns, scalars: scalars, lines: lines) {
            return TextLayout(turnTexts: transcript.turns.map { Array($0.text.unicodeScalars) }, origins: origins,
                              sourceCount: scalars.count, fileText: text, labelled: true)
        }
        let speaker = pseudonym.flatMap { ProjectImporter.speakerName(for: $0) == $0 ? $0 : nil } ?? ProjectImporter.speakerName(for: id)
        var turnTexts: [[Unicode.Scalar]] = []
        var origins: [[Int]] = []
        var file = ""
        for range in lines {
            var lower = range.lowerBound, upper = range.upperBound
            while lower < upper && scalars[lower].properties.isWhitespace { lower += 1 }
            while upper > lower && scalars[upper - 1].properties.isWhitespace { upper -= 1 }
            guard lower < upper else { continue }
            turnTexts.append(Array(scalars[lower..<upper]))
            origins.append(Array(lower..<upper))
            file += "\(speaker): " + String(String.UnicodeScalarView(scalars[lower..<upper])) + "\n"
        }
        return TextLayout(turnTexts: turnTexts, origins: origins, sourceCount: scalars.count, fileText: file, labelled: false)
    }

    /// Line ranges of the text, split on LF, CRLF or CR as the transcript reader splits them.
    static func lines(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0, index = 0
        while index < scalars.count {
            if scalars[index] == "\n" || scalars[index] == "\r" {
                result.append(start..<index)
                if scalars[index] == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < scalars.count { result.append(start..<scalars.count) }
        return result
    }

    /// Finds each turn's characters in the source text: from the turn's first line on, the turn
    /// text must match the source character for character, a `\r\n` in the source standing for
    /// the `\n` the reader joins lines with. Nil when a turn cannot be placed.
    static func align(_ turns: [Turn], scalars: [Unicode.Scalar], lines: [Range<Int>]) -> [[Int]]? {
        var result: [[Int]] = []
        var floor = 0
        for turn in turns {
            let wanted = Array(turn.text.unicodeScalars)
            guard let first = wanted.first, turn.line >= 1, turn.line <= lines.count else { return nil }
            let lineStart = max(lines[turn.line - 1].lowerBound, floor)
            let searchEnd = min(scalars.count, (turn.line + 1 < lines.count ? lines[turn.line + 1].upperBound : scalars.count))
            var placed: [Int]?
            var candidate = lineStart
            while candidate < searchEnd, placed == nil {
                if scalars[candidate] == first { placed = match(wanted, at: candidate, in: scalars) }
                candidate += 1
            }
            guard let positions = placed, let last = positions.last else { return nil }
            result.append(positions)
            floor = last + 1
        }
        return result
    }

    static func match(_ wanted: [Unicode.Scalar], at start: Int, in scalars: [Unicode.Scalar]) -> [Int]? {
        var positions: [Int] = []
        positions.reserveCapacity(wanted.count)
        var j = start
        for scalar in wanted {
            guard j < scalars.count else { return nil }
            if scalar == "\n" && scalars[j] == "\r" {
                if j + 1 < scalars.count && scalars[j + 1] == "\n" { j += 1 }
                positions.append(j)
                j += 1
                continue
            }
            guard scalars[j] == scalar else { return nil }
            positions.append(j)
            j += 1
        }
        return positions
    }

    struct Piece {
        var turn: Int
        var start: Int
        var end: Int
    }

    /// The parts of `range` that fall in turns, one per turn, with the check that each part's
    /// text is the source's text there.
    func pieces(_ range: Range<Int>, layout: TextLayout) -> [Piece] {
        var result: [Piece] = []
        for position in range {
            let turn = Int(layout.owner[position])
            guard turn >= 0 else { continue }
            let offset = Int(layout.offset[position])
            if let last = result.last, last.turn == turn {
                result[result.count - 1].end = offset + 1
            } else {
                result.append(Piece(turn: turn, start: offset, end: offset + 1))
            }
        }
        return result
    }

    func noteText(_ guid: String) -> String? {
        guard let note = notesByGUID[guid] else { return nil }
        let text = (note.text ?? note.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Reads every written transcript back with the pseudonyms the study will have after the
    /// import, and checks that it gives exactly the planned turns; codings were anchored on those.
    mutating func verifyAgainstFinalSpeakers() throws {
        var pseudonyms = Set(context.pseudonyms.values)
        for row in participants { if let pseudonym = row.pseudonym { pseudonyms.insert(pseudonym) } }
        let reader = PlainTextReader(interviewerNames: context.interviewerNames, knownSpeakers: pseudonyms)
        for file in transcripts {
            guard let planned = layouts[file.id] else { continue }
            let read: Transcript
            do { read = try reader.parse(file.text, id: file.id, file: file.fileName) } catch {
                throw InterchangeError.conflict("transcript \(file.id) as written would not read back (\(error)); nothing was written")
            }
            let turns = read.turns.map { Array($0.text.unicodeScalars) }
            guard turns == planned.turns else {
                throw InterchangeError.conflict("transcript \(file.id) as written reads back with other turns than planned (\(turns.count) instead of \(planned.turns.count)); nothing was written")
            }
        }
        for entry in codings {
            for coding in entry.codings where coding.start != nil {
                guard let turns = layouts[coding.transcript]?.turns, coding.turn - 1 < turns.count,
                      let start = coding.start, let end = coding.end, end <= turns[coding.turn - 1].count,
                      String(String.UnicodeScalarView(turns[coding.turn - 1][start..<end])) == coding.quote else {
                    throw InterchangeError.conflict("coding of \(coding.code) in \(coding.transcript) turn \(coding.turn) does not hold its quote; nothing was written")
                }
            }
        }
    }

    mutating func importNotes() {
        var used = Set<String>()
        for note in project.notes {
            report.record("notes", found: 1, imported: 1)
            // A note on a coding or selection is that coding's memo; any other is a memo file.
            if consumedNotes.contains(note.guid) { continue }
            var stem = REFIQDACodebook.slug(note.name, fallback: "note")
            var number = 2
            let base = stem
            while used.contains(stem) { stem = "\(base)-\(number)"; number += 1 }
            used.insert(stem)
            var text = note.text ?? ""
            if let description = note.description?.trimmingCharacters(in: .whitespacesAndNewlines), !description.isEmpty, description != text {
                text = text.isEmpty ? description : "\(text)\n\n\(description)"
            }
            if !text.hasSuffix("\n") { text += "\n" }
            memos.append(.init(fileName: "\(stem).md", text: text))
        }
        if project.notes.isEmpty { report.record("notes") }
    }

    mutating func listOtherKinds() {
        for source in project.otherSources {
            report.record("\(source.kind) sources", found: 1, omitted: .init(
                guid: source.guid, name: source.name,
                reason: "\(source.kind) sources are not imported (\(source.selections) selections, \(source.codings) codings)"))
        }
        for graph in project.graphs {
            report.record("graphs", found: 1, omitted: .init(guid: graph.guid, name: graph.name,
                                                             reason: "network diagrams are not imported (\(graph.vertices) vertices, \(graph.edges) edges)"))
        }
        for (name, count) in project.unknownElements {
            report.record("other elements", found: count, omitted: .init(
                guid: nil, name: name, reason: "\(count) <\(name)> element(s), which REFI-QDA 1.5 does not define where they stand; not imported"))
        }
        if project.linkCount > 0 {
            report.record("links", found: project.linkCount, omitted: .init(guid: nil, name: nil, reason: "links between project items are not imported"))
        }
    }

    /// Decides how this source's positions count (see `PositionUnit`).
    mutating func positionUnit(for source: REFIProject.TextSource, scalars: [Unicode.Scalar]) -> PositionUnit {
        if let forced = context.positions { return forced }
        guard scalars.contains(where: { $0.value > 0xFFFF }), !source.selections.isEmpty else { return .codePoints }
        if project.origin?.hasPrefix("Triangulate") == true { return .codePoints }
        let scores = PositionUnit.allCases.map { unit in
            let convert = PositionConverter(scalars: scalars, unit: unit)
            return source.selections.reduce(0) { total, selection in
                guard let start = convert.scalarIndex(selection.start), let end = convert.scalarIndex(selection.end),
                      start < end, end <= scalars.count else { return total }
                var score = 0
                if start == 0 || Self.isBreak(scalars[start - 1]) || Self.isBreak(scalars[start]) { score += 1 }
                if end == scalars.count || Self.isBreak(scalars[end]) || Self.isBreak(scalars[end - 1]) { score += 1 }
                let quote = String(String.UnicodeScalarView(scalars[start..<end]))
                if let expected = selection.expectedText ?? selection.name, !expected.isEmpty {
                    let stem = expected.hasSuffix("…") ? String(expected.dropLast()) : expected
                    if quote == expected || (expected.hasSuffix("…") && quote.hasPrefix(stem)) { score += 4 }
                }
                return total + score
            }
        }
        let unit: PositionUnit = scores[1] > scores[0] ? .utf16 : .codePoints
        let name = ProjectImporter.transcriptId(source.name)
        report.notes.append(unit == .utf16
            ? "\(name): positions read as UTF-16 code units (as NVivo counts them), not the code points of the REFI-QDA 1.5 specification (§10.2): the selections fit word and line boundaries \(scores[1]) times that way, \(scores[0]) times the other; --positions code-points reads them as the specification says"
            : "\(name): positions read as code points (REFI-QDA 1.5 §10.2); read as UTF-16 units they would fit word and line boundaries \(scores[1]) times, \(scores[0]) times as code points")
        return unit
    }

    static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory.isPunctuation
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isPunctuation: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }
}

/// Converts a source's positions in a unit to indices into its Unicode scalars.
struct PositionConverter {
    let unit: PositionUnit
    /// For UTF-16: the scalar index at each UTF-16 offset, -1 inside a surrogate pair.
    let utf16Index: [Int]
    let length: Int

    init(scalars: [Unicode.Scalar], unit: PositionUnit) {
        self.unit = unit
        if unit == .utf16 {
            var map: [Int] = []
            map.reserveCapacity(scalars.count + 16)
            for (index, scalar) in scalars.enumerated() {
                map.append(index)
                if scalar.value > 0xFFFF { map.append(-1) }
            }
            map.append(scalars.count)
            utf16Index = map
            length = map.count - 1
        } else {
            utf16Index = []
            length = scalars.count
        }
    }

    func scalarIndex(_ position: Int) -> Int? {
        guard position >= 0, position <= length else { return nil }
        if unit == .codePoints { return position }
        let index = utf16Index[position]
        return index < 0 ? nil : index
    }
}
