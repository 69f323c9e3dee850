/// Which participants have evidence for which codes: their text codings (a turn or span of their
/// transcript) and their case-level codings, the two forms a study may mix.
///
/// This is the one place that decides what "participant P has code C" means, for the code ×
/// participant matrix, saturation and the interview column of the claim matrix: P has C when a
/// coding of C, or of a sub-code `C/…`, lies in P's transcript or is a case-level coding of P.
/// A case-level coding counts as one coding of its participant; the excerpts it lists ground it
/// but do not count again.
public struct ParticipantEvidence: Sendable {
    /// One piece of evidence: a code applied to a participant, by a coder, in text or to the case.
    public struct Entry: Sendable, Equatable {
        public var participant: String
        public var code: String
        public var coder: String
        public var isCaseLevel: Bool
    }

    public let entries: [Entry]

    /// - Parameters:
    ///   - placed: anchored text codings (orphans left out: they stand nowhere).
    ///   - caseCodings: case-level codings.
    ///   - participantOfTranscript: the participant each transcript belongs to; a transcript not
    ///     listed belongs to the participant with its id, as in a study where `P03.docx` is P03.
    public init(placed: [PlacedCoding], caseCodings: [CaseCoding], participantOfTranscript: [String: String] = [:]) {
        entries = placed.map {
            Entry(participant: participantOfTranscript[$0.transcript] ?? $0.transcript, code: $0.code, coder: $0.coder, isCaseLevel: false)
        } + caseCodings.map { Entry(participant: $0.participant, code: $0.code, coder: $0.coder, isCaseLevel: true) }
    }

    /// Only the evidence of one coder.
    public func coder(_ coder: String) -> ParticipantEvidence {
        ParticipantEvidence(entries: entries.filter { $0.coder == coder })
    }

    private init(entries: [Entry]) {
        self.entries = entries
    }

    /// Whether a coding of `applied` counts for `code`: the code itself or a sub-code.
    public static func covers(_ code: String, _ applied: String) -> Bool {
        applied == code || applied.hasPrefix(code + "/")
    }

    /// The codes applied to each participant, as applied (a sub-code stays itself).
    public func codesByParticipant() -> [String: Set<String>] {
        var codes: [String: Set<String>] = [:]
        for entry in entries { codes[entry.participant, default: []].insert(entry.code) }
        return codes
    }

    /// The participants with evidence for `code` (or its sub-codes), sorted.
    public func participants(for code: String) -> [String] {
        Set(entries.filter { Self.covers(code, $0.code) }.map(\.participant)).sorted()
    }
}

/// Codes × participants: how many codings (or, for presence, whether any) each participant has
/// for each code, counting text and case-level codings alike (see `ParticipantEvidence`).
///
/// A neutral value: `codes` are the rows and `participants` the columns in the order given;
/// the lead renders it as a `ReportTable` (Coding does not depend on Reports).
public struct CodeParticipantMatrix: Sendable, Equatable {
    public var codes: [String]
    public var participants: [String]
    /// `counts[row][column]`: codings of `codes[row]` (with sub-codes) for `participants[column]`,
    /// or 1/0 for presence.
    public var counts: [[Int]]
    public var presence: Bool

    public init(codes: [String], participants: [String], evidence: ParticipantEvidence, presence: Bool) {
        self.codes = codes
        self.participants = participants
        self.presence = presence
        var column: [String: Int] = [:]
        for (index, participant) in participants.enumerated() where column[participant] == nil { column[participant] = index }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: participants.count), count: codes.count)
        for (row, code) in codes.enumerated() {
            for entry in evidence.entries where ParticipantEvidence.covers(code, entry.code) {
                guard let index = column[entry.participant] else { continue }
                counts[row][index] = presence ? 1 : counts[row][index] + 1
            }
        }
        self.counts = counts
    }

    /// A row's total: codings, or participants for presence.
    public func total(row: Int) -> Int { counts[row].reduce(0, +) }
}
