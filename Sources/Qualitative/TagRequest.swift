/// Where a tag goes: a transcript and a turn, as written `P03#12`, or a range of turns, `P03#12-15`.
public struct TurnAddress: Sendable, Equatable, CustomStringConvertible {
    public var transcript: String
    public var turn: Int
    /// The last turn of a range (inclusive); nil for one turn.
    public var lastTurn: Int?

    public init(transcript: String, turn: Int, lastTurn: Int? = nil) {
        self.transcript = transcript
        self.turn = turn
        self.lastTurn = lastTurn
    }

    /// Parses `TRANSCRIPT#TURN` or `TRANSCRIPT#FIRST-LAST`.
    public init?(_ text: String) {
        let parts = text.split(separator: "#", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        let bounds = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        guard let first = Int(bounds[0]), first >= 1 else { return nil }
        if bounds.count == 1 {
            self.init(transcript: String(parts[0]), turn: first)
        } else if bounds.count == 2, let last = Int(bounds[1]), last > first {
            self.init(transcript: String(parts[0]), turn: first, lastTurn: last)
        } else {
            return nil
        }
    }

    public var turns: ClosedRange<Int> { turn...(lastTurn ?? turn) }

    public var description: String { lastTurn.map { "\(transcript)#\(turn)-\($0)" } ?? "\(transcript)#\(turn)" }
}

/// One coding decision to record: codes for a turn, or for the quoted span of it.
public struct TagRequest: Sendable, Equatable {
    public var transcript: String
    public var turn: Int
    public var codes: [String]
    public var quote: String?
    public var memo: String?
    /// Where the request came from (a batch file's line), for error messages.
    public var origin: String?

    public init(transcript: String, turn: Int, codes: [String], quote: String? = nil, memo: String? = nil, origin: String? = nil) {
        self.transcript = transcript
        self.turn = turn
        self.codes = codes
        self.quote = quote
        self.memo = memo
        self.origin = origin
    }

    /// One request per turn of `address` (a range codes each of its turns whole).
    public static func expand(_ address: TurnAddress, codes: [String], quote: String?, memo: String?) throws -> [TagRequest] {
        if address.lastTurn != nil && quote != nil {
            throw CodingError("a quote locates words in one turn; give one turn (\(address.transcript)#\(address.turn)) with --quote, or a range without it", at: nil)
        }
        return address.turns.map { TagRequest(transcript: address.transcript, turn: $0, codes: codes, quote: quote, memo: memo) }
    }
}
