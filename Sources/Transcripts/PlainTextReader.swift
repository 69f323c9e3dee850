import Core
import Foundation

/// Reads `.txt` and `.md` transcripts written as `Name: text` speaker turns.
///
/// A line starts a new turn when it begins with a speaker label: a short name (at most five
/// words of letters, digits, spaces and `.'-`) followed by a colon and a space. Because ordinary
/// prose also contains "Note: …", a label counts only when the name is a known speaker (an
/// interviewer name from triangulate.yaml or a participant's pseudonym) or starts at least two
/// turns in the file. Lines that follow without a label continue the turn; a blank line inside a
/// turn separates paragraphs. Anything before the first turn is the preamble.
public struct PlainTextReader: Sendable {
    public var interviewerNames: Set<String>
    public var knownSpeakers: Set<String>

    public init(interviewerNames: Set<String>, knownSpeakers: Set<String> = []) {
        self.interviewerNames = interviewerNames
        self.knownSpeakers = knownSpeakers
    }

    public static let fileExtensions: Set<String> = ["txt", "md"]

    public func read(_ url: URL, displayPath: String) throws -> Transcript {
        let ext = url.pathExtension.lowercased()
        guard Self.fileExtensions.contains(ext) else {
            throw TranscriptError.unsupportedFormat(file: displayPath, fileExtension: ext)
        }
        let text = try TextFile.read(url, displayPath: displayPath)
        return try parse(text, id: url.deletingPathExtension().lastPathComponent, file: displayPath)
    }

    public func parse(_ text: String, id: String, file: String) throws -> Transcript {
        let lines = TextFile.lines(text)
        let labels = lines.map(Self.label(of:))
        var counts: [String: Int] = [:]
        for case let label? in labels { counts[label.name, default: 0] += 1 }
        let speakers = interviewerNames.union(knownSpeakers)
        func isSpeaker(_ name: String) -> Bool { speakers.contains(name) || counts[name, default: 0] >= 2 }

        var preamble: [Substring] = []
        var turns: [Turn] = []
        var current: (speaker: String, line: Int, lines: [Substring])?

        func finish() throws {
            guard let turn = current else { return }
            let body = turn.lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if body.isEmpty { throw TranscriptError.emptyTurn(file: file, line: turn.line, speaker: turn.speaker) }
            turns.append(Turn(number: turns.count + 1, speaker: turn.speaker, text: body, line: turn.line,
                              isInterviewer: interviewerNames.contains(turn.speaker)))
        }

        for (index, line) in lines.enumerated() {
            if let label = labels[index], isSpeaker(label.name) {
                try finish()
                current = (label.name, index + 1, [label.rest])
            } else if current != nil {
                current!.lines.append(line)
            } else {
                preamble.append(line)
            }
        }
        try finish()
        guard !turns.isEmpty else { throw TranscriptError.noTurns(file: file) }
        return Transcript(
            id: id,
            preamble: preamble.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines),
            turns: turns)
    }

    /// The speaker label at the start of a line, if it has the shape of one.
    static func label(of line: Substring) -> (name: String, rest: Substring)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon]
        let afterColon = line[line.index(after: colon)...]
        guard afterColon.isEmpty || afterColon.first == " " || afterColon.first == "\t" else { return nil }
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first),
              name.count <= 40, name.split(separator: " ").count <= 5, name.last != " " else { return nil }
        let allowed = CharacterSet.letters.union(.decimalDigits).union(CharacterSet(charactersIn: " .'-"))
        guard name.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        let rest = afterColon.drop(while: { $0 == " " || $0 == "\t" })
        return (String(name), rest)
    }
}
