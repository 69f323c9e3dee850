import Core
import Foundation
import Qualitative

/// A qualitative project as REFI-QDA (and QualCoder) describe it, neutral to any one tool: what
/// a reader found, before anything is turned into study files.
public struct REFIProject: Sendable {
    public var name: String
    public var origin: String?
    public var users: [User]
    public var codebook: REFIQDACodebook.Exchange
    public var variables: [Variable]
    public var cases: [Case]
    public var textSources: [TextSource]
    /// PDF, picture, audio and video sources, which Triangulate does not bring in; they are
    /// listed in the import report with their selections and codings.
    public var otherSources: [OtherSource]
    public var notes: [Note]
    public var graphs: [Graph]
    public var linkCount: Int
    /// GUIDs of the notes that apply to the project as a whole.
    public var projectNoteRefs: [String]
    /// The project's own `<Description>`.
    public var description: String?
    /// Elements the reader does not know, by name, with how often they occur: listed in the
    /// import report, so that nothing in a project is dropped without a word.
    public var unknownElements: [(name: String, count: Int)] = []

    public init(name: String, origin: String? = nil, users: [User] = [], codebook: REFIQDACodebook.Exchange,
                variables: [Variable] = [], cases: [Case] = [], textSources: [TextSource] = [], otherSources: [OtherSource] = [],
                notes: [Note] = [], graphs: [Graph] = [], linkCount: Int = 0, projectNoteRefs: [String] = []) {
        self.name = name
        self.origin = origin
        self.users = users
        self.codebook = codebook
        self.variables = variables
        self.cases = cases
        self.textSources = textSources
        self.otherSources = otherSources
        self.notes = notes
        self.graphs = graphs
        self.linkCount = linkCount
        self.projectNoteRefs = projectNoteRefs
    }

    /// A person who coded or wrote.
    public struct User: Sendable, Equatable {
        public var guid: String
        public var name: String
    }

    /// A case variable's declaration.
    public struct Variable: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var type: String
    }

    /// A case (a participant, usually) with its variable values and its sources.
    public struct Case: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var description: String?
        /// Values by variable name, in document order.
        public var values: [Value]
        public var sourceRefs: [String]
        /// Codes applied to the case as a whole.
        public var codeRefs: [String]
        /// Selections linked to the case.
        public var selectionRefs: [String] = []

        public struct Value: Sendable, Equatable {
            public var variable: String
            public var value: String
        }
    }

    /// A text document: its plain text lives in the archive (`plainTextPath`) or inline.
    public struct TextSource: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var plainTextPath: String?
        public var richTextPath: String?
        public var content: String?
        public var description: String?
        public var selections: [TextSelection]
        /// Codings of the whole source, not of a selection.
        public var sourceCodings: Int
        public var noteRefs: [String]
        public var values: [Case.Value]
    }

    /// A range of a text source's plain text, `start..<end` in characters, with its codings.
    public struct TextSelection: Sendable, Equatable {
        public var guid: String
        public var name: String?
        public var start: Int
        public var end: Int
        public var description: String?
        public var creatingUser: String?
        public var creationDateTime: String?
        public var codings: [SelectionCoding]
        public var noteRefs: [String]
        /// The text the selection is known to cover (QualCoder's `seltext`), to check positions by.
        public var expectedText: String?
    }

    /// One code applied to a selection.
    public struct SelectionCoding: Sendable, Equatable {
        public var guid: String
        public var codeGUID: String
        public var creatingUser: String?
        public var creationDateTime: String?
        public var noteRefs: [String]
    }

    /// A source of a kind Triangulate does not import.
    public struct OtherSource: Sendable, Equatable {
        public var kind: String
        public var guid: String
        public var name: String
        public var selections: Int
        public var codings: Int
    }

    /// A memo.
    public struct Note: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var text: String?
        public var description: String?
        public var creatingUser: String?
    }

    /// A network diagram, listed in the report.
    public struct Graph: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var vertices: Int
        public var edges: Int
    }
}

/// Problems reading or writing an exchanged project.
public enum InterchangeError: LocatedError, Equatable {
    case unreadable(file: String, reason: String)
    /// The archive holds a member that is refused (path, size).
    case unsafeArchive(file: String, member: String, reason: String)
    /// The XML departs from REFI-QDA at `location`.
    case malformed(location: SourceLocation, expected: String, found: String)
    /// The project cannot go into this study as it stands (a clash, say); nothing was written.
    case conflict(String)

    public var location: SourceLocation? {
        switch self {
        case .unreadable(let file, _), .unsafeArchive(let file, _, _): return SourceLocation(file: file)
        case .malformed(let location, _, _): return location
        case .conflict: return nil
        }
    }

    public var message: String {
        switch self {
        case .unreadable(_, let reason): return reason
        case .unsafeArchive(_, let member, let reason): return "archive member '\(member)' is refused: \(reason); nothing was imported"
        case .malformed(_, let expected, let found): return "expected \(expected), found \(found)"
        case .conflict(let message): return message
        }
    }
}
