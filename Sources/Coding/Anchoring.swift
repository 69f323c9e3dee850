/// Where a coding lands in the current text of its transcript.
public enum Anchor: Sendable, Equatable {
    /// The coding's turn and span hold exactly what it recorded.
    case exact(turn: Int, start: Int?, end: Int?)
    /// The transcript changed; the quote was found again at this place.
    case reanchored(turn: Int, start: Int, end: Int)
    /// The coding cannot be placed; it is kept and reported, never dropped.
    case orphaned(reason: String)

    public var turn: Int? {
        switch self {
        case .exact(let turn, _, _), .reanchored(let turn, _, _): return turn
        case .orphaned: return nil
        }
    }
}

/// Places codings in the current text of a transcript (DESIGN §3).
///
/// The position is tried first; when the text there no longer matches the quote, the quote is
/// searched for, first in the recorded turn (the occurrence nearest the old start wins), then in
/// the other turns of the transcript (it must then occur exactly once, or the coding is orphaned
/// rather than guessed).
public enum Anchoring {
    /// - Parameter turns: the transcript's turn texts by turn number; nil when the transcript is missing.
    public static func resolve(_ coding: Coding, in turns: [Int: String]?) -> Anchor {
        guard let turns else { return .orphaned(reason: "transcript '\(coding.transcript)' does not exist") }
        let text = turns[coding.turn]
        guard let start = coding.start, let end = coding.end else {
            if text != nil { return .exact(turn: coding.turn, start: nil, end: nil) }
            return .orphaned(reason: "turn \(coding.turn) does not exist (the transcript has \(turns.count) turns)")
        }
        if let text {
            let scalars = Array(text.unicodeScalars)
            if end <= scalars.count {
                let found = String(String.UnicodeScalarView(scalars[start..<end]))
                if coding.quote == nil || coding.quote == found {
                    return .exact(turn: coding.turn, start: start, end: end)
                }
            }
        }
        guard let quote = coding.quote, !quote.isEmpty else {
            return .orphaned(reason: "the span \(start)–\(end) lies outside turn \(coding.turn) and the coding has no quote to find it by")
        }
        if let text {
            let hits = occurrences(of: quote, in: text)
            if let nearest = hits.min(by: { abs($0 - start) < abs($1 - start) }) {
                return .reanchored(turn: coding.turn, start: nearest, end: nearest + quote.unicodeScalars.count)
            }
        }
        var elsewhere: [(turn: Int, start: Int)] = []
        for (number, other) in turns.sorted(by: { $0.key < $1.key }) where number != coding.turn {
            for hit in occurrences(of: quote, in: other) { elsewhere.append((number, hit)) }
        }
        if elsewhere.count == 1 {
            let hit = elsewhere[0]
            return .reanchored(turn: hit.turn, start: hit.start, end: hit.start + quote.unicodeScalars.count)
        }
        if elsewhere.isEmpty {
            return .orphaned(reason: "the quoted words are no longer in the transcript")
        }
        return .orphaned(reason: "the quoted words now occur \(elsewhere.count) times in other turns; tag it again to choose one")
    }

    /// Start offsets, in Unicode scalars, of every occurrence of `needle` in `haystack`.
    public static func occurrences(of needle: String, in haystack: String) -> [Int] {
        let h = Array(haystack.unicodeScalars), n = Array(needle.unicodeScalars)
        guard !n.isEmpty, n.count <= h.count else { return [] }
        var result: [Int] = []
        var i = 0
        while i + n.count <= h.count {
            if h[i] == n[0] && h[i..<(i + n.count)].elementsEqual(n) { result.append(i) }
            i += 1
        }
        return result
    }
}
