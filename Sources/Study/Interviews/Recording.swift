import Claims
import Core
import Foundation
import Index
import Project
import Qualitative

/// What `tag` did.
public struct TagOutcome: Sendable, Equatable {
    public var written: [Coding]
    /// Codes that the coder had already applied at that place: "P01#3 trust".
    public var alreadyPresent: [String]
}

/// What `untag` removed.
public struct UntagOutcome: Sendable, Equatable {
    public var removed: [Coding]
}

/// Records decisions: each is written to its text file first (atomically, under the study lock),
/// and only then does the index learn of it.
public struct Recorder {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    /// Applies codes to a turn or range of turns, or to the span of one turn that `quote` names.
    public func tag(_ address: TurnAddress, codes: [String], coder: String, quote: String?, memo: String?,
                    at timestamp: Date = Date()) throws -> TagOutcome {
        try tag(TagRequest.expand(address, codes: codes, quote: quote, memo: memo), coder: coder, at: timestamp)
    }

    /// Records many tag requests for one coder at once: every request is checked first, and
    /// either all are written, in one atomic append, or none.
    public func tag(_ requests: [TagRequest], coder: String, at timestamp: Date = Date()) throws -> TagOutcome {
        try Self.checkCoder(coder)
        return try study.withLock {
            let (index, _) = try StudyIndex.open(study)
            try index.requireNoErrors(in: StudyIndex.codingInputs)
            let knownCodes = try index.sortedCodeIDs()
            let stamp = ISO8601DateFormatter().string(from: timestamp)
            let file = study.layout.codingFile(for: coder)
            var outcome = TagOutcome(written: [], alreadyPresent: [])
            // A whole-turn coding carries its turn's fingerprint, so after an edit it lands on
            // the same words or is reported — never on whatever now has its turn number.
            var texts: [String: TranscriptText] = [:]
            func fingerprint(_ transcript: String, _ turn: Int) throws -> TurnFingerprint? {
                if texts[transcript] == nil {
                    texts[transcript] = TranscriptText(id: transcript, turns: Dictionary(
                        try index.turns(of: transcript).map { ($0.number, $0.text) }, uniquingKeysWith: { first, _ in first }))
                }
                return TurnFingerprint.of(turn: turn, in: texts[transcript]!)
            }
            for request in requests {
                func fail(_ error: Error) -> Error {
                    guard let origin = request.origin else { return error }
                    return StudyError.invalid("\(origin): \((error as? LocatedError)?.message ?? String(describing: error))", at: nil)
                }
                do {
                    let turnText = try index.turnText(request.transcript, request.turn)
                    for code in request.codes where !knownCodes.contains(code) {
                        throw StudyError.unknown(kind: "code", name: code, known: knownCodes)
                    }
                    var start: Int? = nil, end: Int? = nil
                    if let quote = request.quote {
                        let span = try Self.locate(quote, in: turnText, address: "\(request.transcript)#\(request.turn)")
                        start = span.lowerBound
                        end = span.upperBound
                    }
                    let existing = try index.codesApplied(by: coder, transcript: request.transcript, turn: request.turn, start: start, end: end)
                    for code in request.codes {
                        let duplicate = outcome.written.contains {
                            $0.transcript == request.transcript && $0.turn == request.turn && $0.start == start && $0.code == code
                        }
                        if existing.contains(code) || duplicate {
                            outcome.alreadyPresent.append("\(request.transcript)#\(request.turn) \(code)")
                            continue
                        }
                        outcome.written.append(Coding(
                            transcript: request.transcript, turn: request.turn, start: start, end: end, quote: request.quote,
                            fingerprint: request.quote == nil ? try fingerprint(request.transcript, request.turn) : nil,
                            code: code, coder: coder, memo: request.memo, at: stamp,
                            location: SourceLocation(file: study.relativePath(file))))
                    }
                } catch {
                    throw fail(error)
                }
            }
            if !outcome.written.isEmpty {
                try AtomicFile.append(outcome.written.map { $0.jsonLine + "\n" }.joined(), to: file)
                try index.refresh()
            }
            return outcome
        }
    }

    /// Removes a coder's codings of `codes` at a turn (whole-turn codings, or the span `quote` names).
    public func untag(_ address: TurnAddress, codes: [String], coder: String, quote: String?) throws -> UntagOutcome {
        try Self.checkCoder(coder)
        return try study.withLock {
            let (index, _) = try StudyIndex.open(study)
            try index.requireNoErrors(in: StudyIndex.codingInputs)
            let file = study.layout.codingFile(for: coder)
            let path = study.relativePath(file)
            var removeLines = Set<Int>()
            for turn in address.turns {
                let turnText = try index.turnText(address.transcript, turn)
                var start: Int? = nil, end: Int? = nil
                if let quote {
                    let span = try Self.locate(quote, in: turnText, address: "\(address.transcript)#\(turn)")
                    start = span.lowerBound
                    end = span.upperBound
                }
                let lines = try index.codingLines(in: path, transcript: address.transcript, turn: turn, start: start, end: end, codes: codes)
                removeLines.formUnion(lines)
            }
            guard !removeLines.isEmpty else {
                throw StudyError.invalid("\(coder) has no coding of \(codes.joined(separator: ", ")) at \(address)\(quote == nil ? " covering whole turns (pass --quote for a span)" : " on that quote"); nothing was removed", at: nil)
            }
            let text = try TextFile.read(file, displayPath: path)
            var kept: [String] = []
            var removed: [Coding] = []
            for (offset, line) in TextFile.lines(text).enumerated() {
                if removeLines.contains(offset + 1) {
                    removed.append(try CodingFile.parseLine(line.trimmingCharacters(in: .whitespaces),
                                                            location: SourceLocation(file: path, line: offset + 1)))
                } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    kept.append(String(line))
                }
            }
            try AtomicFile.write(kept.isEmpty ? "" : kept.joined(separator: "\n") + "\n", to: file)
            try index.refresh()
            return UntagOutcome(removed: removed)
        }
    }

    static func checkCoder(_ coder: String) throws {
        guard Code.isValidSegment(coder) else {
            throw StudyError.invalid("expected a coder name of lowercase letters, digits, '-' and '_' (it names the file corpus/codings/<coder>.jsonl), found '\(coder)'", at: nil)
        }
    }

    /// The one place of `quote` in a turn, or an error that shows what the turn says.
    static func locate(_ quote: String, in text: String, address: String) throws -> Range<Int> {
        let hits = Anchoring.occurrences(of: quote, in: text)
        if hits.isEmpty {
            throw StudyError.invalid("the quote is not in \(address): expected words copied exactly from the turn, which reads: \"\(excerpt(text, around: 0, length: 0))\"", at: nil)
        }
        if hits.count > 1 {
            let shown = hits.map { "at \($0): \"\(excerpt(text, around: $0, length: quote.unicodeScalars.count))\"" }
            throw StudyError.invalid("the quote occurs \(hits.count) times in \(address); quote more words so it occurs once:\n  " + shown.joined(separator: "\n  "), at: nil)
        }
        return hits[0]..<(hits[0] + quote.unicodeScalars.count)
    }

    /// A short piece of a turn around a position, for error messages.
    static func excerpt(_ text: String, around start: Int, length: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        let from = max(0, start - 20), to = min(scalars.count, max(start + length + 20, from + 80))
        var piece = String(String.UnicodeScalarView(scalars[from..<to])).replacingOccurrences(of: "\n", with: " ")
        if from > 0 { piece = "…" + piece }
        if to < scalars.count { piece += "…" }
        return piece
    }

    /// Writes a new claim file; refuses to replace an existing claim.
    public func addClaim(_ claim: Claim) throws -> URL {
        return try study.withLock {
            let (index, _) = try StudyIndex.open(study)
            let existing = try index.claimPath(claim.id)
            let url = study.layout.claimFile(for: claim.id)
            if let existing {
                throw StudyError.invalid("claim \(claim.id) already exists in \(existing); edit that file instead", at: nil)
            }
            if FileManager.default.fileExists(atPath: url.path) {
                throw StudyError.invalid("\(study.relativePath(url)) already exists; edit that file instead", at: nil)
            }
            let knownCodes = try index.sortedCodeIDs()
            for code in claim.codes where !knownCodes.contains(code) {
                throw StudyError.unknown(kind: "code", name: code, known: knownCodes)
            }
            // Parse what will be written, so a claim that could not be read back is never written.
            _ = try Claim.parse(claim.yamlText, file: study.relativePath(url))
            try AtomicFile.write(claim.yamlText, to: url)
            try index.refresh()
            return url
        }
    }
}
