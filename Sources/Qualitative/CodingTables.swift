/// The tables of qualitative analysis, computed from anchored codings: code × participant and
/// code co-occurrence. Pure: the caller reads the codings and renders the result.
///
/// A code counts its sub-codes (`Code.covers`), as everywhere in Triangulate.
public enum CodingTables {
    /// For each code, how many codings (or, with `presence`, whether any: 0 or 1) each
    /// participant's transcript has, in the order of `participants`.
    public static func codeByParticipant(codes: [String], participants: [String], codings: [PlacedCoding],
                                         presence: Bool) -> [(code: String, counts: [Int])] {
        var byParticipant: [String: [PlacedCoding]] = [:]
        for coding in codings { byParticipant[coding.transcript, default: []].append(coding) }
        return codes.map { code in
            var counts = participants.map { participant in
                (byParticipant[participant] ?? []).filter { Code.covers(code, $0.code) }.count
            }
            if presence { counts = counts.map { $0 > 0 ? 1 : 0 } }
            return (code, counts)
        }
    }

    /// A pair of codes found together, with the units and participants where they were.
    public struct Cooccurrence: Sendable, Equatable {
        public var codeA: String
        public var codeB: String
        public var units: Int
        public var participants: Int
    }

    /// Pairs of codes that occur together: in the same turn, or (with `spans`) in overlapping
    /// spans of a turn (a whole-turn coding overlaps every span of its turn). Each unit counts
    /// once per pair, whoever coded it. Most frequent first, then by the codes.
    public static func cooccurrence(_ codings: [PlacedCoding], spans: Bool) -> [Cooccurrence] {
        var byTurn: [String: [PlacedCoding]] = [:]
        for coding in codings { byTurn["\(coding.transcript)#\(coding.turn)", default: []].append(coding) }
        var pairs: [String: (count: Int, participants: Set<String>)] = [:]
        for (_, turn) in byTurn {
            var found = Set<String>()
            for (i, a) in turn.enumerated() {
                for b in turn[(i + 1)...] where a.code != b.code {
                    if spans && !overlap(a, b) { continue }
                    found.insert([a.code, b.code].sorted().joined(separator: "\u{1F}"))
                }
            }
            for key in found {
                pairs[key, default: (0, [])].count += 1
                pairs[key]!.participants.insert(turn[0].transcript)
            }
        }
        return pairs.sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }.map { key, value in
            let codes = key.split(separator: "\u{1F}").map(String.init)
            return Cooccurrence(codeA: codes[0], codeB: codes[1], units: value.count, participants: value.participants.count)
        }
    }

    static func overlap(_ a: PlacedCoding, _ b: PlacedCoding) -> Bool {
        guard let aStart = a.start, let aEnd = a.end, let bStart = b.start, let bEnd = b.end else { return true }
        return aStart < bEnd && bStart < aEnd
    }
}
