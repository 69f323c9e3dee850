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

/// A researcher's note that arrived with a transcript (a numbered annotation of a Rev export, a
/// Word comment): attached to the words it is about, never part of what anyone said.
public struct Memo: Sendable, Equatable {
    /// Where the memo came from.
    public enum Kind: String, Sendable {
        /// A numbered annotation: a superscript number in the text, its note under "Annotations".
        case annotation
        /// A Word comment (`word/comments.xml`) on a span of the document.
        case comment
    }

    public var kind: Kind
    /// The number of an annotation (its superscript marker); nil for a comment.
    public var number: Int?
    public var text: String
    /// The comment's author as Word recorded it; nil for an annotation.
    public var author: String?
    /// The turn (its `number`) the memo starts in; nil when no marker in the text refers to it.
    public var turn: Int?
    /// Where the memo's span starts in that turn's text, in Unicode scalars (a marker is a point:
    /// `start == end`, just after the words it follows).
    public var start: Int
    /// The turn the span ends in: `turn` unless a comment runs across turns.
    public var endTurn: Int?
    /// Where the span ends in `endTurn`'s text, in Unicode scalars (exclusive).
    public var end: Int
    /// The paragraph (counting from 1) that holds the memo's text in the source.
    public var line: Int

    public init(kind: Kind, number: Int? = nil, text: String, author: String? = nil, turn: Int?, start: Int,
                endTurn: Int? = nil, end: Int, line: Int) {
        self.kind = kind
        self.number = number
        self.text = text
        self.author = author
        self.turn = turn
        self.start = start
        self.endTurn = endTurn ?? turn
        self.end = end
        self.line = line
    }
}

/// Something an import could read but wants the researcher to know (an empty turn, a memo no
/// marker points to); the import goes on.
public struct TranscriptWarning: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): warning: \(message)" }
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
    /// Memos that came with the source, in document order; none of their text is in `turns`.
    public var memos: [Memo]
    /// What the import noticed but did not refuse, in source order.
    public var warnings: [TranscriptWarning]

    public init(id: String, preamble: String, turns: [Turn], sourceSHA256: String? = nil,
                memos: [Memo] = [], warnings: [TranscriptWarning] = []) {
        self.id = id
        self.preamble = preamble
        self.turns = turns
        self.sourceSHA256 = sourceSHA256
        self.memos = memos
        self.warnings = warnings
    }

    /// The speakers other than the interviewer, in order of first appearance.
    public var participantSpeakers: [String] {
        var seen: [String] = []
        for turn in turns where !turn.isInterviewer && !seen.contains(turn.speaker) { seen.append(turn.speaker) }
        return seen
    }

    /// Every speaker label, in order of first appearance.
    public var speakers: [String] {
        var seen: [String] = []
        for turn in turns where !seen.contains(turn.speaker) { seen.append(turn.speaker) }
        return seen
    }
}

/// Problems reading a transcript or a pseudonym key file.
public enum TranscriptError: LocatedError, Equatable {
    /// No speaker turns were recognised; `firstLine` is the first non-empty line, shortened.
    case noTurns(file: String, firstLine: String?)
    case unsupportedFormat(file: String, fileExtension: String)
    /// A caption or key file departs from its format at `location`.
    case malformed(location: SourceLocation, expected: String, found: String)
    /// A .docx file that cannot be opened as a Word document.
    case unreadableDocument(file: String, reason: String)
    /// The file itself could not be read (missing, unreadable, not UTF-8).
    case cannotRead(FileError)
    /// A transcript id that is, or holds, a real name; `reason` says why, without the name.
    case realNameInID(file: String, reason: String)

    public var location: SourceLocation? {
        switch self {
        case .noTurns(let file, _), .unsupportedFormat(let file, _), .unreadableDocument(let file, _), .realNameInID(let file, _):
            return SourceLocation(file: file)
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
        case .malformed(_, let expected, let found):
            return "expected \(expected), found \(found)"
        case .unreadableDocument(_, let reason):
            return "cannot read the Word document: \(reason)"
        case .cannotRead(let error):
            return error.message
        case .realNameInID(_, let reason):
            return "expected a participant id (or pseudonym) as the transcript's id, found an id that may be a real name (\(reason)); import it with --participant ID"
        }
    }

    /// At most 60 characters of `text`, quoted material for an error message.
    static func excerpt<S: StringProtocol>(_ text: S) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 60 ? String(trimmed.prefix(57)) + "…" : trimmed
    }
}
