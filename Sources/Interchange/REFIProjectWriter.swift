import Core
import Foundation
import Qualitative
import Transcripts

/// Writes a study as a REFI-QDA 1.5 project (`.qdpx`) that validates against Project-mrt2019.xsd.
///
/// Each transcript becomes a `TextSource` whose plain text (in `Sources/`) is the transcript as
/// Triangulate writes it — the preamble, then one `Speaker: words` line per turn — so that a
/// coding's turn and span become `startPosition`/`endPosition` in code points of that text, as
/// the specification counts them, and `project import` reads the same turns back. GUIDs are
/// derived from ids (SHA-256), so the same study always exports the same bytes.
public enum REFIProjectWriter {
    /// What a study holds that a project can carry.
    public struct Content: Sendable {
        public var name: String
        public var codebooks: [Codebook]
        public var transcripts: [Transcript]
        public var codings: [Coding]
        public var participants: [Participant]
        public var memos: [(name: String, text: String)]
        /// Case-level codings: `CodeRef`s on their participant's `Case`.
        public var caseCodings: [CaseCoding]

        public init(name: String, codebooks: [Codebook], transcripts: [Transcript], codings: [Coding],
                    participants: [Participant], memos: [(name: String, text: String)], caseCodings: [CaseCoding] = []) {
            self.name = name
            self.codebooks = codebooks
            self.transcripts = transcripts
            self.codings = codings
            self.participants = participants
            self.memos = memos
            self.caseCodings = caseCodings
        }
    }

    /// Writes the archive; returns a line for each thing that could not be exported.
    @discardableResult
    public static func write(_ content: Content, to url: URL) throws -> [String] {
        let (xml, texts, warnings) = document(content)
        var members = [ArchiveMember(path: "project.qde", data: Data(xml.utf8))]
        for (name, text) in texts { members.append(ArchiveMember(path: "Sources/\(name)", data: Data(text.utf8))) }
        try writeArchive(members, to: url)
        return warnings
    }

    /// The plain text of a transcript as exported, with where each turn's words begin (in code points).
    public static func plainText(of transcript: Transcript) -> (text: String, turnStarts: [Int]) {
        var out = ""
        var count = 0
        var starts: [Int] = []
        func add(_ piece: String) {
            out += piece
            count += piece.unicodeScalars.count
        }
        if !transcript.preamble.isEmpty { add(transcript.preamble + "\n\n") }
        for turn in transcript.turns {
            if let start = turn.start {
                let whole = Int(start.rounded(.down))
                add(String(format: "[%02d:%02d:%02d] ", whole / 3600, (whole / 60) % 60, whole % 60))
            }
            add("\(turn.speaker): ")
            starts.append(count)
            add(turn.text + "\n")
        }
        return (out, starts)
    }

    static func guid(_ namespace: String, _ key: String) -> String {
        REFIQDACodebook.derivedGUID(namespace: namespace, key)
    }

    /// Whether `text` is an XML Schema dateTime as `tag` writes them:
    /// `YYYY-MM-DDThh:mm:ss`, optional fraction, optional `Z` or `±hh:mm` (checked by hand: a
    /// regular expression compiled per coding was a noticeable part of an export).
    static func isDateTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.upperBound <= bytes.count && range.allSatisfy { (48...57).contains(bytes[$0]) } }
        func byte(_ index: Int, _ value: Character) -> Bool { index < bytes.count && bytes[index] == value.asciiValue }
        guard digits(0..<4), byte(4, "-"), digits(5..<7), byte(7, "-"), digits(8..<10), byte(10, "T"),
              digits(11..<13), byte(13, ":"), digits(14..<16), byte(16, ":"), digits(17..<19) else { return false }
        var index = 19
        if byte(index, ".") {
            index += 1
            let start = index
            while index < bytes.count && (48...57).contains(bytes[index]) { index += 1 }
            if index == start { return false }
        }
        if index == bytes.count { return true }
        if byte(index, "Z") { return index + 1 == bytes.count }
        guard byte(index, "+") || byte(index, "-") else { return false }
        return index + 6 == bytes.count && digits((index + 1)..<(index + 3)) && byte(index + 3, ":") && digits((index + 4)..<(index + 6))
    }

    static func document(_ content: Content) -> (xml: String, texts: [(String, String)], warnings: [String]) {
        let esc = REFIQDACodebook.escape
        var warnings: [String] = []
        let codes = content.codebooks.flatMap(\.codes)
        let codeGUIDs = Dictionary(codes.map { ($0.id, REFIQDACodebook.guid(of: $0)) }, uniquingKeysWith: { first, _ in first })
        let coders = Array(Set(content.codings.map(\.coder) + content.caseCodings.map(\.coder))).sorted()
        let userGUIDs = Dictionary(uniqueKeysWithValues: coders.map { ($0, guid("user", $0)) })
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"\(esc(content.name))\" origin=\"Triangulate\">\n"
        if !coders.isEmpty {
            xml += "  <Users>\n"
            for coder in coders { xml += "    <User guid=\"\(userGUIDs[coder] ?? "")\" name=\"\(esc(coder))\" />\n" }
            xml += "  </Users>\n"
        }
        if !codes.isEmpty {
            xml += "  <CodeBook>\n" + REFIQDACodebook.codesElement(codes, depth: 2, keepIds: true) + "  </CodeBook>\n"
        }
        var variables: [String] = []
        if content.participants.contains(where: { $0.pseudonym != nil }) { variables.append("pseudonym") }
        for participant in content.participants { for attribute in participant.attributes where !variables.contains(attribute.name) { variables.append(attribute.name) } }
        if !variables.isEmpty {
            xml += "  <Variables>\n"
            for name in variables { xml += "    <Variable guid=\"\(guid("variable", name))\" name=\"\(esc(name))\" typeOfVariable=\"Text\" />\n" }
            xml += "  </Variables>\n"
        }
        let transcriptIds = Set(content.transcripts.map(\.id))
        // Case-level codings: one CodeRef per participant and code. REFI-QDA's CodeRef on a Case
        // carries no coder, memo or excerpts; what it cannot carry is said, not dropped.
        var caseCodes: [String: [String]] = [:]
        var caseCoders: [String: Set<String>] = [:]
        for coding in content.caseCodings {
            guard codeGUIDs[coding.code] != nil else {
                warnings.append("\(coding.location): code '\(coding.code)' is in no codebook; that case-level coding was not exported")
                continue
            }
            if !(caseCodes[coding.participant] ?? []).contains(coding.code) { caseCodes[coding.participant, default: []].append(coding.code) }
            caseCoders[coding.participant, default: []].insert(coding.coder)
            if coding.memo != nil || !coding.excerpts.isEmpty {
                warnings.append("\(coding.location): the case-level coding of \(coding.code) for \(coding.participant) was exported without its \([coding.memo == nil ? nil : "memo", coding.excerpts.isEmpty ? nil : "excerpts"].compactMap { $0 }.joined(separator: " and ")), which a REFI-QDA CodeRef on a Case cannot carry")
            }
        }
        let caseCoderNames = Set(content.caseCodings.map(\.coder))
        if caseCoderNames.count > 1 || (caseCoderNames.count == 1 && coders.count > 1) {
            warnings.append("REFI-QDA does not record who applied a code to a case: the case-level codings of \(caseCoderNames.sorted().joined(separator: ", ")) were exported without their coder, and an import gives them to one coder")
        }
        var participants = content.participants
        for id in caseCodes.keys.sorted() where !participants.contains(where: { $0.id == id }) {
            participants.append(Participant(id: id, pseudonym: nil, attributes: [], line: 0))
        }
        if !participants.isEmpty {
            xml += "  <Cases>\n"
            for participant in participants {
                xml += "    <Case guid=\"\(guid("case", participant.id))\" name=\"\(esc(participant.id))\">\n"
                for code in caseCodes[participant.id] ?? [] {
                    if let codeGUID = codeGUIDs[code] { xml += "      <CodeRef targetGUID=\"\(codeGUID)\" />\n" }
                }
                var values: [(String, String)] = participant.pseudonym.map { [("pseudonym", $0)] } ?? []
                values += participant.attributes.map { ($0.name, $0.value) }
                for (name, value) in values where !value.isEmpty {
                    xml += "      <VariableValue><VariableRef targetGUID=\"\(guid("variable", name))\" /><TextValue>\(esc(value))</TextValue></VariableValue>\n"
                }
                if transcriptIds.contains(participant.id) { xml += "      <SourceRef targetGUID=\"\(guid("source", participant.id))\" />\n" }
                xml += "    </Case>\n"
            }
            xml += "  </Cases>\n"
        }
        var texts: [(String, String)] = []
        var notes: [(guid: String, name: String, text: String)] = []
        let codingsByTranscript = Dictionary(grouping: content.codings, by: \.transcript)
        for id in Set(codingsByTranscript.keys).subtracting(transcriptIds).sorted() {
            warnings.append("\(codingsByTranscript[id]?.count ?? 0) coding(s) of transcript \(id), which the study does not have, were not exported")
        }
        if !content.transcripts.isEmpty {
            xml += "  <Sources>\n"
            for transcript in content.transcripts {
                let sourceGUID = guid("source", transcript.id)
                let (text, starts) = plainText(of: transcript)
                texts.append(("\(sourceGUID).txt", text))
                xml += "    <TextSource guid=\"\(sourceGUID)\" name=\"\(esc(transcript.id))\" plainTextPath=\"internal://\(sourceGUID).txt\">\n"
                // The transcript is prepared once for all its codings (normalised and hashed only
                // when a coding carries a fingerprint to find its turn by).
                let codings = codingsByTranscript[transcript.id] ?? []
                let prepared = TranscriptText(id: transcript.id, turns: Dictionary(uniqueKeysWithValues: transcript.turns.map { ($0.number, $0.text) }),
                                              fingerprinting: codings.contains { $0.fingerprint != nil })
                let turnIndex = Dictionary(transcript.turns.enumerated().map { ($0.element.number, $0.offset) }, uniquingKeysWith: { first, _ in first })
                var selections: [String: (start: Int, end: Int, codings: [Coding])] = [:]
                var order: [String] = []
                for coding in codings {
                    let anchor = Anchoring.resolve(coding, against: prepared)
                    guard let turn = anchor.turn, let index = turnIndex[turn] else {
                        warnings.append("\(coding.location): a coding of \(coding.code) could not be placed and was not exported")
                        continue
                    }
                    var span: (Int, Int) = (0, transcript.turns[index].text.unicodeScalars.count)
                    switch anchor {
                    case .exact(_, let start?, let end?), .reanchored(_, let start?, let end?): span = (start, end)
                    default: break
                    }
                    let start = starts[index] + span.0, end = starts[index] + span.1
                    let key = "\(start)-\(end)"
                    if selections[key] == nil { order.append(key); selections[key] = (start, end, []) }
                    selections[key]?.codings.append(coding)
                }
                for key in order.sorted(by: { (selections[$0]?.start ?? 0, selections[$0]?.end ?? 0) < (selections[$1]?.start ?? 0, selections[$1]?.end ?? 0) }) {
                    guard let selection = selections[key] else { continue }
                    xml += "      <PlainTextSelection guid=\"\(guid("selection", "\(transcript.id)|\(key)"))\" startPosition=\"\(selection.start)\" endPosition=\"\(selection.end)\">\n"
                    for coding in selection.codings {
                        guard let codeGUID = codeGUIDs[coding.code] else {
                            warnings.append("\(coding.location): code '\(coding.code)' is in no codebook; that coding was not exported")
                            continue
                        }
                        let codingGUID = guid("coding", coding.jsonLine)
                        xml += "        <Coding guid=\"\(codingGUID)\" creatingUser=\"\(userGUIDs[coding.coder] ?? guid("user", coding.coder))\""
                        if let at = coding.at, isDateTime(at) { xml += " creationDateTime=\"\(esc(at))\"" }
                        xml += ">\n          <CodeRef targetGUID=\"\(codeGUID)\" />\n"
                        if let memo = coding.memo {
                            let noteGUID = guid("memo", coding.jsonLine)
                            notes.append((noteGUID, "Memo on \(coding.code) in \(transcript.id), turn \(coding.turn)", memo))
                            xml += "          <NoteRef targetGUID=\"\(noteGUID)\" />\n"
                        }
                        xml += "        </Coding>\n"
                    }
                    xml += "      </PlainTextSelection>\n"
                }
                // Memos that came with the transcript (numbered annotations, Word comments) travel
                // as the source's notes, named by their number and turn.
                for (position, memo) in transcript.memos.enumerated() {
                    let noteGUID = guid("transcript-memo", "\(transcript.id)|\(position)")
                    let label = memo.number.map { "Annotation \($0)" } ?? "Comment"
                    notes.append((noteGUID, "\(label) in \(transcript.id)\(memo.turn.map { ", turn \($0)" } ?? "")", memo.text))
                    xml += "      <NoteRef targetGUID=\"\(noteGUID)\" />\n"
                }
                xml += "    </TextSource>\n"
            }
            xml += "  </Sources>\n"
        }
        for memo in content.memos { notes.append((guid("note", memo.name), memo.name, memo.text)) }
        if !notes.isEmpty {
            xml += "  <Notes>\n"
            for note in notes {
                xml += "    <Note guid=\"\(note.guid)\" name=\"\(esc(note.name))\"><PlainTextContent>\(esc(note.text))</PlainTextContent></Note>\n"
            }
            xml += "  </Notes>\n"
        }
        let sets = content.codebooks.flatMap(\.sets)
        if !sets.isEmpty {
            xml += "  <Sets>\n" + REFIQDACodebook.setElements(sets, codes: codes, depth: 2, memberSources: { _ in [] }) + "  </Sets>\n"
        }
        xml += "</Project>\n"
        return (xml, texts, warnings)
    }
}
