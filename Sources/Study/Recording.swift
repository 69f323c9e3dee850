import Claims
import Coding
import Core
import Foundation
import GRDB

/// Where a tag goes: a transcript and a turn, as written `P03#12`.
public struct TurnAddress: Sendable, Equatable, CustomStringConvertible {
    public var transcript: String
    public var turn: Int

    public init(transcript: String, turn: Int) {
        self.transcript = transcript
        self.turn = turn
    }

    /// Parses `TRANSCRIPT#TURN`.
    public init?(_ text: String) {
        let parts = text.split(separator: "#", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let turn = Int(parts[1]), turn >= 1 else { return nil }
        self.init(transcript: String(parts[0]), turn: turn)
    }

    public var description: String { "\(transcript)#\(turn)" }
}

/// What `tag` did for each code.
public struct TagOutcome: Sendable, Equatable {
    public var written: [Coding]
    public var alreadyPresent: [String]
}

/// Records decisions: each is written to its text file first (atomically, under the study lock),
/// and only then does the index learn of it.
public struct Recorder {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    /// Applies codes to a turn, or to the span of it that `quote` names, for one coder.
    public func tag(_ address: TurnAddress, codes: [String], coder: String, quote: String?, memo: String?,
                    at timestamp: Date = Date()) throws -> TagOutcome {
        guard Code.isValidSegment(coder) else {
            throw StudyError.invalid("expected a coder name of lowercase letters, digits, '-' and '_' (it names the file corpus/codings/<coder>.jsonl), found '\(coder)'", at: nil)
        }
        let lock = try study.lock()
        defer { withExtendedLifetime(lock) {} }
        let (index, _) = try StudyIndex.open(study)
        let (turnText, knownCodes) = try index.read { db -> (String?, [String]) in
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM transcript WHERE id = ?", arguments: [address.transcript]) ?? false
            if !exists {
                throw StudyError.unknown(kind: "transcript", name: address.transcript,
                                         known: try String.fetchAll(db, sql: "SELECT id FROM transcript ORDER BY id"))
            }
            let text = try String.fetchOne(db, sql: "SELECT text FROM turn WHERE transcript = ? AND number = ?",
                                           arguments: [address.transcript, address.turn])
            if text == nil {
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM turn WHERE transcript = ?", arguments: [address.transcript]) ?? 0
                throw StudyError.invalid("transcript \(address.transcript) has turns 1 to \(count); there is no turn \(address.turn)", at: nil)
            }
            return (text, try String.fetchAll(db, sql: "SELECT id FROM code ORDER BY id"))
        }
        for code in codes where !knownCodes.contains(code) {
            throw StudyError.unknown(kind: "code", name: code, known: knownCodes)
        }
        var start: Int? = nil, end: Int? = nil
        if let quote {
            let hits = Anchoring.occurrences(of: quote, in: turnText!)
            if hits.isEmpty {
                throw StudyError.invalid("the quote is not in \(address): expected words copied exactly from the turn, which reads: \"\(Self.excerpt(turnText!, around: 0, length: 0))\"", at: nil)
            }
            if hits.count > 1 {
                let shown = hits.map { "at \($0): \"\(Self.excerpt(turnText!, around: $0, length: quote.unicodeScalars.count))\"" }
                throw StudyError.invalid("the quote occurs \(hits.count) times in \(address); quote more words so it occurs once:\n  " + shown.joined(separator: "\n  "), at: nil)
            }
            start = hits[0]
            end = hits[0] + quote.unicodeScalars.count
        }
        let existing = try index.read { db in
            try String.fetchAll(db, sql: """
                SELECT code FROM coding WHERE coder = ? AND transcript = ? AND anchor_turn = ?
                AND anchor_start IS ? AND anchor_end IS ?
                """, arguments: [coder, address.transcript, address.turn, start, end])
        }
        let stamp = ISO8601DateFormatter().string(from: timestamp)
        let file = study.layout.codingFile(for: coder)
        var outcome = TagOutcome(written: [], alreadyPresent: [])
        var lines = ""
        for code in codes {
            if existing.contains(code) || outcome.written.contains(where: { $0.code == code }) {
                outcome.alreadyPresent.append(code)
                continue
            }
            let coding = Coding(transcript: address.transcript, turn: address.turn, start: start, end: end, quote: quote,
                                code: code, coder: coder, memo: memo, at: stamp,
                                location: SourceLocation(file: study.relativePath(file)))
            outcome.written.append(coding)
            lines += coding.jsonLine + "\n"
        }
        if !lines.isEmpty {
            try AtomicFile.append(lines, to: file)
            try index.refresh()
        }
        return outcome
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
        let lock = try study.lock()
        defer { withExtendedLifetime(lock) {} }
        let (index, _) = try StudyIndex.open(study)
        let existing = try index.read { db in try String.fetchOne(db, sql: "SELECT source FROM claim WHERE id = ?", arguments: [claim.id]) }
        let url = study.layout.claimFile(for: claim.id)
        if let existing {
            throw StudyError.invalid("claim \(claim.id) already exists in \(existing); edit that file instead", at: nil)
        }
        if FileManager.default.fileExists(atPath: url.path) {
            throw StudyError.invalid("\(study.relativePath(url)) already exists; edit that file instead", at: nil)
        }
        let knownCodes = try index.read { db in try String.fetchAll(db, sql: "SELECT id FROM code ORDER BY id") }
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
