import Core
import Foundation

/// The export formats Triangulate reads.
public enum LiteratureFormat: String, CaseIterable, Sendable {
    case bibtex
    case ris
    case webOfScience = "wos"

    /// The format of an export, from its content first and its file extension second.
    ///
    /// Content wins because vendors disagree about extensions: asreview's `web_of_science.txt`
    /// and PubMed's EndNote `.txt` hold RIS, and Web of Science's plain-text export is `.txt`.
    /// Only the first 200 non-blank lines (within the first 64 KiB) are examined.
    public static func detect(fileName: String, text: String) -> LiteratureFormat? {
        if let format = sniff(text) { return format }
        switch (fileName as NSString).pathExtension.lowercased() {
        case "bib", "bibtex": return .bibtex
        case "ris": return .ris
        case "ciw": return .webOfScience
        default: return nil
        }
    }

    private static func sniff(_ text: String) -> LiteratureFormat? {
        var examined = 0
        let head = String(decoding: text.utf8.prefix(1 << 16), as: UTF8.self)
        for line in head.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let trimmed = line.drop(while: { $0 == "\u{FEFF}" || $0 == " " || $0 == "\t" })
            if trimmed.isEmpty { continue }
            examined += 1
            if examined > 200 { break }
            let bytes = Array(trimmed.utf8)[...]
            if RISParser.tag(of: bytes) != nil, trimmed.hasPrefix("TY") { return .ris }
            if trimmed.hasPrefix("FN ") || trimmed.hasPrefix("VR ") || trimmed.hasPrefix("PT ") {
                if WebOfScienceParser.tag(of: bytes) != nil { return .webOfScience }
            }
            if trimmed.first == "@" {
                let rest = trimmed.dropFirst().drop(while: { $0 == " " })
                let word = rest.prefix(while: { $0.isLetter })
                let after = rest.dropFirst(word.count).drop(while: { $0 == " " || $0 == "\t" })
                if !word.isEmpty, after.first == "{" || after.first == "(" { return .bibtex }
            }
        }
        return nil
    }

    /// Parses `text` in this format.
    public func parse(_ text: String, file: String) -> ParseResult {
        switch self {
        case .bibtex: return BibTeXParser().parse(text, file: file)
        case .ris: return RISParser().parse(text, file: file)
        case .webOfScience: return WebOfScienceParser().parse(text, file: file)
        }
    }
}

/// Reads one export file from disk: decode, detect the format, parse.
public enum LiteratureReader {
    /// Throws only when the file cannot be read, is not UTF-8, or is in no known format;
    /// problems inside the file are warnings in the result.
    public static func read(_ url: URL, displayPath: String) throws -> ParseResult {
        let text: String
        do {
            text = try TextFile.read(url, displayPath: displayPath)
        } catch let error as FileError {
            throw LiteratureError.unreadableFile(error.location ?? SourceLocation(file: displayPath), reason: error.message)
        }
        guard let format = LiteratureFormat.detect(fileName: url.lastPathComponent, text: text) else {
            throw LiteratureError.unknownFormat(SourceLocation(file: displayPath))
        }
        return format.parse(text, file: displayPath)
    }
}
