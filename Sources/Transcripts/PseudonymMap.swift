import Core
import Foundation

/// Replaces participants' real names by pseudonyms in transcripts, and finds the names left.
///
/// A key name matches however the text spells it: after Unicode normalisation (NFC, so `José`
/// typed as `Jose` + U+0301 matches) and case folding (`ALICE`, `alice`); with its words joined by
/// any run of spaces, `_`, `.` or `-`, or by nothing (`Alice Meyer`, `alice.meyer@uni.example`,
/// `Alice_Meyer`, `AliceMeyer`); and as a word of its own, where a word ends at anything but a
/// letter, digit or mark, at `_`, at a change from lower to upper case (`myAlice`) and between
/// letters and digits (`alice2019`). So possessives (`Alice's`, `Alice’s`) and e-mail addresses
/// match, while `Annabel` does not match `Anna` and `Josée` does not match `José`. At each place
/// the longest match wins, so "Anna Smith" is replaced as a whole before "Anna" alone is
/// considered; the text is scanned once, so a pseudonym is never itself rewritten by a later entry.
/// The camel-case rule errs towards finding names (`McDonald` holds `Donald`): for a leak check,
/// a false alarm costs less than a missed name.
public struct PseudonymMap: Sendable {
    /// One row of the key.
    public struct Entry: Sendable, Equatable {
        public let real: String
        public let pseudonym: String
        /// The row's line in the key file, when it was read from one; errors name this, never the name.
        public let line: Int?
    }

    /// A place in a text where a key name occurs.
    public struct Match: Sendable, Equatable {
        /// Line and column (counting Unicode scalars) of the match's first character, from 1.
        public let line: Int
        public let column: Int
        /// How many Unicode scalars of the text the match covers.
        public let length: Int
        public let entry: Entry
    }

    /// A key name prepared for matching: its words, folded, and what joins them.
    private struct Pattern: Sendable {
        enum Joint: Sendable {
            /// White space in the key: any run of spaces, `_`, `.`, `-` in the text, or none.
            case flexible
            /// Punctuation in the key (`Smith, Anna`): the same, folded, with optional spaces around it.
            case literal([Unicode.Scalar])
        }

        var entry: Int
        var words: [[Unicode.Scalar]]
        var joints: [Joint]
    }

    public private(set) var entries: [Entry] = []
    private var patterns: [Pattern] = []
    /// Patterns by the first folded scalar of their first word.
    private var byFirst: [Unicode.Scalar: [Int]] = [:]

    /// Entries with an empty real name are ignored; a later entry for the same real name wins.
    public init(entries: [(real: String, pseudonym: String)]) {
        self.init(rows: entries.map { Entry(real: $0.real, pseudonym: $0.pseudonym, line: nil) })
    }

    private init(rows: [Entry]) {
        var index: [String: Int] = [:]
        for row in rows where !row.real.isEmpty {
            if let existing = index[row.real] { entries[existing] = row } else {
                index[row.real] = entries.count
                entries.append(row)
            }
        }
        for (number, entry) in entries.enumerated() {
            guard let pattern = Self.pattern(entry.real, entry: number), let first = pattern.words.first?.first else { continue }
            byFirst[first, default: []].append(patterns.count)
            patterns.append(pattern)
        }
    }

    /// Splits a key name into folded words and the joints between them.
    private static func pattern(_ name: String, entry: Int) -> Pattern? {
        let text = FoldedText(name)
        var words: [[Unicode.Scalar]] = []
        var joints: [Pattern.Joint] = []
        var word: [Unicode.Scalar] = []
        var joint: [Unicode.Scalar] = []
        for index in text.characters.indices {
            let folded = text.folded(index)
            if text.characters[index].flags.contains(.word) {
                if !joint.isEmpty || (word.isEmpty && !words.isEmpty) {
                    let punctuation = joint.filter { !$0.properties.isWhitespace && !"_.-".unicodeScalars.contains($0) }
                    joints.append(punctuation.isEmpty ? .flexible : .literal(punctuation))
                    joint = []
                }
                word.append(contentsOf: folded)
            } else {
                if !word.isEmpty { words.append(word); word = [] }
                if !words.isEmpty { joint.append(contentsOf: folded) }
            }
        }
        if !word.isEmpty { words.append(word) }
        guard !words.isEmpty else { return nil }
        return Pattern(entry: entry, words: words, joints: Array(joints.prefix(words.count - 1)))
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
        var rows: [Entry] = []
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
            rows.append(Entry(real: fields[0], pseudonym: fields[1], line: record.line))
        }
        return PseudonymMap(rows: rows)
    }

    /// The transcript with every real name replaced in its speakers, turn texts, preamble and memos.
    public func apply(to transcript: Transcript) -> Transcript {
        var result = transcript
        result.preamble = replacing(in: transcript.preamble)
        for index in result.turns.indices {
            result.turns[index].speaker = replacing(in: result.turns[index].speaker)
            let number = result.turns[index].number
            // Memo offsets into this turn move with the names replaced before them.
            var offsets: [Int] = []
            for memo in result.memos {
                if memo.turn == number { offsets.append(memo.start) }
                if memo.endTurn == number { offsets.append(memo.end) }
            }
            let (text, moved) = replacing(in: result.turns[index].text, offsets: offsets)
            result.turns[index].text = text
            var next = moved.makeIterator()
            for memo in result.memos.indices {
                if result.memos[memo].turn == number, let offset = next.next() { result.memos[memo].start = offset }
                if result.memos[memo].endTurn == number, let offset = next.next() { result.memos[memo].end = offset }
            }
        }
        for index in result.memos.indices {
            result.memos[index].text = replacing(in: result.memos[index].text)
            result.memos[index].author = result.memos[index].author.map(replacing(in:))
        }
        return result
    }

    /// The real names still present in `text`, in the order of the key.
    public func leaks(in text: String) -> [String] {
        let found = Set(occurrences(in: text).map(\.entry.real))
        return entries.map(\.real).filter(found.contains)
    }

    /// Every place in `text` where a key name occurs, in text order: what `check-names` reports
    /// (the line, column and key entry, never the name itself) for any file a caller scans.
    public func occurrences(in text: String) -> [Match] {
        guard !patterns.isEmpty else { return [] }
        let folded = FoldedText(text)
        var matches: [Match] = []
        scan(folded) { pattern, start, end in
            let first = folded.characters[start]
            matches.append(Match(line: first.line, column: first.column, length: folded.scalarCount(start..<end),
                                 entry: entries[patterns[pattern].entry]))
        }
        return matches
    }

    /// `text` with every real name replaced by its pseudonym.
    public func replacing(in text: String) -> String {
        replacing(in: text, offsets: []).text
    }

    /// `text` with every real name replaced, and `offsets` (in Unicode scalars) moved to the same
    /// place in the result; an offset inside a replaced name moves to the pseudonym's start.
    func replacing(in text: String, offsets: [Int]) -> (text: String, offsets: [Int]) {
        guard !patterns.isEmpty, !text.isEmpty else { return (text, offsets) }
        let folded = FoldedText(text)
        var output = ""
        var copied = text.startIndex
        // Each replacement: where it starts in the original, its length there and in the result.
        var edits: [(start: Int, old: Int, new: Int)] = []
        var scalarsBefore = 0, scannedTo = 0
        scan(folded) { pattern, start, end in
            let from = folded.characters[start].index
            let to = end < folded.characters.count ? folded.characters[end].index : text.endIndex
            output += text[copied..<from]
            let pseudonym = entries[patterns[pattern].entry].pseudonym
            output += pseudonym
            copied = to
            scalarsBefore += folded.scalarCount(scannedTo..<start)
            let length = folded.scalarCount(start..<end)
            edits.append((scalarsBefore, length, pseudonym.unicodeScalars.count))
            scalarsBefore += length
            scannedTo = end
        }
        output += text[copied...]
        let moved = offsets.map { offset in
            var shift = 0
            for edit in edits {
                if offset >= edit.start + edit.old {
                    shift += edit.new - edit.old
                } else if offset > edit.start {
                    return edit.start + shift
                } else {
                    break
                }
            }
            return offset + shift
        }
        return (output, moved)
    }

    /// Walks the characters once; at each word start takes the longest pattern that matches and
    /// ends at a word end, and calls `found` with it and its character range.
    private func scan(_ text: FoldedText, found: (Int, Int, Int) -> Void) {
        let characters = text.characters
        var index = 0
        while index < characters.count {
            guard text.startsWord(at: index), let first = text.folded(index).first, let candidates = byFirst[first] else {
                index += 1
                continue
            }
            var best: (pattern: Int, end: Int)?
            for candidate in candidates {
                if let end = match(patterns[candidate], in: text, at: index), end > (best?.end ?? index) {
                    best = (candidate, end)
                }
            }
            if let best {
                found(best.pattern, index, best.end)
                index = best.end
            } else {
                index += 1
            }
        }
    }

    /// Where `pattern` ends if it matches at character `start` and ends at a word end.
    private func match(_ pattern: Pattern, in text: FoldedText, at start: Int) -> Int? {
        var index = start
        for (number, word) in pattern.words.enumerated() {
            if number > 0 {
                switch pattern.joints[number - 1] {
                case .flexible:
                    while index < text.characters.count, text.characters[index].flags.contains(.joiner) { index += 1 }
                case .literal(let punctuation):
                    while index < text.characters.count, text.characters[index].flags.contains(.space) { index += 1 }
                    guard let after = text.consume(punctuation, at: index) else { return nil }
                    index = after
                    while index < text.characters.count, text.characters[index].flags.contains(.space) { index += 1 }
                }
            }
            guard let after = text.consume(word, at: index) else { return nil }
            index = after
        }
        return text.endsWord(before: index) ? index : nil
    }
}

/// A text's characters (grapheme clusters) with their NFC, lower-cased scalars and what the word
/// boundaries need, so that matching works on folded text but reports and replaces the original.
struct FoldedText {
    struct Flags: OptionSet {
        let rawValue: UInt8
        /// A letter, digit or mark: part of a word.
        static let word = Flags(rawValue: 1)
        static let upper = Flags(rawValue: 2)
        static let lower = Flags(rawValue: 4)
        static let digit = Flags(rawValue: 8)
        static let space = Flags(rawValue: 16)
        /// White space other than a line break, `_`, `.` or `-`: what may join a name's words.
        static let joiner = Flags(rawValue: 32)
    }

    struct Character {
        var index: String.Index
        var flags: Flags
        var foldStart: Int
        var scalars: Int
        var line: Int
        var column: Int
    }

    var characters: [Character] = []
    private var folds: [Unicode.Scalar] = []

    init(_ text: String) {
        characters.reserveCapacity(text.utf8.count)
        var line = 1, column = 1
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            let character = text[index..<next]
            var flags: Flags = []
            let start = folds.count
            var scalarCount = 0
            if let only = character.unicodeScalars.first, character.utf8.count == 1 {
                scalarCount = 1
                switch only {
                case "a"..."z": flags = [.word, .lower]; folds.append(only)
                case "A"..."Z": flags = [.word, .upper]; folds.append(Unicode.Scalar(only.value + 32) ?? only)
                case "0"..."9": flags = [.word, .digit]; folds.append(only)
                case " ", "\t": flags = [.space, .joiner]; folds.append(only)
                case "\n", "\r": flags = [.space]; folds.append(only)
                case "_", ".", "-": flags = [.joiner]; folds.append(only)
                default: folds.append(only)
                }
            } else {
                let scalars = character.unicodeScalars
                scalarCount = scalars.count
                if let first = scalars.first {
                    let properties = first.properties
                    if properties.isAlphabetic || properties.numericType != nil || scalars.contains(where: { $0.properties.generalCategory.isMark }) {
                        flags.insert(.word)
                    }
                    if properties.isUppercase { flags.insert(.upper) }
                    if properties.isLowercase { flags.insert(.lower) }
                    if properties.numericType != nil { flags.insert(.digit) }
                    if properties.isWhitespace {
                        flags.insert(.space)
                        if !"\r\n\u{2028}\u{2029}\u{85}".unicodeScalars.contains(first) { flags.insert(.joiner) }
                    }
                }
                folds.append(contentsOf: String(character).precomposedStringWithCanonicalMapping.lowercased().unicodeScalars)
            }
            characters.append(Character(index: index, flags: flags, foldStart: start, scalars: scalarCount, line: line, column: column))
            if character == "\n" || character == "\r\n" || character == "\r" {
                line += 1
                column = 1
            } else {
                column += scalarCount
            }
            index = next
        }
    }

    func folded(_ index: Int) -> ArraySlice<Unicode.Scalar> {
        let end = index + 1 < characters.count ? characters[index + 1].foldStart : folds.count
        return folds[characters[index].foldStart..<end]
    }

    func scalarCount(_ range: Range<Int>) -> Int {
        characters[range].reduce(0) { $0 + $1.scalars }
    }

    /// Where the characters from `index` spell `scalars` exactly (ending on a character
    /// boundary), or nil.
    func consume(_ scalars: [Unicode.Scalar], at start: Int) -> Int? {
        var index = start
        var offset = 0
        while offset < scalars.count {
            guard index < characters.count else { return nil }
            let folded = folded(index)
            guard folded.count <= scalars.count - offset, scalars[offset..<offset + folded.count].elementsEqual(folded) else { return nil }
            offset += folded.count
            index += 1
        }
        return index
    }

    /// Whether a word may start at `index`: it is a word character and the one before is not, or
    /// the case changes from lower to upper, or letters and digits meet.
    func startsWord(at index: Int) -> Bool {
        guard characters[index].flags.contains(.word) else { return false }
        guard index > 0 else { return true }
        return Self.boundary(characters[index - 1].flags, characters[index].flags)
    }

    /// Whether a word may end before `index` (the end of the text counts).
    func endsWord(before index: Int) -> Bool {
        guard index < characters.count else { return true }
        guard index > 0 else { return true }
        return Self.boundary(characters[index - 1].flags, characters[index].flags)
    }

    private static func boundary(_ before: Flags, _ after: Flags) -> Bool {
        if !before.contains(.word) || !after.contains(.word) { return true }
        if before.contains(.lower), after.contains(.upper) { return true }
        return before.contains(.digit) != after.contains(.digit)
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isMark: Bool {
        switch self {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
