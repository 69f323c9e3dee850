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

    public var location: SourceLocation? {
        switch self {
        case .unbalancedBraces(let location, _, _), .unexpectedCharacter(let location, _, _),
            .missingComma(let location, _, _), .unknownMacro(let location, _), .missingEndOfRecord(let location, _),
            .textOutsideRecord(let location, _), .duplicateKey(let location, _, _),
            .duplicateField(let location, _, _), .unknownCrossref(let location, _, _),
            .unreadableFile(let location, _), .unknownFormat(let location), .invalidEntry(let location, _, _):
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
        case .missingEndOfRecord(_, let found):
            return "the record that starts here has no end tag: expected 'ER', found \(found); the record was kept"
        case .textOutsideRecord(_, let text):
            return "expected a record start tag, found text outside any record ('\(text)'); it was skipped"
        case .duplicateKey(_, let key, let firstLine):
            return "citation key '\(key)' is used again (first at line \(firstLine)); both records were kept"
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
        }
    }
}
