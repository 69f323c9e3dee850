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
    /// Where the turn starts in the source: its line in a text or caption file, its paragraph
    /// (counting from 1) in a .docx document.
    public var line: Int
    public var isInterviewer: Bool
    /// Seconds from the start of the recording at which the turn begins, when the source says.
    public var start: TimeInterval?
    /// Seconds from the start of the recording at which the turn ends, when the source says.
    public var end: TimeInterval?

    public init(number: Int, speaker: String, text: String, line: Int, isInterviewer: Bool,
                start: TimeInterval? = nil, end: TimeInterval? = nil) {
        self.number = number
        self.speaker = speaker
        self.text = text
        self.line = line
        self.isInterviewer = isInterviewer
        self.start = start
        self.end = end
    }
}

/// An interview transcript as read from its source file.
public struct Transcript: Sendable, Equatable {
    /// The transcript's id: its file name without the extension (also the participant's id).
    public var id: String
    /// Text before the first turn (a title, a note that the transcript is illustrative…).
    public var preamble: String
    public var turns: [Turn]
    /// The SHA-256 of the source file's bytes (lowercase hex), when the transcript was read from a file.
    public var sourceSHA256: String?

    public init(id: String, preamble: String, turns: [Turn], sourceSHA256: String? = nil) {
        self.id = id
        self.preamble = preamble
        self.turns = turns
        self.sourceSHA256 = sourceSHA256
    }

    /// The speakers other than the interviewer, in order of first appearance.
    public var participantSpeakers: [String] {
        var seen: [String] = []
        for turn in turns where !turn.isInterviewer && !seen.contains(turn.speaker) { seen.append(turn.speaker) }
        return seen
    }
}

/// Problems reading a transcript or a pseudonym key file.
public enum TranscriptError: LocatedError, Equatable {
    /// No speaker turns were recognised; `firstLine` is the first non-empty line, shortened.
    case noTurns(file: String, firstLine: String?)
    case unsupportedFormat(file: String, fileExtension: String)
    case emptyTurn(file: String, line: Int, speaker: String)
    /// A caption or key file departs from its format at `location`.
    case malformed(location: SourceLocation, expected: String, found: String)
    /// A .docx file that cannot be opened as a Word document.
    case unreadableDocument(file: String, reason: String)
    /// The file itself could not be read (missing, unreadable, not UTF-8).
    case cannotRead(FileError)

    public var location: SourceLocation? {
        switch self {
        case .noTurns(let file, _), .unsupportedFormat(let file, _), .unreadableDocument(let file, _):
            return SourceLocation(file: file)
        case .emptyTurn(let file, let line, _): return SourceLocation(file: file, line: line, column: 1)
        case .malformed(let location, _, _): return location
        case .cannotRead(let error): return error.location
        }
    }

    public var message: String {
        switch self {
        case .noTurns(_, let firstLine):
            // The line itself is not quoted: interview text stays out of error output.
            let found = firstLine == nil ? "none; the file is empty" : "none: no line starts with a speaker label that recurs or is known"
            return "expected speaker turns, one per line as 'Name: what they said' (for example 'Interviewer: How do you pick a model?'), found \(found)"
        case .unsupportedFormat(_, let ext):
            let known = TranscriptReader.fileExtensions.sorted().map { ".\($0)" }.joined(separator: ", ")
            return "expected a transcript in one of \(known), found a '.\(ext)' file"
        case .emptyTurn(_, _, let speaker):
            return "expected words after '\(speaker):', found an empty turn"
        case .malformed(_, let expected, let found):
            return "expected \(expected), found \(found)"
        case .unreadableDocument(_, let reason):
            return "cannot read the Word document: \(reason)"
        case .cannotRead(let error):
            return error.message
        }
    }

    /// At most 60 characters of `text`, quoted material for an error message.
    static func excerpt<S: StringProtocol>(_ text: S) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 60 ? String(trimmed.prefix(57)) + "…" : trimmed
    }
}
