import Core
import Foundation

/// What re-finds a turn after its transcript is edited: the W3C Web Annotation text-quote
/// selector (exact, prefix, suffix) applied to whole turns.
///
/// The exact text is kept as a SHA-256 of the turn's normalised text rather than the text itself,
/// so a codings file does not copy every coded turn; `length` lets the turn be found again inside
/// a longer turn it was merged into. `prefix` and `suffix` are the last and first
/// `TurnFingerprint.contextLength` scalars of the neighbouring turns (normalised), nil where the
/// turn has no neighbour on that side: they tell apart two turns that say the same words (two
/// "Yes." turns) and show where a reworded turn stood.
public struct TurnFingerprint: Sendable, Hashable {
    /// How many Unicode scalars of each neighbouring turn are kept as context.
    public static let contextLength = 32

    /// SHA-256 (lowercase hex) of the turn's normalised text, as UTF-8.
    public var sha256: String
    /// The number of Unicode scalars of the normalised text.
    public var length: Int
    /// The end of the previous turn's normalised text; nil for the first turn.
    public var prefix: String?
    /// The start of the next turn's normalised text; nil for the last turn.
    public var suffix: String?

    public init(sha256: String, length: Int, prefix: String?, suffix: String?) {
        self.sha256 = sha256
        self.length = length
        self.prefix = prefix
        self.suffix = suffix
    }

    /// The fingerprint of turn `number` of a transcript as it is now; nil when there is no such turn.
    public static func of(turn number: Int, in transcript: TranscriptText) -> TurnFingerprint? {
        guard let index = transcript.position(of: number) else { return nil }
        let turn = transcript.turns[index]
        let previous = index > 0 ? transcript.turns[index - 1].normalised : nil
        let next = index + 1 < transcript.turns.count ? transcript.turns[index + 1].normalised : nil
        return TurnFingerprint(
            sha256: turn.sha256, length: turn.normalised.count,
            prefix: previous.map { String(String.UnicodeScalarView($0.suffix(contextLength))) },
            suffix: next.map { String(String.UnicodeScalarView($0.prefix(contextLength))) })
    }

    /// The text as fingerprints see it: runs of white space (spaces, tabs, line breaks) become one
    /// space and the ends are trimmed, so re-wrapping a transcript is not an edit of its words.
    /// Nothing else is folded: a changed letter, case or punctuation mark is a changed turn.
    public static func normalise(_ text: String) -> [Unicode.Scalar] {
        normaliseMapped(text).scalars
    }

    /// The normalised scalars and, for each, its offset in the original text.
    static func normaliseMapped(_ text: String) -> (scalars: [Unicode.Scalar], offsets: [Int]) {
        var scalars: [Unicode.Scalar] = [], offsets: [Int] = []
        scalars.reserveCapacity(text.utf8.count)
        offsets.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if isWhitespace(scalar) {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                offsets.append(offset - 1)
                pendingSpace = false
            }
            scalars.append(scalar)
            offsets.append(offset)
        }
        return (scalars, offsets)
    }

    /// Unicode's White_Space property, answered without a property lookup for every scalar
    /// below U+1680 (the first white space after U+00A0), which is nearly all of any transcript.
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) }
        if value == 0x85 || value == 0xA0 { return true }
        if value < 0x1680 { return false }
        return scalar.properties.isWhitespace
    }

    /// SHA-256 of the scalars' UTF-8 (the bytes of the String they make), encoded straight into
    /// one buffer: appending scalar by scalar to a String cost a fifth of a full index build.
    static func hash(_ scalars: some Collection<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count + scalars.count / 4)
        for scalar in scalars {
            UTF8.encode(scalar) { bytes.append($0) }
        }
        return ContentHash.sha256(Data(bytes))
    }
}

/// A transcript's turns in order, normalised and hashed once for re-anchoring all its codings.
public struct TranscriptText: Sendable {
    public struct Turn: Sendable {
        public var number: Int
        public var text: String
        /// The normalised scalars (see `TurnFingerprint.normalise`).
        var normalised: [Unicode.Scalar]
        /// For each normalised scalar, its offset in `text`.
        var offsets: [Int]
        var sha256: String
    }

    public let id: String
    /// The turns sorted by number.
    public let turns: [Turn]
    private let positions: [Int: Int]
    private let byHash: [String: [Int]]

    /// - Parameter turns: every turn's text by number (interviewer turns included: they are the
    ///   neighbours that give participant turns their context).
    public init(id: String, turns: [Int: String]) {
        self.init(id: id, turns: turns, fingerprinting: true)
    }

    /// Without `fingerprinting` the turns are not normalised or hashed: enough for codings that
    /// carry no fingerprint, which are placed by number and quote alone.
    public init(id: String, turns: [Int: String], fingerprinting: Bool) {
        self.id = id
        var built: [Turn] = []
        for (number, text) in turns.sorted(by: { $0.key < $1.key }) {
            if fingerprinting {
                let (scalars, offsets) = TurnFingerprint.normaliseMapped(text)
                built.append(Turn(number: number, text: text, normalised: scalars, offsets: offsets,
                                  sha256: TurnFingerprint.hash(scalars)))
            } else {
                built.append(Turn(number: number, text: text, normalised: [], offsets: [], sha256: ""))
            }
        }
        self.turns = built
        var positions: [Int: Int] = [:], byHash: [String: [Int]] = [:]
        for (index, turn) in built.enumerated() {
            positions[turn.number] = index
            byHash[turn.sha256, default: []].append(index)
        }
        self.positions = positions
        self.byHash = byHash
    }

    /// The index in `turns` of turn `number`.
    public func position(of number: Int) -> Int? { positions[number] }

    /// The text of turn `number`.
    public func text(of number: Int) -> String? { positions[number].map { turns[$0].text } }

    func indices(withHash hash: String) -> [Int] { byHash[hash] ?? [] }

    /// Whether the turn at `index` stands between the neighbours a fingerprint recorded.
    func contextMatches(_ fingerprint: TurnFingerprint, at index: Int) -> (prefix: Bool, suffix: Bool) {
        let prefix: Bool
        if let expected = fingerprint.prefix {
            prefix = index > 0 && turns[index - 1].normalised.ends(with: Array(expected.unicodeScalars))
        } else {
            prefix = index == 0
        }
        let suffix: Bool
        if let expected = fingerprint.suffix {
            suffix = index + 1 < turns.count && turns[index + 1].normalised.starts(with: Array(expected.unicodeScalars))
        } else {
            suffix = index + 1 == turns.count
        }
        return (prefix, suffix)
    }
}

extension Array where Element: Equatable {
    fileprivate func ends(with tail: [Element]) -> Bool {
        tail.count <= count && self[(count - tail.count)...].elementsEqual(tail)
    }
}

/// A place in a transcript: a whole turn, or a span of Unicode scalars within it.
public struct TextPlace: Sendable, Hashable, CustomStringConvertible {
    public var turn: Int
    public var start: Int?
    public var end: Int?

    public init(turn: Int, start: Int? = nil, end: Int? = nil) {
        self.turn = turn
        self.start = start
        self.end = end
    }

    /// `#12` for a whole turn, `#12[40..<95]` for a span.
    public var description: String {
        if let start, let end { return "#\(turn)[\(start)..<\(end)]" }
        return "#\(turn)"
    }
}

/// What a coding, or an excerpt, points at: a turn of a transcript or a span of it, with what
/// re-anchors it after edits (the quoted words of a span; the turn's fingerprint).
public struct TextTarget: Sendable, Hashable {
    public var transcript: String
    public var turn: Int
    public var start: Int?
    public var end: Int?
    public var quote: String?
    /// Nil in codings written before fingerprints existed (see `Reanchoring`).
    public var fingerprint: TurnFingerprint?

    public init(transcript: String, turn: Int, start: Int? = nil, end: Int? = nil, quote: String? = nil,
                fingerprint: TurnFingerprint? = nil) {
        self.transcript = transcript
        self.turn = turn
        self.start = start
        self.end = end
        self.quote = quote
        self.fingerprint = fingerprint
    }

    public var place: TextPlace { TextPlace(turn: turn, start: start, end: end) }
}

/// Why a coding could not be placed.
public enum OrphanReason: Sendable, Equatable {
    case transcriptMissing
    /// A coding without fingerprint names a turn number the transcript no longer has.
    case turnMissing(turnCount: Int)
    /// The turn's words are nowhere in the transcript, and nothing stands where it stood.
    case wordsGone
    /// The turn that stands where the coded turn stood (same neighbours) now says other words.
    case reworded(candidate: Int)
    /// The turn's words occur in several turns, none with the recorded neighbours.
    case ambiguous(candidates: [Int])
    /// The words occur once, but neither neighbour is the recorded one and the turn is too short
    /// to be told from another turn saying the same.
    case contextLost(candidate: Int)
    /// A span without a quote whose offsets no longer fit its turn.
    case spanOutside
    case quoteMissing
    /// The quoted words now occur in several turns (count), none of them the coded one.
    case quoteAmbiguous(count: Int)
    /// The coded turn was split and the quoted words now straddle two of its parts.
    case quoteStraddles(turns: [Int])

    /// A sentence a researcher can act on; it names turns, never their words.
    public func message(for target: TextTarget) -> String {
        let turn = target.turn
        switch self {
        case .transcriptMissing: return "transcript '\(target.transcript)' does not exist"
        case .turnMissing(let count): return "turn \(turn) does not exist (the transcript has \(count) turns)"
        case .wordsGone: return "the words of turn \(turn) are no longer in the transcript (the turn was deleted, or reworded together with its neighbours)"
        case .reworded(let candidate): return "turn \(turn) was reworded: turn \(candidate) stands where it stood but says other words; tag turn \(candidate) again if the code still applies"
        case .ambiguous(let candidates): return "the words of turn \(turn) now occur in turns \(Self.list(candidates)), none between its old neighbours; tag the right one again"
        case .contextLost(let candidate): return "the words of turn \(turn) occur in turn \(candidate), but its neighbours changed and the turn is too short to be sure it is the same; tag it again to confirm"
        case .spanOutside: return "the span \(target.start ?? 0)–\(target.end ?? 0) lies outside turn \(turn) and the coding has no quote to find it by"
        case .quoteMissing: return "the quoted words are no longer in the transcript"
        case .quoteAmbiguous(let count): return "the quoted words now occur \(count) times in other turns; tag it again to choose one"
        case .quoteStraddles(let turns): return "turn \(turn) was split into turns \(Self.list(turns)) and the quoted words now straddle two of them; tag them again"
        }
    }

    private static func list(_ turns: [Int]) -> String { turns.map(String.init).joined(separator: ", ") }
}

/// Where a coding's words are in the current text of its transcript.
public enum AnchorOutcome: Sendable, Equatable {
    /// The words are where the coding says, and its fingerprint (or quote) confirms them.
    case unchanged(TextPlace)
    /// An old coding without fingerprint: placed by its turn number (and its quote, for a span)
    /// alone. It is where it says, but an edit of that turn made before it was fingerprinted
    /// cannot be seen; `Reanchoring.migrate` fingerprints it against the current text.
    case unverified(TextPlace)
    /// The same words now stand elsewhere: another turn number, a span of the turn they were
    /// merged into, or (after a split) several turns.
    case moved(from: TextPlace, to: [TextPlace])
    /// The words cannot be placed; the coding is kept and reported, never dropped or guessed.
    case orphaned(from: TextPlace, reason: OrphanReason)

    /// One line for `status`: `unchanged at #4`, `moved from #4 to #5`, `orphaned at #6: …`.
    /// It names places and reasons, never the transcript's words.
    public func summary(for target: TextTarget) -> String {
        switch self {
        case .unchanged(let place): return "unchanged at \(place)"
        case .unverified(let place): return "at \(place) by its turn number only (no fingerprint yet)"
        case .moved(let from, let to): return "moved from \(from) to \(to.map(\.description).joined(separator: " and "))"
        case .orphaned(let from, let reason): return "orphaned at \(from): \(reason.message(for: target))"
        }
    }

    /// The places the coding covers now; empty when orphaned.
    public var places: [TextPlace] {
        switch self {
        case .unchanged(let place), .unverified(let place): return [place]
        case .moved(_, let to): return to
        case .orphaned: return []
        }
    }
}

/// Where a coding lands in the current text of its transcript, in the shape the index stores:
/// one turn and an optional span.
public enum Anchor: Sendable, Equatable {
    /// The coding's turn and span hold exactly what it recorded.
    case exact(turn: Int, start: Int?, end: Int?)
    /// The transcript changed; the words were found again at this place (a whole turn when
    /// `start` and `end` are nil).
    case reanchored(turn: Int, start: Int?, end: Int?)
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
/// A coding with a fingerprint is placed by it: the turn whose normalised text has the recorded
/// hash, told apart from identical turns by its neighbours (see `Reanchoring.locate`). A span is
/// then checked against its quote. A coding without a fingerprint (written before fingerprints
/// existed) can only be trusted to its turn number and its quote, as before.
public enum Anchoring {
    /// The coding's place in the shape the index stores (`Anchor`), for callers that keep one
    /// turn per coding. A whole-turn coding whose turn was split into several turns cannot be put
    /// in one turn: it is orphaned with a reason that names the parts.
    /// - Parameter turns: the transcript's turn texts by turn number; nil when the transcript is missing.
    public static func resolve(_ coding: Coding, in turns: [Int: String]?) -> Anchor {
        resolve(coding, against: turns.map { TranscriptText(id: coding.transcript, turns: $0, fingerprinting: coding.fingerprint != nil) })
    }

    /// The same, against a transcript prepared once for all its codings.
    public static func resolve(_ coding: Coding, against transcript: TranscriptText?) -> Anchor {
        switch Reanchoring.resolve(coding.target, in: transcript) {
        case .unchanged(let place), .unverified(let place):
            return .exact(turn: place.turn, start: place.start, end: place.end)
        case .moved(_, let to):
            if to.count == 1 { return .reanchored(turn: to[0].turn, start: to[0].start, end: to[0].end) }
            let turns = to.map { String($0.turn) }.joined(separator: ", ")
            return .orphaned(reason: "turn \(coding.turn) was split into turns \(turns); tag them again to keep the code on all its words")
        case .orphaned(_, let reason):
            return .orphaned(reason: reason.message(for: coding.target))
        }
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

/// Re-anchors codings after a transcript was edited: for each, unchanged, moved (old place →
/// new place, same words) or orphaned with the reason — never silently put on other words.
///
/// **Finding a fingerprinted turn.** The candidates are the turns whose normalised text has the
/// recorded hash. One whose two neighbours both match the recorded context wins; failing that,
/// one with one matching neighbour (the other neighbour was edited); where several tie, the one
/// at the recorded number. A candidate with neither neighbour is accepted only when it is the
/// only one and at least `distinctiveLength` scalars long: a short turn ("Yes.") with new
/// neighbours may be another utterance, so it is reported rather than guessed. When no turn has
/// the hash, the words are looked for as a run of consecutive turns (the turn was split) and as
/// a part, at word boundaries, of a longer turn (it was merged with a neighbour). When they are
/// nowhere, a turn standing between the recorded neighbours means the turn was reworded.
///
/// **Old codings.** A coding written before fingerprints existed has only its turn number (and,
/// for a span, its quote). It can honestly be fingerprinted only against the transcript as it is
/// now: if the transcript was edited before that, the coding's number may already point at other
/// words, and nothing recorded can tell. So such codings resolve as before (`unverified`) and
/// `migrate` adds a fingerprint of their turn as it is now; from then on every edit is caught.
public enum Reanchoring {
    /// The shortest turn, in normalised scalars, that is accepted with neither neighbour matching.
    public static let distinctiveLength = 40

    /// One coding's outcome, for reports.
    public struct Result: Sendable, Equatable {
        public var coding: Coding
        public var outcome: AnchorOutcome
    }

    /// Re-anchors every coding against the current transcripts (by id; a missing id is a
    /// missing transcript), in the codings' order.
    public static func resolve(_ codings: [Coding], in transcripts: [String: TranscriptText]) -> [Result] {
        codings.map { Result(coding: $0, outcome: resolve($0.target, in: transcripts[$0.transcript])) }
    }

    /// Where a target's words are now.
    public static func resolve(_ target: TextTarget, in transcript: TranscriptText?) -> AnchorOutcome {
        let from = target.place
        guard let transcript else { return .orphaned(from: from, reason: .transcriptMissing) }
        guard let fingerprint = target.fingerprint else { return resolveUnfingerprinted(target, in: transcript) }
        let located = locate(fingerprint, recorded: target.turn, in: transcript)
        guard let start = target.start, let end = target.end else {
            switch located {
            case .turn(let index):
                let place = TextPlace(turn: transcript.turns[index].number)
                return place == from ? .unchanged(place) : .moved(from: from, to: [place])
            case .within(let index, let range):
                return .moved(from: from, to: [TextPlace(turn: transcript.turns[index].number, start: range.lowerBound, end: range.upperBound)])
            case .split(let indices):
                return .moved(from: from, to: indices.map { TextPlace(turn: transcript.turns[$0].number) })
            case .failed(let reason):
                return .orphaned(from: from, reason: reason)
            }
        }
        guard let quote = target.quote, !quote.isEmpty else {
            // A span without its words: only an unchanged or renumbered turn keeps its offsets.
            if case .turn(let index) = located, end <= transcript.turns[index].text.unicodeScalars.count {
                let place = TextPlace(turn: transcript.turns[index].number, start: start, end: end)
                return place == from ? .unchanged(place) : .moved(from: from, to: [place])
            }
            if case .failed(let reason) = located { return .orphaned(from: from, reason: reason) }
            return .orphaned(from: from, reason: .spanOutside)
        }
        let length = quote.unicodeScalars.count
        func place(_ index: Int, _ offset: Int) -> TextPlace {
            TextPlace(turn: transcript.turns[index].number, start: offset, end: offset + length)
        }
        func settle(_ found: TextPlace) -> AnchorOutcome { found == from ? .unchanged(found) : .moved(from: from, to: [found]) }
        switch located {
        case .turn(let index):
            // The turn is found by its fingerprint, so the quote's words elsewhere would be
            // another utterance: only this turn may hold them.
            if let hit = nearest(quote, in: transcript.turns[index].text, to: start) { return settle(place(index, hit)) }
            return .orphaned(from: from, reason: .quoteMissing)
        case .within(let index, let range):
            let hits = Anchoring.occurrences(of: quote, in: transcript.turns[index].text)
                .filter { $0 >= range.lowerBound && $0 + length <= range.upperBound }
            if let hit = hits.min(by: { abs($0 - range.lowerBound - start) < abs($1 - range.lowerBound - start) }) {
                return settle(place(index, hit))
            }
            return .orphaned(from: from, reason: .quoteMissing)
        case .split(let indices):
            // The part the old start falls in holds the quote, unless it now straddles two parts.
            var offset = 0
            for (position, index) in indices.enumerated() {
                let count = transcript.turns[index].normalised.count
                if start < offset + count + 1 || position == indices.count - 1 {
                    if let hit = nearest(quote, in: transcript.turns[index].text, to: max(0, start - offset)) {
                        return settle(place(index, hit))
                    }
                    break
                }
                offset += count + 1
            }
            return .orphaned(from: from, reason: .quoteStraddles(turns: indices.map { transcript.turns[$0].number }))
        case .failed(let reason):
            // The turn changed, but the coded words may not have: look for them where it stood,
            // then once anywhere else.
            if case .reworded(let candidate) = reason, let index = transcript.position(of: candidate),
               let hit = nearest(quote, in: transcript.turns[index].text, to: start) {
                return settle(place(index, hit))
            }
            return quoteElsewhere(quote, excluding: nil, from: from, in: transcript, otherwise: reason)
        }
    }

    /// Adds the fingerprint of its turn, as the transcript is now, to a coding that has none and
    /// whose turn exists; others are returned unchanged. See the type's notes on what this can
    /// and cannot promise.
    public static func migrate(_ coding: Coding, in transcript: TranscriptText?) -> Coding {
        guard coding.fingerprint == nil, let transcript, let fingerprint = TurnFingerprint.of(turn: coding.turn, in: transcript) else {
            return coding
        }
        if let start = coding.start, let end = coding.end {
            let scalars = Array(transcript.text(of: coding.turn)?.unicodeScalars ?? "".unicodeScalars)
            guard start >= 0, start < end, end <= scalars.count, coding.quote == nil || coding.quote == String(String.UnicodeScalarView(scalars[start..<end])) else {
                return coding
            }
        }
        var migrated = coding
        migrated.fingerprint = fingerprint
        return migrated
    }

    // MARK: Locating a fingerprinted turn

    enum Located: Equatable {
        case turn(Int)
        /// Part of a longer turn (merged): its index and the span in that turn's text.
        case within(Int, Range<Int>)
        /// Several consecutive turns (split), by index.
        case split([Int])
        case failed(OrphanReason)
    }

    static func locate(_ fingerprint: TurnFingerprint, recorded: Int, in transcript: TranscriptText) -> Located {
        let candidates = transcript.indices(withHash: fingerprint.sha256)
        if !candidates.isEmpty {
            let context = candidates.map { (index: $0, match: transcript.contextMatches(fingerprint, at: $0)) }
            func pick(_ indices: [Int]) -> Located? {
                if indices.count == 1 { return .turn(indices[0]) }
                if let same = indices.first(where: { transcript.turns[$0].number == recorded }) { return .turn(same) }
                return indices.isEmpty ? nil : .failed(.ambiguous(candidates: indices.map { transcript.turns[$0].number }))
            }
            if let found = pick(context.filter { $0.match.prefix && $0.match.suffix }.map(\.index)) { return found }
            if let found = pick(context.filter { $0.match.prefix || $0.match.suffix }.map(\.index)) { return found }
            // Where another turn now stands between the old neighbours, the coded turn was
            // reworded, and the same words elsewhere are another utterance.
            if let standing = standing(fingerprint, in: transcript) { return .failed(.reworded(candidate: standing)) }
            if candidates.count == 1 {
                return fingerprint.length >= distinctiveLength ? .turn(candidates[0]) : .failed(.contextLost(candidate: transcript.turns[candidates[0]].number))
            }
            return .failed(.ambiguous(candidates: candidates.map { transcript.turns[$0].number }))
        }
        var found: [Located] = []
        found += splits(of: fingerprint, in: transcript)
        found += merges(of: fingerprint, in: transcript)
        if found.count == 1 { return found[0] }
        if found.count > 1 {
            let numbers = found.flatMap { located -> [Int] in
                switch located {
                case .within(let index, _), .turn(let index): return [transcript.turns[index].number]
                case .split(let indices): return indices.map { transcript.turns[$0].number }
                case .failed: return []
                }
            }
            return .failed(.ambiguous(candidates: Array(Set(numbers)).sorted()))
        }
        if let standing = standing(fingerprint, in: transcript) { return .failed(.reworded(candidate: standing)) }
        return .failed(.wordsGone)
    }

    /// The number of the one turn that stands between the recorded neighbours, if there is one.
    private static func standing(_ fingerprint: TurnFingerprint, in transcript: TranscriptText) -> Int? {
        let standing = transcript.turns.indices.filter {
            let match = transcript.contextMatches(fingerprint, at: $0)
            return match.prefix && match.suffix
        }
        return standing.count == 1 ? transcript.turns[standing[0]].number : nil
    }

    /// Runs of two or more consecutive turns whose normalised texts, joined by a space, have the hash.
    private static func splits(of fingerprint: TurnFingerprint, in transcript: TranscriptText) -> [Located] {
        var found: [Located] = []
        let turns = transcript.turns
        for first in turns.indices {
            var joined = turns[first].normalised
            var last = first
            while joined.count < fingerprint.length && last + 1 < turns.count {
                last += 1
                if !joined.isEmpty && !turns[last].normalised.isEmpty { joined.append(" ") }
                joined += turns[last].normalised
            }
            if last > first && joined.count == fingerprint.length && TurnFingerprint.hash(joined) == fingerprint.sha256 {
                found.append(.split(Array(first...last)))
            }
        }
        return found
    }

    /// Word-aligned windows of longer turns whose normalised text has the hash.
    private static func merges(of fingerprint: TurnFingerprint, in transcript: TranscriptText) -> [Located] {
        var found: [Located] = []
        let length = fingerprint.length
        guard length > 0 else { return [] }
        for (index, turn) in transcript.turns.enumerated() where turn.normalised.count > length {
            let scalars = turn.normalised
            var start = 0
            while start + length <= scalars.count {
                let endsAtWord = start + length == scalars.count || scalars[start + length] == " "
                if endsAtWord && TurnFingerprint.hash(scalars[start..<(start + length)]) == fingerprint.sha256 {
                    let from = turn.offsets[start], to = turn.offsets[start + length - 1] + 1
                    found.append(.within(index, from..<to))
                }
                guard let space = scalars[start...].firstIndex(of: " ") else { break }
                start = space + 1
            }
        }
        return found
    }

    // MARK: Codings without fingerprint

    /// The behaviour codings had before fingerprints: the turn number holds for a whole turn; a
    /// span is checked against its quote, which is looked for in its turn, then once elsewhere.
    private static func resolveUnfingerprinted(_ target: TextTarget, in transcript: TranscriptText) -> AnchorOutcome {
        let from = target.place
        let text = transcript.text(of: target.turn)
        guard let start = target.start, let end = target.end else {
            if text != nil { return .unverified(from) }
            return .orphaned(from: from, reason: .turnMissing(turnCount: transcript.turns.count))
        }
        if let text {
            let scalars = Array(text.unicodeScalars)
            if start >= 0, start < end, end <= scalars.count {
                let found = String(String.UnicodeScalarView(scalars[start..<end]))
                if target.quote == nil { return .unverified(from) }
                if target.quote == found { return .unchanged(from) }
            }
        }
        guard let quote = target.quote, !quote.isEmpty else { return .orphaned(from: from, reason: .spanOutside) }
        if let text, let hit = nearest(quote, in: text, to: start) {
            return .moved(from: from, to: [TextPlace(turn: target.turn, start: hit, end: hit + quote.unicodeScalars.count)])
        }
        return quoteElsewhere(quote, excluding: target.turn, from: from, in: transcript, otherwise: .quoteMissing)
    }

    private static func nearest(_ quote: String, in text: String, to start: Int) -> Int? {
        Anchoring.occurrences(of: quote, in: text).min(by: { abs($0 - start) < abs($1 - start) })
    }

    /// The quote's one occurrence in the transcript (outside `excluding`), or an orphan.
    private static func quoteElsewhere(_ quote: String, excluding: Int?, from: TextPlace, in transcript: TranscriptText,
                                       otherwise: OrphanReason) -> AnchorOutcome {
        var hits: [TextPlace] = []
        for turn in transcript.turns where turn.number != excluding {
            for hit in Anchoring.occurrences(of: quote, in: turn.text) {
                hits.append(TextPlace(turn: turn.number, start: hit, end: hit + quote.unicodeScalars.count))
            }
        }
        if hits.count == 1 { return hits[0] == from ? .unchanged(from) : .moved(from: from, to: hits) }
        if hits.isEmpty { return .orphaned(from: from, reason: otherwise) }
        return .orphaned(from: from, reason: .quoteAmbiguous(count: hits.count))
    }
}
