import Core
import Foundation

/// Replaces participants' real names by pseudonyms in transcripts.
///
/// Names are matched as whole words (a name must not be preceded or followed by a letter, digit,
/// mark or `_`), case-sensitively. At each position the longest matching name wins, so "Anna
/// Smith" is replaced as a whole before "Anna" alone is considered; the text is scanned once, so a
/// pseudonym is never itself rewritten by a later entry.
public struct PseudonymMap: Sendable {
    private struct Entry: Sendable {
        var real: String
        var pseudonym: String
        var scalars: [Unicode.Scalar]
    }

    /// Names by their first scalar, longest first.
    private var candidates: [Unicode.Scalar: [Entry]] = [:]
    private var order: [String] = []

    /// Entries with an empty real name are ignored; a later entry for the same real name wins.
    public init(entries: [(real: String, pseudonym: String)]) {
        var byName: [String: Entry] = [:]
        for entry in entries where !entry.real.isEmpty {
            if byName[entry.real] == nil { order.append(entry.real) }
            byName[entry.real] = Entry(real: entry.real, pseudonym: entry.pseudonym, scalars: Array(entry.real.unicodeScalars))
        }
        for entry in byName.values { candidates[entry.scalars[0], default: []].append(entry) }
        for key in candidates.keys {
            candidates[key]!.sort { $0.scalars.count != $1.scalars.count ? $0.scalars.count > $1.scalars.count : $0.real < $1.real }
        }
    }

    /// Reads a key file: CSV rows `real,pseudonym`, optionally under a header `real,pseudonym`.
    /// The key identifies participants, so it lives outside the study folder; error messages
    /// name its lines but never the names in them.
    public static func read(_ url: URL) throws -> PseudonymMap {
        let path = url.path
        let records: [CSVText.Record]
        do { records = try CSVText.parse(TextFile.read(url), file: path) } catch let error as FileError {
            throw TranscriptError.cannotRead(error)
        }
        var entries: [(real: String, pseudonym: String)] = []
        var firstLine: [String: Int] = [:]
        for (index, record) in records.enumerated() {
            let fields = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if index == 0, fields.map({ $0.lowercased() }) == ["real", "pseudonym"] { continue }
            let location = SourceLocation(file: path, line: record.line, column: 1)
            guard fields.count == 2 else {
                throw TranscriptError.malformed(location: location, expected: "2 fields, a real name and its pseudonym",
                                                found: "\(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            guard !fields[0].isEmpty, !fields[1].isEmpty else {
                throw TranscriptError.malformed(location: location, expected: "a real name and a pseudonym",
                                                found: "an empty \(fields[0].isEmpty ? "real name" : "pseudonym")")
            }
            if let first = firstLine[fields[0]] {
                throw TranscriptError.malformed(location: location, expected: "each real name once",
                                                found: "the real name of line \(first) again")
            }
            firstLine[fields[0]] = record.line
            entries.append((fields[0], fields[1]))
        }
        return PseudonymMap(entries: entries)
    }

    /// The transcript with every real name replaced in its speakers, turn texts and preamble.
    public func apply(to transcript: Transcript) -> Transcript {
        var result = transcript
        result.preamble = replacing(in: transcript.preamble)
        for index in result.turns.indices {
            result.turns[index].speaker = replacing(in: result.turns[index].speaker)
            result.turns[index].text = replacing(in: result.turns[index].text)
        }
        return result
    }

    /// The real names still present in `text` as whole words, in the order of the key.
    public func leaks(in text: String) -> [String] {
        var found: Set<String> = []
        scan(text) { entry in if let entry { found.insert(entry.real) } }
        return order.filter(found.contains)
    }

    /// `text` with every real name replaced by its pseudonym.
    public func replacing(in text: String) -> String {
        var output = String.UnicodeScalarView()
        scan(text) { _ in } emit: { output.append(contentsOf: $0) }
        return String(output)
    }

    /// Walks `text` once, calling `match` for each name found and `emit` with the output scalars
    /// (the pseudonym for a name, the text itself elsewhere).
    private func scan(_ text: String, match: (Entry?) -> Void,
                      emit: (Substring.UnicodeScalarView) -> Void = { _ in }) {
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        var copied = index
        var previous: Unicode.Scalar?
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if previous.map(Self.isWordScalar) != true, let entries = candidates[scalar],
               let (entry, end) = longestMatch(entries, in: scalars, at: index) {
                emit(text.unicodeScalars[copied..<index])
                emit(entry.pseudonym.unicodeScalars[...])
                match(entry)
                previous = entry.scalars.last
                index = end
                copied = end
                continue
            }
            previous = scalar
            index = scalars.index(after: index)
        }
        emit(text.unicodeScalars[copied..<index])
    }

    private func longestMatch(_ entries: [Entry], in scalars: String.UnicodeScalarView,
                              at start: String.Index) -> (Entry, String.Index)? {
        for entry in entries {
            var index = start
            var matched = true
            for scalar in entry.scalars {
                guard index < scalars.endIndex, scalars[index] == scalar else { matched = false; break }
                index = scalars.index(after: index)
            }
            if matched, index == scalars.endIndex || !Self.isWordScalar(scalars[index]) { return (entry, index) }
        }
        return nil
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_": return true
            default: return false
            }
        }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil || scalar == "_" { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
