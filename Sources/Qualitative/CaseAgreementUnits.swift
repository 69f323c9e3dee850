/// The units of inter-coder agreement on case-level codes: one unit per participant and code,
/// rated present or absent by each coder.
///
/// Agreement on case-level codes is meaningful as agreement about participants: did this
/// participant express this code, yes or no? So the unit is a participant (for one code at a
/// time, as with turn and character units), not a stretch of text. A coder rates participant P
/// "present" for code C when they applied C or a sub-code to P. A coder who made no case-level
/// coding of P at all is missing (nil) for P rather than "absent": not having assessed a case is
/// not a judgement, and Krippendorff's alpha takes such partial tables as they are. Only
/// participants assessed by at least two of the coders are units.
///
/// With `countTextCodings`, a coder's turn and span codings in P's transcript also count, as
/// presence and as having assessed P: this compares a coder who coded per participant (the ICSE
/// study's authors) with one who coded the transcripts, at the level both share. The rows are
/// ready to become a Statistics `RatingTable` (each row is one unit, weight 1).
public struct CaseAgreementUnits: Sendable {
    /// The coders compared, duplicates removed, in the order given.
    public let coders: [String]
    /// The participants that are units (assessed by two coders or more), sorted.
    public let participants: [String]
    /// Per participant (as in `participants`), per coder: the codes applied, or nil if unassessed.
    private let applied: [[Set<String>?]]

    public init(evidence: ParticipantEvidence, coders: [String], countTextCodings: Bool = false) {
        var unique: [String] = []
        var coderIndex: [String: Int] = [:]
        for coder in coders where coderIndex[coder] == nil {
            coderIndex[coder] = unique.count
            unique.append(coder)
        }
        self.coders = unique
        var byParticipant: [String: [Int: Set<String>]] = [:]
        for entry in evidence.entries where entry.isCaseLevel || countTextCodings {
            guard let coder = coderIndex[entry.coder] else { continue }
            byParticipant[entry.participant, default: [:]][coder, default: []].insert(entry.code)
        }
        let participants = byParticipant.filter { $0.value.count >= 2 }.keys.sorted()
        self.participants = participants
        self.applied = participants.map { participant in
            unique.indices.map { byParticipant[participant]?[$0] }
        }
    }

    /// `ratings[row][coder]` for participant `participants[row]`: `UnitRatings.present`,
    /// `UnitRatings.absent`, or nil when the coder did not assess that participant.
    public func ratings(for code: String) -> [[String?]] {
        applied.map { row in
            row.map { codes in
                codes.map { $0.contains { ParticipantEvidence.covers(code, $0) } ? UnitRatings.present : UnitRatings.absent }
            }
        }
    }

    /// The participants on which the coders who assessed them differ about one code.
    public func disagreements(for code: String) -> [(participant: String, applied: [String], notApplied: [String])] {
        var found: [(participant: String, applied: [String], notApplied: [String])] = []
        for (row, ratings) in ratings(for: code).enumerated() {
            var applied: [String] = [], notApplied: [String] = []
            for (coder, rating) in zip(coders, ratings) {
                if rating == UnitRatings.present { applied.append(coder) } else if rating == UnitRatings.absent { notApplied.append(coder) }
            }
            if !applied.isEmpty && !notApplied.isEmpty { found.append((participants[row], applied, notApplied)) }
        }
        return found
    }
}
