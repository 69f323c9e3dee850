import Core
import Foundation

/// Reads `.txt` and `.md` transcripts written as speaker turns.
///
/// A line starts a new turn when it begins with a speaker label. The label styles that
/// transcription services and researchers write are all recognised:
///
///     Name: text                      **Name:** text          **Name**: text
///     [00:01:02] Name: text           Name (00:01:02): text   Speaker 1: text
///     Name 00:01:02                   (Otter, Rev: the name and a timestamp alone on a line,
///     text on the following lines      the words on the lines after it)
///     ### Name                        **Name** text           (Markdown: a heading, or a bold
///     paragraphs that follow                                   name without a colon)
///
/// A name is short (at most five words, 40 characters, of letters, digits, single spaces and
/// `.'-`, starting with a letter). Because ordinary prose also contains "Note: …", a label counts only
/// when the name is a known speaker (an interviewer name from triangulate.yaml or a participant's
/// pseudonym) or starts at least two turns in the file. Lines that follow without a label continue
/// the turn, so a turn may span paragraphs; a timestamp in the label becomes the turn's `start`.
/// Anything before the first turn is the preamble. Markers such as `[inaudible 00:02:29]` and
/// memo numbers are words of the turn and stay in its text.
///
/// Memos written as Markdown footnotes (as `TranscriptWriter` writes them) are read as memos: a
/// line `[^id]: text`, continued by lines indented by four spaces or a tab, is a memo, never
/// speech; a marker `[^id]` in a turn leaves the text and places the memo there. A marker whose
/// id has no definition stays in the text.
///
/// A label with no words after it before the next label (a section marker such as `**Break:**`)
/// makes no turn; it is listed in the transcript's warnings with its line. Labels of more than one
/// style family (`Name:`, bold, headings, name-and-time lines) in one file are all taken, and the
/// mix is reported as a warning, since one of the styles may be prose that looks like a label.
public struct PlainTextReader: Sendable {
    public var interviewerNames: Set<String>
    public var knownSpeakers: Set<String>
    public var encoding: TextEncoding

    public init(interviewerNames: Set<String>, knownSpeakers: Set<String> = [], encoding: TextEncoding = .automatic) {
        self.interviewerNames = interviewerNames
        self.knownSpeakers = knownSpeakers
        self.encoding = encoding
    }

    public static let fileExtensions: Set<String> = ["txt", "md"]

    public func read(_ url: URL, displayPath: String) throws -> Transcript {
        let ext = url.pathExtension.lowercased()
        guard Self.fileExtensions.contains(ext) else {
            throw TranscriptError.unsupportedFormat(file: displayPath, fileExtension: ext)
        }
        let source = try SourceFile(url, displayPath: displayPath)
        var transcript = try parse(try source.text(encoding: encoding), id: source.id, file: displayPath)
        transcript.sourceSHA256 = source.sha256
        return transcript
    }

    public func parse(_ text: String, id: String, file: String) throws -> Transcript {
        let lines = TextFile.lines(text).enumerated().map { SourceLine(text: $0.element, line: $0.offset + 1) }
        return try parse(lines: lines, id: id, file: file)
    }

    /// Groups lines into turns; shared by the text and the .docx readers.
    func parse(lines allLines: [SourceLine], id: String, file: String) throws -> Transcript {
        let (lines, notes) = Self.footnotes(in: allLines)
        let candidates = lines.map { Self.labels(of: $0.text) }
        var counts: [String: Int] = [:]
        for label in candidates.joined() { counts[label.name, default: 0] += 1 }
        let speakers = interviewerNames.union(knownSpeakers)

        var preamble: [Substring] = []
        var turns: [Turn] = []
        var warnings: [TranscriptWarning] = []
        var styles: [(style: SpeakerLabel.Style, line: Int, count: Int)] = []
        var current: (label: SpeakerLabel, line: Int, lines: [Substring])?

        func finish() {
            guard let turn = current else { return }
            let body = trimmed(turn.lines.joined(separator: "\n"))
            if body.isEmpty {
                warnings.append(TranscriptWarning(location: SourceLocation(file: file, line: turn.line, column: 1),
                                                  message: "'\(turn.label.name)' has no words before the next speaker; it makes no turn"))
                return
            }
            turns.append(Turn(number: turns.count + 1, speaker: turn.label.name, text: body, line: turn.line,
                              isInterviewer: interviewerNames.contains(turn.label.name), start: turn.label.start))
        }

        for (index, line) in lines.enumerated() {
            if let label = Self.speakerLabel(among: candidates[index], speakers: speakers, counts: counts) {
                finish()
                current = (label, line.line, [label.rest])
                if let known = styles.firstIndex(where: { $0.style == label.style }) {
                    styles[known].count += 1
                } else {
                    styles.append((label.style, line.line, 1))
                }
            } else if current != nil {
                current!.lines.append(line.text)
            } else {
                preamble.append(line.text)
            }
        }
        finish()
        guard !turns.isEmpty else {
            let first = lines.first { !$0.text.allSatisfy(\.isWhitespace) }
            throw TranscriptError.noTurns(file: file, firstLine: first.map { TranscriptError.excerpt($0.text) })
        }
        if styles.count > 1 {
            let listed = styles.map { "\($0.style.example) (first at line \($0.line), \($0.count) time\($0.count == 1 ? "" : "s"))" }
            warnings.append(TranscriptWarning(location: SourceLocation(file: file, line: styles[1].line, column: 1),
                                              message: "speaker labels in \(styles.count) styles: \(listed.joined(separator: ", ")); all were taken as speakers, check that the turns are right"))
        }
        var transcript = Transcript(id: id, preamble: trimmed(preamble.joined(separator: "\n")), turns: turns)
        if !notes.isEmpty {
            let ids = Set(notes.map(\.id))
            var places: [String: (turn: Int, offset: Int)] = [:]
            for index in transcript.turns.indices {
                let (text, found) = Self.removingMarkers(from: transcript.turns[index].text, ids: ids)
                transcript.turns[index].text = text
                for (note, offset) in found where places[note] == nil { places[note] = (transcript.turns[index].number, offset) }
            }
            for note in notes {
                let place = places[note.id]
                transcript.memos.append(Memo(kind: .annotation, number: Int(note.id), text: note.text, turn: place?.turn,
                                             start: place?.offset ?? 0, end: place?.offset ?? 0, line: note.line))
            }
        }
        warnings.sort { ($0.location.line ?? 0) < ($1.location.line ?? 0) }
        transcript.warnings = warnings
        return transcript
    }

    /// The lines that are not footnote definitions, and the definitions (`[^id]: text` and its
    /// indented continuation lines).
    static func footnotes(in lines: [SourceLine]) -> ([SourceLine], [(id: String, text: String, line: Int)]) {
        guard lines.contains(where: { $0.text.hasPrefix("[^") }) else { return (lines, []) }
        var kept: [SourceLine] = []
        var notes: [(id: String, text: String, line: Int)] = []
        var inNote = false
        for line in lines {
            if let (id, text) = footnoteDefinition(line.text) {
                notes.append((id, String(text), line.line))
                inNote = true
            } else if inNote, line.text.hasPrefix("    ") || line.text.hasPrefix("\t") {
                notes[notes.count - 1].text += "\n" + trimmed(String(line.text))
            } else if inNote, line.text.allSatisfy(\.isWhitespace) {
                continue
            } else {
                inNote = false
                kept.append(line)
            }
        }
        return (kept, notes.map { ($0.id, trimmed($0.text), $0.line) })
    }

    /// `[^id]: text` with an id of letters, digits, `-` and `_`.
    private static func footnoteDefinition(_ line: Substring) -> (String, Substring)? {
        guard line.hasPrefix("[^"), let close = line.firstIndex(of: "]") else { return nil }
        let id = line[line.index(line.startIndex, offsetBy: 2)..<close]
        let after = line[line.index(after: close)...]
        guard !id.isEmpty, id.count <= 32, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
              after.first == ":" else { return nil }
        return (String(id), after.dropFirst().drop(while: isBlank))
    }

    /// `text` without its `[^id]` markers for known ids, and where each stood (in scalars of the
    /// result).
    private static func removingMarkers(from text: String, ids: Set<String>) -> (String, [(String, Int)]) {
        guard text.contains("[^") else { return (text, []) }
        var out = String.UnicodeScalarView()
        var found: [(String, Int)] = []
        var count = 0
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "[", index + 1 < scalars.count, scalars[index + 1] == "^",
               let close = scalars[(index + 2)...].prefix(34).firstIndex(of: "]") {
                let id = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
                if ids.contains(id) {
                    found.append((id, count))
                    index = close + 1
                    continue
                }
            }
            out.append(scalars[index])
            count += 1
            index += 1
        }
        let leading = out.prefix { $0.properties.isWhitespace }.count
        let result = trimmed(String(out))
        let length = result.unicodeScalars.count
        return (result, found.map { ($0.0, min(max(0, $0.1 - leading), length)) })
    }

    /// The speaker labels a line may start with (see the type's documentation for the styles).
    /// A line has two readings when a name is followed by what may be a clock time or a memo
    /// number: Rev's `Speaker 1:13` is "Speaker 1" with memo 13, Otter's `Anna 10:30` is "Anna" at
    /// 10:30; `speakerLabel(among:speakers:counts:)` picks the reading whose speaker recurs.
    static func labels(of line: Substring) -> [SpeakerLabel] {
        var body = line
        var start: TimeInterval?
        if let open = body.first, open == "[" || open == "(" {
            guard let close = body.firstIndex(of: open == "[" ? "]" : ")"),
                  let time = Timestamp.seconds(body[body.index(after: body.startIndex)..<close]) else { return [] }
            start = time
            body = body[body.index(after: close)...].drop(while: isBlank)
        }
        if body.hasPrefix("**") { return boldLabel(body, start: start).map { [$0] } ?? [] }
        if start == nil, body.hasPrefix("#") { return headingLabel(body).map { [$0] } ?? [] }
        var labels: [SpeakerLabel] = []
        if let label = colonLabel(body, start: start) { labels.append(label) }
        if start == nil, let label = timestampLineLabel(body) { labels.append(label) }
        return labels
    }

    /// The candidate that counts as a speaker: a known speaker first, else the one starting the
    /// most lines, provided it starts at least two.
    static func speakerLabel(among candidates: [SpeakerLabel], speakers: Set<String>, counts: [String: Int]) -> SpeakerLabel? {
        var best: SpeakerLabel?
        var bestScore = 1
        for candidate in candidates {
            let score = speakers.contains(candidate.name) ? Int.max : counts[candidate.name, default: 0]
            if score > bestScore {
                best = candidate
                bestScore = score
            }
        }
        return best
    }

    /// `Name: rest` or `Name (00:01:02): rest`: the first colon within the line's first 64
    /// characters that ends a name (colons inside a timestamp do not).
    private static func colonLabel(_ body: Substring, start: TimeInterval?) -> SpeakerLabel? {
        var scanned = 0
        for colon in body.unicodeScalars.indices {
            scanned += 1
            if scanned > 64 { return nil }
            guard body.unicodeScalars[colon] == ":" else { continue }
            let afterColon = body[body.index(after: colon)...]
            let isMemoNumber = (1...4).contains(afterColon.count) && afterColon.allSatisfy { ("0"..."9").contains($0) }
            guard afterColon.isEmpty || afterColon.first.map(isBlank) == true || afterColon.first.map(isAnchor) == true || isMemoNumber else { continue }
            var name = body[..<colon]
            var time = start
            if start == nil, let close = name.last, close == ")" || close == "]",
               let open = name.lastIndex(of: close == ")" ? "(" : "["),
               let seconds = Timestamp.seconds(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                time = seconds
                name = name[..<open]
                while name.last.map(isBlank) == true { name = name.dropLast() }
            }
            guard isName(name) else { continue }
            return SpeakerLabel(name: String(name), rest: afterColon.drop(while: isBlank), start: time, style: .colon)
        }
        return nil
    }

    /// `**Name:** rest`, `**Name**: rest` or `**Name** rest` (Markdown bold).
    private static func boldLabel(_ body: Substring, start: TimeInterval?) -> SpeakerLabel? {
        let inside = body.dropFirst(2)
        guard let close = inside.range(of: "**"), inside.distance(from: inside.startIndex, to: close.lowerBound) <= 64 else {
            return nil
        }
        var name = inside[..<close.lowerBound]
        var rest = inside[close.upperBound...]
        if name.last == ":" {
            name = name.dropLast()
        } else if rest.first == ":" {
            rest = rest.dropFirst()
        }
        guard rest.isEmpty || rest.first.map(isBlank) == true || rest.first.map(isAnchor) == true, isName(name) else { return nil }
        return SpeakerLabel(name: String(name), rest: rest.drop(while: isBlank), start: start, style: .bold)
    }

    /// `### Name` (any level from 1 to 6), the turn's words in the paragraphs that follow; a time
    /// after the name (`### Name (00:01:02)` or `### Name 00:01:02`) becomes the turn's start.
    private static func headingLabel(_ body: Substring) -> SpeakerLabel? {
        let hashes = body.prefix { $0 == "#" }
        guard (1...6).contains(hashes.count) else { return nil }
        var name = body.dropFirst(hashes.count)
        guard name.first.map(isBlank) == true else { return nil }
        name = name.drop(while: isBlank)
        while let last = name.last, last == "#" || isBlank(last) { name = name.dropLast() }
        if name.last == ":" { name = name.dropLast() }
        var time: TimeInterval?
        if let close = name.last, close == ")" || close == "]", let open = name.lastIndex(of: close == ")" ? "(" : "["),
           let seconds = Timestamp.seconds(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
            time = seconds
            name = name[..<open]
        } else if let space = name.lastIndex(where: isBlank), let seconds = Timestamp.seconds(name[name.index(after: space)...]) {
            time = seconds
            name = name[..<space]
        }
        while name.last.map(isBlank) == true { name = name.dropLast() }
        guard isName(name) else { return nil }
        return SpeakerLabel(name: String(name), rest: body[body.endIndex...], start: time, style: .heading)
    }

    /// `Name 00:01:02` alone on its line, as Otter and Rev write it; the words follow on the next lines.
    private static func timestampLineLabel(_ body: Substring) -> SpeakerLabel? {
        var line = body
        while line.last.map(isBlank) == true { line = line.dropLast() }
        guard line.utf8.count <= 128, let space = line.lastIndex(where: isBlank),
              let time = Timestamp.seconds(line[line.index(after: space)...]) else { return nil }
        var name = line[..<space]
        while name.last.map(isBlank) == true { name = name.dropLast() }
        guard isName(name) else { return nil }
        return SpeakerLabel(name: String(name), rest: line[line.endIndex...], start: time, style: .nameAndTime)
    }

    private static let nameScalars = CharacterSet.letters.union(.decimalDigits).union(CharacterSet(charactersIn: " .'-"))

    private static func isName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first),
              name.unicodeScalars.count <= 40, name.last != " " else { return false }
        var words = 1
        var previous: Unicode.Scalar = "-"
        for scalar in name.unicodeScalars {
            guard nameScalars.contains(scalar), !(scalar == " " && previous == " ") else { return false }
            if scalar == " " { words += 1 }
            previous = scalar
        }
        return words <= 5
    }

    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }

    /// A memo anchor the .docx reader placed in the text (a private-use scalar of plane 16).
    private static func isAnchor(_ character: Character) -> Bool {
        character.unicodeScalars.first.map { $0.value >= 0x10_0000 } == true
    }
}

/// `text` without leading and trailing white space and line breaks (Foundation's
/// `trimmingCharacters` bridges through NSString on Linux, which costs more than the parse).
func trimmed(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
          let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return text }
    return String(scalars[first...last])
}

/// One line of a source, with the line (or .docx paragraph) number it came from.
struct SourceLine {
    var text: Substring
    var line: Int
}

/// A recognised speaker label: the name, the words after it, and the timestamp it carried.
struct SpeakerLabel {
    /// The families of label styles; two in one file are reported.
    enum Style: Equatable {
        case colon, bold, heading, nameAndTime

        var example: String {
            switch self {
            case .colon: return "'Name:'"
            case .bold: return "'**Name**'"
            case .heading: return "'### Name' headings"
            case .nameAndTime: return "'Name 00:01:02' lines"
            }
        }
    }

    var name: String
    var rest: Substring
    var start: TimeInterval?
    var style: Style
}

/// Clock times as transcripts write them: `1:02`, `01:02:03`, `00:01:02.500`, `00:01:02,500`.
enum Timestamp {
    /// The time in seconds, or nil unless the whole text is one timestamp.
    static func seconds<S: StringProtocol>(_ text: S) -> TimeInterval? {
        var fields: [Int] = []
        var fraction: TimeInterval = 0
        var value = 0, digits = 0
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar {
            case "0"..."9":
                guard digits < 3 else { return nil }
                value = value * 10 + Int(scalar.value - 48)
                digits += 1
            case ":":
                guard digits > 0, fields.count < 2 else { return nil }
                fields.append(value)
                value = 0
                digits = 0
            case ".", ",":
                guard digits == 2, !fields.isEmpty else { return nil }
                var scale = 0.1, fractionDigits = 0
                while let next = scalars.next() {
                    guard ("0"..."9").contains(next), fractionDigits < 3 else { return nil }
                    fraction += Double(next.value - 48) * scale
                    scale /= 10
                    fractionDigits += 1
                }
                guard fractionDigits > 0 else { return nil }
            default:
                return nil
            }
        }
        guard digits == 2, !fields.isEmpty, value < 60, fields.count == 1 || fields[1] < 60 else { return nil }
        fields.append(value)
        return TimeInterval(fields.reduce(0) { $0 * 60 + $1 }) + fraction
    }
}

/// A transcript file's bytes, read once for both its text and its SHA-256.
struct SourceFile {
    var data: Data
    var id: String
    var displayPath: String

    init(_ url: URL, displayPath: String) throws {
        do { data = try Data(contentsOf: url) } catch {
            throw TranscriptError.cannotRead(.cannotRead(path: displayPath, reason: "no such file, or no permission to read it"))
        }
        id = url.deletingPathExtension().lastPathComponent
        self.displayPath = displayPath
    }

    var sha256: String { ContentHash.sha256(data) }

    func text(encoding: TextEncoding) throws -> String {
        do { return try TextFile.decode(data, path: displayPath, encoding: encoding) } catch let error as FileError {
            throw TranscriptError.cannotRead(error)
        }
    }
}
