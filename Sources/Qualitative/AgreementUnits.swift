/// What counts as one unit when coders' codings are compared.
///
/// - `turn`: each participant turn is one unit; a coder rates it "present" when they applied the
///   code anywhere in the turn, whether to the whole turn or to a span of it.
/// - `character`: each Unicode scalar of each participant turn is one unit; a coder rates it
///   "present" when one of their codings with the code covers it. This is the unit of the
///   character-level agreement that QDA tools report, made standard. QualCoder's character kappa,
///   for one, is not Cohen's: it looks only at characters at least one coder coded (so agreement
///   on uncoded text never counts) and takes chance agreement as the product of the "yes" and
///   "no" terms instead of their sum. Here every character of a participant turn is one unit,
///   rated present or absent by every coder who coded that transcript, so the usual coefficients
///   apply unchanged and equal the ones a table of single characters would give.
public enum AgreementUnit: String, Sendable, CaseIterable {
    case turn, character
    /// A participant as a whole, for case-level codes (``CaseAgreementUnits``).
    case participant
}

/// One anchored coding as the agreement needs it: where it lies now, its code and its coder.
public struct PlacedCoding: Sendable, Equatable {
    public var transcript: String
    /// The turn number, counting from 1 as in `Coding.turn`.
    public var turn: Int
    /// The span's first Unicode scalar offset within the turn; nil for the whole turn.
    public var start: Int?
    /// The span's end offset (exclusive); nil for the whole turn.
    public var end: Int?
    public var code: String
    public var coder: String

    public init(transcript: String, turn: Int, start: Int? = nil, end: Int? = nil, code: String, coder: String) {
        self.transcript = transcript
        self.turn = turn
        self.start = start
        self.end = end
        self.code = code
        self.coder = coder
    }
}

/// A participant turn that can be coded, with its length in Unicode scalars.
public struct CodedTurn: Sendable, Equatable {
    public var transcript: String
    public var turn: Int
    /// The number of Unicode scalars in the turn's text.
    public var length: Int

    public init(transcript: String, turn: Int, length: Int) {
        self.transcript = transcript
        self.turn = turn
        self.length = length
    }
}

/// Presence/absence ratings of units by coders, ready to become a Statistics `RatingTable`.
///
/// `ratings[row][coder]` is `UnitRatings.present`, `UnitRatings.absent`, or nil when the coder did
/// not code that transcript at all. A row stands for `weights[row]` identical units: 1 for turn
/// units, the length of a run of characters with the same ratings for character units.
public struct UnitRatings: Sendable, Equatable {
    public static let present = "present"
    public static let absent = "absent"

    public var unit: AgreementUnit
    public var coders: [String]
    public var ratings: [[String?]]
    public var weights: [Int]

    public init(unit: AgreementUnit, coders: [String], ratings: [[String?]], weights: [Int]) {
        self.unit = unit
        self.coders = coders
        self.ratings = ratings
        self.weights = weights
    }

    /// The number of units the rows stand for: turns, or characters.
    public var unitCount: Int { weights.reduce(0, +) }
}

/// A place where the coders differ about one code, for the coders to discuss.
public struct Disagreement: Sendable, Equatable {
    public var transcript: String
    public var turn: Int
    /// The first character of the range (Unicode scalar offset); nil for a turn unit.
    public var start: Int?
    /// The end of the range (exclusive); nil for a turn unit.
    public var end: Int?
    /// The coders who applied the code here, in the order the coders were given.
    public var applied: [String]
    /// The coders who coded the transcript but did not apply the code here.
    public var notApplied: [String]

    public init(transcript: String, turn: Int, start: Int?, end: Int?, applied: [String], notApplied: [String]) {
        self.transcript = transcript
        self.turn = turn
        self.start = start
        self.end = end
        self.applied = applied
        self.notApplied = notApplied
    }
}

/// Builds the units that inter-coder agreement compares, one code at a time.
///
/// The units come from the transcripts that at least two of the coders coded at all (any code,
/// any turn): a transcript only one coder has worked on says nothing about agreement. In those
/// transcripts every participant turn (`turns`; interviewer turns are not passed in) is a unit, or
/// every character of one. A coder who coded nothing in a transcript is missing (nil) for its
/// units rather than "absent", since not having read it is not a judgement; Krippendorff's alpha
/// uses such partial tables as they are. A coding counts for code `c` when its code is `c` or a
/// sub-code `c/…`.
///
/// Character units are not materialised one by one (a corpus of 5 million words has some 30
/// million): each turn is cut at every coding boundary into runs within which every coder's rating
/// is constant, and adjacent runs with the same ratings are merged, so the rows grow with the
/// number of turns and codings, never with the length of the text.
///
/// Build it once for a set of codings and ask for as many codes as needed; rows come out in
/// transcript order (by name), then turn number, then offset.
public struct AgreementUnits: Sendable {
    /// The coders compared, duplicates removed, in the order given.
    public let coders: [String]
    /// The transcripts whose units are rated, sorted by name.
    public let transcripts: [String]

    private struct Place: Hashable {
        var transcript: Int
        var turn: Int
    }

    private struct Span {
        var coder: Int
        var start: Int?
        var end: Int?
    }

    /// Per included transcript, its participant turns (number, length), sorted by number.
    private let turns: [[(number: Int, length: Int)]]
    /// Per included transcript, which coders coded it at all.
    private let coded: [[Bool]]
    /// Codings that land on a unit, by code, then by place.
    private let spans: [String: [Place: [Span]]]

    /// - Parameters:
    ///   - codings: the anchored codings of every coder (orphaned codings left out); codings by
    ///     coders not in `coders` are ignored.
    ///   - turns: the participant turns of every transcript; the first entry for a turn wins.
    ///   - coders: the coders to compare.
    public init(codings: [PlacedCoding], turns: [CodedTurn], coders: [String]) {
        var unique: [String] = []
        var coderIndex: [String: Int] = [:]
        for coder in coders where coderIndex[coder] == nil {
            coderIndex[coder] = unique.count
            unique.append(coder)
        }
        self.coders = unique

        var codedBy: [String: Set<Int>] = [:]
        for coding in codings {
            if let coder = coderIndex[coding.coder] { codedBy[coding.transcript, default: []].insert(coder) }
        }
        var lengths: [String: [Int: Int]] = [:]
        for turn in turns where codedBy[turn.transcript, default: []].count >= 2 {
            if lengths[turn.transcript]?[turn.turn] == nil { lengths[turn.transcript, default: [:]][turn.turn] = turn.length }
        }
        let transcripts = lengths.keys.sorted()
        self.transcripts = transcripts
        self.turns = transcripts.map { name in
            lengths[name]!.sorted { $0.key < $1.key }.map { (number: $0.key, length: $0.value) }
        }
        self.coded = transcripts.map { name in
            let set = codedBy[name]!
            return unique.indices.map { set.contains($0) }
        }

        var transcriptIndex: [String: Int] = [:]
        for (index, name) in transcripts.enumerated() { transcriptIndex[name] = index }
        var spans: [String: [Place: [Span]]] = [:]
        for coding in codings {
            guard let coder = coderIndex[coding.coder], let transcript = transcriptIndex[coding.transcript],
                lengths[coding.transcript]?[coding.turn] != nil
            else { continue }
            spans[coding.code, default: [:]][Place(transcript: transcript, turn: coding.turn), default: []]
                .append(Span(coder: coder, start: coding.start, end: coding.end))
        }
        self.spans = spans
    }

    /// The presence/absence rating of every unit by every coder for one code (and its sub-codes).
    public func ratings(for code: String, unit: AgreementUnit) -> UnitRatings {
        var ratings: [[String?]] = []
        var weights: [Int] = []
        // Most rows repeat the one before (every turn nobody coded); reusing its labels shares
        // one array's storage instead of allocating a row per unit.
        var previous: [Bool?] = [], labels: [String?] = []
        forEachUnit(of: code, unit: unit) { _, _, start, end, row in
            if row != previous {
                previous = row
                labels = row.map { $0.map { $0 ? UnitRatings.present : UnitRatings.absent } }
            }
            ratings.append(labels)
            weights.append(unit == .turn ? 1 : end - start)
        }
        return UnitRatings(unit: unit, coders: coders, ratings: ratings, weights: weights)
    }

    /// The units on which the coders who rated them differ about one code: whole turns, or
    /// maximal character ranges within a turn on which the same coders applied the code.
    public func disagreements(for code: String, unit: AgreementUnit) -> [Disagreement] {
        var found: [Disagreement] = []
        forEachUnit(of: code, unit: unit) { transcript, turn, start, end, row in
            var applied: [String] = [], notApplied: [String] = []
            for (coder, rating) in zip(coders, row) {
                if rating == true { applied.append(coder) } else if rating == false { notApplied.append(coder) }
            }
            guard !applied.isEmpty, !notApplied.isEmpty else { return }
            found.append(Disagreement(
                transcript: transcripts[transcript], turn: turn, start: unit == .turn ? nil : start,
                end: unit == .turn ? nil : end, applied: applied, notApplied: notApplied))
        }
        return found
    }

    /// For one code, the presence/absence rating of each unit by each coder; see `AgreementUnits`
    /// for which transcripts and turns are units. Build an `AgreementUnits` instead to ask for
    /// many codes.
    public static func ratings(
        for code: String, codings: [PlacedCoding], turns: [CodedTurn], coders: [String], unit: AgreementUnit
    ) -> UnitRatings {
        AgreementUnits(codings: codings, turns: turns, coders: coders).ratings(for: code, unit: unit)
    }

    /// For one code, the units where the coders differ, for discussion: transcript, turn, and
    /// for character units the merged character ranges, with which coders applied the code.
    public static func disagreements(
        for code: String, codings: [PlacedCoding], turns: [CodedTurn], coders: [String], unit: AgreementUnit
    ) -> [Disagreement] {
        AgreementUnits(codings: codings, turns: turns, coders: coders).disagreements(for: code, unit: unit)
    }

    /// Calls `body` for every unit (a turn, or a run of characters `start..<end` with constant
    /// ratings) in order, with each coder's rating: true present, false absent, nil missing.
    private func forEachUnit(
        of code: String, unit: AgreementUnit, _ body: (_ transcript: Int, _ turn: Int, _ start: Int, _ end: Int, [Bool?]) -> Void
    ) {
        var relevant: [Place: [Span]] = [:]
        for (key, places) in spans where key == code || key.hasPrefix(code + "/") {
            relevant.merge(places) { $0 + $1 }
        }
        for (transcript, transcriptTurns) in turns.enumerated() {
            let coded = self.coded[transcript]
            let absent: [Bool?] = coded.map { $0 ? false : nil }
            for (number, length) in transcriptTurns {
                let here = relevant[Place(transcript: transcript, turn: number)] ?? []
                switch unit {
                case .turn, .participant:
                    // Participant units are CaseAgreementUnits'; asked here, a turn is the unit.
                    var row = absent
                    for span in here { row[span.coder] = true }
                    body(transcript, number, 0, length, row)
                case .character:
                    guard length > 0 else { continue }
                    if here.isEmpty {
                        body(transcript, number, 0, length, absent)
                    } else {
                        Self.runs(of: here, length: length, absent: absent) { start, end, row in
                            body(transcript, number, start, end, row)
                        }
                    }
                }
            }
        }
    }

    /// Cuts `0..<length` at every span boundary and reports maximal runs with constant ratings.
    ///
    /// Each coder keeps a coverage count per boundary interval (+1 where a span starts, −1 where
    /// it ends), so overlapping spans of one coder count once and the work is O(s log s) for s
    /// spans, whatever the length.
    private static func runs(of spans: [Span], length: Int, absent: [Bool?], _ body: (Int, Int, [Bool?]) -> Void) {
        var clipped: [(coder: Int, start: Int, end: Int)] = []
        for span in spans {
            let start = max(0, min(span.start ?? 0, length)), end = max(0, min(span.end ?? length, length))
            if start < end { clipped.append((span.coder, start, end)) }
        }
        var cuts = Set<Int>([0, length])
        for span in clipped {
            cuts.insert(span.start)
            cuts.insert(span.end)
        }
        let boundaries = cuts.sorted()
        var position: [Int: Int] = [:]
        for (index, offset) in boundaries.enumerated() { position[offset] = index }
        var change = [[Int]](repeating: [Int](repeating: 0, count: absent.count), count: boundaries.count)
        for span in clipped {
            change[position[span.start]!][span.coder] += 1
            change[position[span.end]!][span.coder] -= 1
        }
        var depth = [Int](repeating: 0, count: absent.count)
        var runStart = 0
        var current: [Bool?] = []
        for index in 0..<(boundaries.count - 1) {
            for coder in depth.indices { depth[coder] += change[index][coder] }
            let row: [Bool?] = absent.indices.map { coder in absent[coder] == nil ? nil : depth[coder] > 0 }
            if index == 0 {
                current = row
            } else if row != current {
                body(runStart, boundaries[index], current)
                runStart = boundaries[index]
                current = row
            }
        }
        body(runStart, length, current)
    }
}
