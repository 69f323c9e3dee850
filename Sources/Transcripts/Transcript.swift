import Core
import Foundation

/// One speaker turn of an interview: everything a speaker says until the next speaker begins.
public struct Turn: Sendable, Equatable {
    /// Position in the transcript, counting from 1 and including the interviewer's turns.
    public var number: Int
    public var speaker: String
    /// The turn's words: its lines joined by newlines, trimmed. Coding offsets count Unicode
    /// scalars in this string.
    public var text: String
    /// The line of the source file where the turn starts.
    public var line: Int
    public var isInterviewer: Bool

    public init(number: Int, speaker: String, text: String, line: Int, isInterviewer: Bool) {
        self.number = number
        self.speaker = speaker
        self.text = text
        self.line = line
        self.isInterviewer = isInterviewer
    }
}

/// An interview transcript as read from its source file.
public struct Transcript: Sendable, Equatable {
    /// The transcript's id: its file name without the extension (also the participant's id).
    public var id: String
    /// Text before the first turn (a title, a note that the transcript is illustrative…).
    public var preamble: String
    public var turns: [Turn]

    public init(id: String, preamble: String, turns: [Turn]) {
        self.id = id
        self.preamble = preamble
        self.turns = turns
    }

    /// The speakers other than the interviewer, in order of first appearance.
    public var participantSpeakers: [String] {
        var seen: [String] = []
        for turn in turns where !turn.isInterviewer && !seen.contains(turn.speaker) { seen.append(turn.speaker) }
        return seen
    }
}

/// Problems reading a transcript.
public enum TranscriptError: LocatedError, Equatable {
    case noTurns(file: String)
    case unsupportedFormat(file: String, fileExtension: String)
    case emptyTurn(file: String, line: Int, speaker: String)

    public var location: SourceLocation? {
        switch self {
        case .noTurns(let file), .unsupportedFormat(let file, _): return SourceLocation(file: file)
        case .emptyTurn(let file, let line, _): return SourceLocation(file: file, line: line, column: 1)
        }
    }

    public var message: String {
        switch self {
        case .noTurns:
            return "expected speaker turns, one per line as 'Name: what they said' (for example 'Interviewer: How do you pick a model?'), found none"
        case .unsupportedFormat(_, let ext):
            return "expected a transcript in .txt or .md, found a '.\(ext)' file"
        case .emptyTurn(_, _, let speaker):
            return "expected words after '\(speaker):', found an empty turn"
        }
    }
}
