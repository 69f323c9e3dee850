import Core

/// Problems found while reading bibliographic exports; most are warnings that cost one record.
public enum LiteratureError: LocatedError, Equatable {
    /// A `{` or `"` that is never closed, or an entry that runs into the next one.
    case unbalancedBraces(SourceLocation, expected: String, found: String)
    /// Any other syntax error: what the grammar allowed here and what the file holds instead.
    case unexpectedCharacter(SourceLocation, expected: String, found: String)
    /// A BibTeX field followed by the next `name =` without a comma; the entry is kept.
    case missingComma(SourceLocation, field: String, key: String)
    /// A bare word in a BibTeX value that no `@string` defines; the field keeps the word itself.
    case unknownMacro(SourceLocation, name: String)
    /// A LaTeX command in a field that Triangulate does not know; its name was kept as text (or,
    /// before a braced argument, the argument was kept) so that no word is lost unseen.
    case unknownCommand(SourceLocation, name: String, field: String, key: String)
    /// A RIS or Web of Science record without its `ER` end tag; the record is kept.
    case missingEndOfRecord(SourceLocation, found: String)
    /// Lines outside any record (before the first `TY  -`, or between `ER` and the next record).
    case textOutsideRecord(SourceLocation, text: String)
    /// Two entries with the same citation key (compared case-insensitively, as BibTeX does).
    case duplicateKey(SourceLocation, key: String, firstLine: Int)
    /// A field given twice in one entry; the first value is kept, as BibTeX does.
    case duplicateField(SourceLocation, field: String, key: String)
    /// A `crossref` naming an entry that is not in the file.
    case unknownCrossref(SourceLocation, key: String, parent: String)
    /// The file could not be read, or is not UTF-8 text; `reason` is a full sentence.
    case unreadableFile(SourceLocation, reason: String)
    /// The file is neither BibTeX, RIS nor Web of Science plain text.
    case unknownFormat(SourceLocation)
    /// A value in a study file of the review (searches, screening, extraction, dedupe decisions)
    /// that breaks the file's rules: what the rule expects and what the file holds.
    case invalidEntry(SourceLocation, expected: String, found: String)
    /// Input that would grow past a cap (a `@string` expanded into a value or a file beyond its
    /// byte budget): `what` names the thing, `limit` the cap in bytes.
    case limitExceeded(SourceLocation, what: String, limit: Int)
    /// A decisions file with rows that cannot be imported, so that none was (all or nothing):
    /// each problem with its row.
    indirect case decisionsRejected(SourceLocation, rows: Int, problems: [LiteratureError])

    /// How much a problem matters: a note changes nothing the user must act on (a repeated key
    /// whose record was kept under a new key); a warning means something was read differently or
    /// lost, and `status` should report it.
    public enum Severity: String, Sendable {
        case note, warning
    }

    public var severity: Severity {
        switch self {
        case .duplicateKey: return .note
        default: return .warning
        }
    }

    public var location: SourceLocation? {
        switch self {
        case .unbalancedBraces(let location, _, _), .unexpectedCharacter(let location, _, _),
            .missingComma(let location, _, _), .unknownMacro(let location, _), .unknownCommand(let location, _, _, _), .missingEndOfRecord(let location, _),
            .textOutsideRecord(let location, _), .duplicateKey(let location, _, _),
            .duplicateField(let location, _, _), .unknownCrossref(let location, _, _),
            .unreadableFile(let location, _), .unknownFormat(let location), .invalidEntry(let location, _, _),
            .limitExceeded(let location, _, _), .decisionsRejected(let location, _, _):
            return location
        }
    }

    public var message: String {
        switch self {
        case .unbalancedBraces(_, let expected, let found):
            return "unbalanced braces: expected \(expected), found \(found); the entry was skipped"
        case .unexpectedCharacter(_, let expected, let found):
            return "expected \(expected), found \(found); the entry was skipped"
        case .missingComma(_, let field, let key):
            return "expected ',' after the value of field '\(field)' in entry '\(key)', found the next field; read as if the comma were there"
        case .unknownMacro(_, let name):
            return "'\(name)' is not defined by any @string before this point; the field keeps the word '\(name)'"
        case .unknownCommand(_, let name, let field, let key):
            return "'\\\(name)' in field '\(field)' of entry '\(key)' is not a LaTeX command Triangulate knows; its name was kept as text"
        case .missingEndOfRecord(_, let found):
            return "the record that starts here has no end tag: expected 'ER', found \(found); the record was kept"
        case .textOutsideRecord(_, let text):
            return "expected a record start tag, found text outside any record ('\(text)'); it was skipped"
        case .duplicateKey(_, let key, let firstLine):
            return "citation key '\(key)' is used again (first at line \(firstLine)); both records were kept (a key repeated exactly gets '-2', '-3', … appended)"
        case .duplicateField(_, let field, let key):
            return "field '\(field)' is given twice in entry '\(key)'; the first value was kept"
        case .unknownCrossref(_, let key, let parent):
            return "entry '\(key)' cross-references '\(parent)', which is not in this file; nothing was inherited"
        case .unreadableFile(_, let reason):
            return reason
        case .unknownFormat:
            return "expected a BibTeX (.bib), RIS (.ris) or Web of Science plain-text export, found neither"
        case .invalidEntry(_, let expected, let found):
            return "expected \(expected), found \(found)"
        case .decisionsRejected(_, let rows, let problems):
            let lines = problems.prefix(50).map { "  \($0.description)" }.joined(separator: "\n")
            let more = problems.count > 50 ? "\n  … and \(problems.count - 50) more" : ""
            return "\(problems.count) problem(s) in \(rows) rows, so no decision was imported (import the good rows with --partial):\n\(lines)\(more)"
        case .limitExceeded(_, let what, let limit):
            return "\(what) would exceed the limit of \(limit) bytes; the entry was skipped"
        }
    }
}
