import Core
import Foundation
import Index
import Interchange
import Project
import Qualitative
import Transcripts

/// Moves a whole qualitative project in and out of the study (`project import|export`): REFI-QDA
/// `.qdpx` projects and QualCoder `.qda` databases. The work is Interchange's; this only reads
/// the study's files and writes the plan into them, all or nothing.
public struct ProjectExchange {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    /// Where memos that belong to no coding live: one Markdown file per memo.
    public var memosFolder: URL { study.layout.corpus.appendingPathComponent("memos") }

    /// Imports `source` into the study. Every file is checked before the first is written, and
    /// all of them — the codebook, transcripts, codings, participants, memos and the `coders:`
    /// line of triangulate.yaml — are written as one journalled change (`Study.apply`): a kill
    /// at any moment leaves the study before the import or, at the next command, after it.
    /// The index is left to the next command.
    public func importProject(_ source: URL, prefix: String?, positions: PositionUnit?) throws -> ImportReport {
        let lock = try study.lock()
        defer { withExtendedLifetime(lock) {} }
        let content = try StudyContent.read(study)
        let context = ImportContext(
            interviewerNames: Set(study.settings.interviewer),
            pseudonyms: Dictionary(content.participants.compactMap { p in p.pseudonym.map { (p.id, $0) } }, uniquingKeysWith: { first, _ in first }),
            codeIds: Set(content.codebooks.flatMap { $0.codes.map(\.id) }),
            transcriptIds: Set(content.transcripts.map(\.id)), prefix: prefix, positions: positions)
        let plan: ImportPlan
        if source.pathExtension.lowercased() == "qda" || source.lastPathComponent.lowercased() == "data.qda" {
            plan = try ProjectImporter.plan(QualCoderReader.read(source, displayPath: source.path), context: context, sourceName: source.lastPathComponent)
        } else {
            plan = try ProjectImporter.plan(REFIProjectReader.read(source, displayPath: source.path), context: context, sourceName: source.lastPathComponent)
        }
        var writes: [(URL, Data)] = []
        if let codebook = plan.codebook {
            let target = study.layout.codebooks.appendingPathComponent(plan.codebookFileName)
            if FileManager.default.fileExists(atPath: target.path) {
                throw StudyError.invalid("\(study.relativePath(target)) exists already; rename it or import into another study; nothing was written", at: nil)
            }
            let yaml = codebook.yamlText(comment: "Imported from \(source.lastPathComponent); guid keeps each code's identity for exchange with other QDA tools.")
            _ = try Codebook.parse(yaml, file: study.relativePath(target))
            writes.append((target, Data(yaml.utf8)))
        }
        for transcript in plan.transcripts {
            writes.append((study.layout.transcripts.appendingPathComponent(transcript.fileName), Data(transcript.text.utf8)))
        }
        var coderFiles: [String] = []
        var lines: [String: [String]] = [:]
        for (coder, codings) in plan.codings {
            if lines[coder] == nil { coderFiles.append(coder) }
            lines[coder, default: []] += codings.map(\.jsonLine)
        }
        for (coder, codings) in plan.caseCodings {
            if lines[coder] == nil { coderFiles.append(coder) }
            lines[coder, default: []] += codings.map(\.jsonLine)
        }
        for coder in coderFiles {
            let target = study.layout.codingFile(for: coder)
            var text = FileManager.default.fileExists(atPath: target.path) ? try TextFile.read(target, displayPath: study.relativePath(target)) : ""
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            // The lines are written from checked Coding values (turn from 1, start before end), so
            // they are not parsed again here; the index reads them next.
            var added = ""
            added.reserveCapacity((lines[coder]?.count ?? 0) * 160)
            for line in lines[coder] ?? [] { added += line; added += "\n" }
            writes.append((target, Data((text + added).utf8)))
        }
        if !plan.participants.isEmpty {
            let text = Self.participantsCSV(existing: content.participants, adding: plan.participants)
            _ = try ParticipantsFile.parse(text, file: "corpus/participants.csv")
            writes.append((study.layout.participants, Data(text.utf8)))
        }
        for memo in plan.memos {
            var target = memosFolder.appendingPathComponent(memo.fileName)
            var number = 2
            while FileManager.default.fileExists(atPath: target.path) || writes.contains(where: { $0.0 == target }) {
                target = memosFolder.appendingPathComponent(memo.fileName.replacingOccurrences(of: ".md", with: "-\(number).md"))
                number += 1
            }
            writes.append((target, Data(memo.text.utf8)))
        }
        var changes = writes.map { FileChange(path: study.relativePath($0.0), content: $0.1) }
        var report = plan.report
        if let settings = try study.addingCoders(plan.coders) {
            changes.append(settings)
            let added = plan.coders.filter { !study.settings.coders.contains($0) }
            report.notes.append("coders \(added.joined(separator: ", ")) added to 'coders:' in triangulate.yaml")
        }
        try study.apply(changes)
        // The index is not refreshed here: it is derived, and the next command that reads it
        // brings it up to date from the files just written (a full build for a new study), as
        // after any edit by hand. An import of 50,000 codings spent half its time on it.
        return report
    }

    /// The whole study as a REFI-QDA project archive at `target`; returns what could not go.
    public func exportProject(to target: URL) throws -> [String] {
        let content = try StudyContent.read(study)
        let memos = try Self.memoFiles(in: memosFolder)
        let export = REFIProjectWriter.Content(
            name: study.settings.title, codebooks: content.codebooks, transcripts: content.transcripts,
            codings: content.codings, participants: content.participants, memos: memos, caseCodings: content.caseCodings)
        return try REFIProjectWriter.write(export, to: target)
    }

    static func memoFiles(in folder: URL) throws -> [(name: String, text: String)] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        return try files.map { (String($0.dropLast(3)), try TextFile.read(folder.appendingPathComponent($0), displayPath: "corpus/memos/\($0)")) }
    }

    /// participants.csv with the new rows appended and their attribute columns added; existing
    /// rows keep their values, and gain values only where they had none.
    static func participantsCSV(existing: [Participant], adding rows: [ImportPlan.ParticipantRow]) -> String {
        var columns = ["id", "pseudonym"]
        for participant in existing { for attribute in participant.attributes where !columns.contains(attribute.name) { columns.append(attribute.name) } }
        for row in rows { for attribute in row.attributes where !columns.contains(attribute.name) { columns.append(attribute.name) } }
        var records: [[String: String]] = existing.map { participant in
            var record = ["id": participant.id, "pseudonym": participant.pseudonym ?? ""]
            for attribute in participant.attributes { record[attribute.name] = attribute.value }
            return record
        }
        for row in rows {
            var record = ["id": row.id, "pseudonym": row.pseudonym ?? ""]
            for attribute in row.attributes { record[attribute.name] = attribute.value }
            if let index = records.firstIndex(where: { $0["id"] == row.id }) {
                for (key, value) in record where (records[index][key] ?? "").isEmpty { records[index][key] = value }
            } else {
                records.append(record)
            }
        }
        func field(_ value: String) -> String {
            value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }
        return ([columns.map(field).joined(separator: ",")] + records.map { record in columns.map { field(record[$0] ?? "") }.joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }
}

/// The study's qualitative material read from its files (not the index, which may be stale).
struct StudyContent {
    var codebooks: [Codebook]
    var transcripts: [Transcript]
    var codings: [Coding]
    var caseCodings: [CaseCoding]
    var participants: [Participant]

    static func read(_ study: Study) throws -> StudyContent {
        let manager = FileManager.default
        func files(_ folder: URL, _ extensions: Set<String>) -> [URL] {
            ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
                .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) && !$0.hasPrefix(".") }
                .map { folder.appendingPathComponent($0) }
        }
        let participants = manager.fileExists(atPath: study.layout.participants.path)
            ? try ParticipantsFile.read(study.layout.participants, displayPath: "corpus/participants.csv") : []
        let pseudonyms = Set(participants.compactMap(\.pseudonym))
        let codebooks = try files(study.layout.codebooks, ["yaml", "yml"]).map { try Codebook.read($0, displayPath: study.relativePath($0)) }
        let transcripts = try files(study.layout.transcripts, TranscriptReader.fileExtensions).map {
            try TranscriptReader.read($0, displayPath: study.relativePath($0), interviewerNames: Set(study.settings.interviewer), knownSpeakers: pseudonyms)
        }
        var codings: [Coding] = []
        var caseCodings: [CaseCoding] = []
        for file in files(study.layout.codings, ["jsonl"]) {
            for record in try CodingFile.readRecords(file, displayPath: study.relativePath(file)) {
                switch record {
                case .text(let coding): codings.append(coding)
                case .participant(let coding): caseCodings.append(coding)
                }
            }
        }
        return StudyContent(codebooks: codebooks, transcripts: transcripts, codings: codings, caseCodings: caseCodings, participants: participants)
    }
}
