import Core
import Foundation

/// One coding decision: a coder applied a code to a turn of a transcript, or to a span of it.
///
/// Codings are anchored as in the W3C Web Annotation model: by position (`turn`, and
/// `start`..<`end` counted in Unicode scalars of the turn's text), by the quoted words of a span,
/// and by the fingerprint of the turn (its text's hash and its neighbours' edges), so a coding
/// survives edits to the transcript or is reported; see `Reanchoring`.
public struct Coding: Sendable, Equatable {
    public var transcript: String
    public var turn: Int
    public var start: Int?
    public var end: Int?
    public var quote: String?
    /// The turn's fingerprint when the coding was recorded; nil in codings written before
    /// fingerprints existed.
    public var fingerprint: TurnFingerprint?
    public var code: String
    public var coder: String
    public var memo: String?
    /// When the decision was recorded (ISO 8601), as written by `tag`.
    public var at: String?
    /// Where the coding is recorded: its file and line.
    public var location: SourceLocation

    public init(transcript: String, turn: Int, start: Int? = nil, end: Int? = nil, quote: String? = nil,
                fingerprint: TurnFingerprint? = nil, code: String, coder: String, memo: String? = nil, at: String? = nil,
                location: SourceLocation) {
        self.transcript = transcript
        self.turn = turn
        self.start = start
        self.end = end
        self.quote = quote
        self.fingerprint = fingerprint
        self.code = code
        self.coder = coder
        self.memo = memo
        self.at = at
        self.location = location
    }

    /// What the coding points at, for re-anchoring.
    public var target: TextTarget {
        TextTarget(transcript: transcript, turn: turn, start: start, end: end, quote: quote, fingerprint: fingerprint)
    }

    /// The coding as one JSON Lines record, keys in a fixed order so files diff cleanly.
    public var jsonLine: String {
        var parts = target.jsonFields
        parts.append("\"code\":\(JSONText.string(code))")
        parts.append("\"coder\":\(JSONText.string(coder))")
        if let memo { parts.append("\"memo\":\(JSONText.string(memo))") }
        if let at { parts.append("\"at\":\(JSONText.string(at))") }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

/// A coding that applies a code to a participant (a case) as a whole, not to a turn or span:
/// the form in which studies that code per participant (the ICSE 2023 interviews) record their
/// codes, and what REFI-QDA models as a `CodeRef` on a `Case`.
///
/// It may list the excerpts that ground it; each is anchored like a coding and re-anchors the
/// same way (`Reanchoring.resolve(_:in:)` on each `TextTarget`).
public struct CaseCoding: Sendable, Equatable {
    /// The participant id, as in participants.csv.
    public var participant: String
    public var code: String
    public var coder: String
    public var excerpts: [TextTarget]
    public var memo: String?
    public var at: String?
    public var location: SourceLocation

    public init(participant: String, code: String, coder: String, excerpts: [TextTarget] = [], memo: String? = nil,
                at: String? = nil, location: SourceLocation) {
        self.participant = participant
        self.code = code
        self.coder = coder
        self.excerpts = excerpts
        self.memo = memo
        self.at = at
        self.location = location
    }

    /// The coding as one JSON Lines record: `{"kind":"case","participant":…,"code":…,"coder":…}`
    /// then the excerpts (if any), memo and time, keys in a fixed order.
    public var jsonLine: String {
        var parts = ["\"kind\":\"case\"", "\"participant\":\(JSONText.string(participant))",
                     "\"code\":\(JSONText.string(code))", "\"coder\":\(JSONText.string(coder))"]
        if !excerpts.isEmpty {
            parts.append("\"excerpts\":[" + excerpts.map { "{" + $0.jsonFields.joined(separator: ",") + "}" }.joined(separator: ",") + "]")
        }
        if let memo { parts.append("\"memo\":\(JSONText.string(memo))") }
        if let at { parts.append("\"at\":\(JSONText.string(at))") }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

/// One line of a codings file: a coding of text (a turn or a span), or of a whole case.
public enum CodingRecord: Sendable, Equatable {
    case text(Coding)
    case participant(CaseCoding)

    public var code: String {
        switch self {
        case .text(let coding): return coding.code
        case .participant(let coding): return coding.code
        }
    }

    public var coder: String {
        switch self {
        case .text(let coding): return coding.coder
        case .participant(let coding): return coding.coder
        }
    }

    public var location: SourceLocation {
        switch self {
        case .text(let coding): return coding.location
        case .participant(let coding): return coding.location
        }
    }

    public var jsonLine: String {
        switch self {
        case .text(let coding): return coding.jsonLine
        case .participant(let coding): return coding.jsonLine
        }
    }
}

extension TextTarget {
    /// The target's JSON fields in file order: transcript, turn, span, quote, fingerprint.
    var jsonFields: [String] {
        var parts = ["\"transcript\":\(JSONText.string(transcript))", "\"turn\":\(turn)"]
        if let start, let end {
            parts.append("\"start\":\(start)")
            parts.append("\"end\":\(end)")
        }
        if let quote { parts.append("\"quote\":\(JSONText.string(quote))") }
        if let fingerprint {
            var fields = ["\"sha256\":\(JSONText.string(fingerprint.sha256))", "\"length\":\(fingerprint.length)"]
            if let prefix = fingerprint.prefix { fields.append("\"prefix\":\(JSONText.string(prefix))") }
            if let suffix = fingerprint.suffix { fields.append("\"suffix\":\(JSONText.string(suffix))") }
            parts.append("\"fingerprint\":{" + fields.joined(separator: ",") + "}")
        }
        return parts
    }
}

/// Problems in a codings file.
public struct CodingError: LocatedError, Equatable {
    public var location: SourceLocation?
    public var message: String

    public init(_ message: String, at location: SourceLocation?) {
        self.message = message
        self.location = location
    }
}

/// Reads and writes `corpus/codings/<coder>.jsonl`: one coding per line.
///
/// A line is a turn or span coding (`{"transcript":…,"turn":…}`, optionally with `start`, `end`,
/// `quote` and `fingerprint`) or a case-level coding (`{"kind":"case","participant":…}`). Lines
/// written before fingerprints and case codings existed read unchanged; every new field is
/// optional, and a line never gains a field it did not need.
public enum CodingFile {
    /// The turn and span codings of a file; a case-level line is an error here, so that a
    /// caller that does not yet read them cannot drop them silently (use `readRecords`).
    public static func read(_ url: URL, displayPath: String) throws -> [Coding] {
        try parse(TextFile.read(url, displayPath: displayPath), file: displayPath)
    }

    public static func parse(_ text: String, file: String) throws -> [Coding] {
        try parseRecords(text, file: file).map { record in
            switch record {
            case .text(let coding): return coding
            case .participant(let coding):
                throw CodingError("this line is a case-level coding (\"kind\":\"case\"), which this command does not read; expected a turn or span coding", at: coding.location)
            }
        }
    }

    /// Every coding of a file, text and case-level, in file order.
    public static func readRecords(_ url: URL, displayPath: String) throws -> [CodingRecord] {
        try parseRecords(TextFile.read(url, displayPath: displayPath), file: displayPath)
    }

    public static func parseRecords(_ text: String, file: String) throws -> [CodingRecord] {
        var records: [CodingRecord] = []
        for (index, line) in TextFile.lines(text).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            records.append(try parseRecord(trimmed, location: SourceLocation(file: file, line: index + 1, column: 1)))
        }
        return records
    }

    /// The file's text with a fingerprint added to every turn or span coding that has none and
    /// whose words are where it says in the current transcript (see `Reanchoring.migrate` for
    /// what that can promise). Other lines, blank lines and the line order stay byte for byte, so
    /// the rewrite diffs as exactly the migrated lines.
    public static func migrated(_ text: String, file: String, transcripts: [String: TranscriptText]) throws
        -> (text: String, migrated: [SourceLocation]) {
        var lines: [String] = []
        var migrated: [SourceLocation] = []
        for (index, line) in TextFile.lines(text).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { lines.append(String(line)); continue }
            let location = SourceLocation(file: file, line: index + 1, column: 1)
            guard case .text(let coding) = try parseRecord(trimmed, location: location), coding.fingerprint == nil else {
                lines.append(String(line))
                continue
            }
            let updated = Reanchoring.migrate(coding, in: transcripts[coding.transcript])
            if updated.fingerprint != nil {
                lines.append(updated.jsonLine)
                migrated.append(location)
            } else {
                lines.append(String(line))
            }
        }
        let ending = text.isEmpty || text.hasSuffix("\n") || text.hasSuffix("\r") ? "\n" : ""
        return (lines.joined(separator: "\n") + (lines.isEmpty ? "" : ending), migrated)
    }

    /// A problem found while decoding, located by the caller.
    private struct Problem: Error {
        var message: String
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let textKeys = ["transcript", "turn", "start", "end", "quote", "fingerprint", "code", "coder", "memo", "at"]
    private static let caseKeys = ["kind", "participant", "code", "coder", "excerpts", "memo", "at"]
    private static let excerptKeys = ["transcript", "turn", "start", "end", "quote", "fingerprint"]
    private static let fingerprintKeys = ["sha256", "length", "prefix", "suffix"]

    private static func checkKeys(_ container: KeyedDecodingContainer<AnyKey>, allowed: [String], in what: String) throws {
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) {
            throw Problem(message: "unknown key '\(unknown)'\(what); expected \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// A line's `kind`, decoded first to choose the record's shape.
    private struct Kind: Decodable {
        var kind: String?
        init(from decoder: Decoder) throws {
            kind = try decoder.container(keyedBy: AnyKey.self).decodeIfPresent(String.self, forKey: AnyKey(stringValue: "kind"))
        }
    }

    /// The fields of a turn or span coding, as JSON types them; Codable gives exact type checks
    /// (a `true` or `1.5` is not a turn number), and unknown keys are refused.
    private struct TextRecord: Decodable {
        var target: TextTarget
        var code: String
        var coder: String
        var memo: String?
        var at: String?

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            try CodingFile.checkKeys(container, allowed: CodingFile.textKeys, in: "")
            target = try TargetRecord(from: decoder).target
            code = try container.decode(String.self, forKey: AnyKey(stringValue: "code"))
            coder = try container.decode(String.self, forKey: AnyKey(stringValue: "coder"))
            memo = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "memo"))
            at = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "at"))
        }
    }

    /// Where a coding or an excerpt points: transcript, turn, span, quote, fingerprint.
    private struct TargetRecord: Decodable {
        var target: TextTarget

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            func key(_ name: String) -> AnyKey { AnyKey(stringValue: name) }
            target = TextTarget(
                transcript: try container.decode(String.self, forKey: key("transcript")),
                turn: try container.decode(Int.self, forKey: key("turn")),
                start: try container.decodeIfPresent(Int.self, forKey: key("start")),
                end: try container.decodeIfPresent(Int.self, forKey: key("end")),
                quote: try container.decodeIfPresent(String.self, forKey: key("quote")),
                fingerprint: try container.decodeIfPresent(FingerprintRecord.self, forKey: key("fingerprint"))?.fingerprint)
            if (target.start == nil) != (target.end == nil) {
                throw Problem(message: "expected both \"start\" and \"end\" for a span, or neither for a whole turn")
            }
            if let start = target.start, let end = target.end, start < 0 || end <= start {
                throw Problem(message: "expected 0 ≤ start < end, found start \(start) and end \(end)")
            }
            if target.turn < 1 {
                throw Problem(message: "expected a turn number from 1, found \(target.turn)")
            }
        }
    }

    private struct ExcerptRecord: Decodable {
        var target: TextTarget
        init(from decoder: Decoder) throws {
            try CodingFile.checkKeys(try decoder.container(keyedBy: AnyKey.self), allowed: CodingFile.excerptKeys, in: " in an excerpt")
            target = try TargetRecord(from: decoder).target
        }
    }

    private struct FingerprintRecord: Decodable {
        var fingerprint: TurnFingerprint
        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            try CodingFile.checkKeys(container, allowed: CodingFile.fingerprintKeys, in: " in \"fingerprint\"")
            func key(_ name: String) -> AnyKey { AnyKey(stringValue: name) }
            fingerprint = TurnFingerprint(
                sha256: try container.decode(String.self, forKey: key("sha256")),
                length: try container.decode(Int.self, forKey: key("length")),
                prefix: try container.decodeIfPresent(String.self, forKey: key("prefix")),
                suffix: try container.decodeIfPresent(String.self, forKey: key("suffix")))
            let hex = fingerprint.sha256.unicodeScalars
            if hex.count != 64 || !hex.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) {
                throw Problem(message: "expected \"sha256\" in \"fingerprint\" to be 64 lowercase hex digits, found \"\(fingerprint.sha256)\"")
            }
            if fingerprint.length < 0 {
                throw Problem(message: "expected \"length\" in \"fingerprint\" to be 0 or more, found \(fingerprint.length)")
            }
        }
    }

    private struct CaseRecord: Decodable {
        var coding: CaseCoding
        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            try CodingFile.checkKeys(container, allowed: CodingFile.caseKeys, in: " in a case-level coding")
            func key(_ name: String) -> AnyKey { AnyKey(stringValue: name) }
            coding = CaseCoding(
                participant: try container.decode(String.self, forKey: key("participant")),
                code: try container.decode(String.self, forKey: key("code")),
                coder: try container.decode(String.self, forKey: key("coder")),
                excerpts: try container.decodeIfPresent([ExcerptRecord].self, forKey: key("excerpts"))?.map(\.target) ?? [],
                memo: try container.decodeIfPresent(String.self, forKey: key("memo")),
                at: try container.decodeIfPresent(String.self, forKey: key("at")),
                location: SourceLocation(file: ""))
            if coding.participant.trimmingCharacters(in: .whitespaces).isEmpty {
                throw Problem(message: "expected \"participant\" to name a participant, found an empty text")
            }
        }
    }

    /// Parses one line of a codings file that holds a turn or span coding.
    public static func parseLine(_ line: String, location: SourceLocation) throws -> Coding {
        switch try parseRecord(line, location: location) {
        case .text(let coding): return coding
        case .participant:
            throw CodingError("this line is a case-level coding (\"kind\":\"case\"); expected a turn or span coding", at: location)
        }
    }

    /// Parses one line of a codings file.
    public static func parseRecord(_ line: String, location: SourceLocation) throws -> CodingRecord {
        let data = Data(line.utf8)
        let decoder = JSONDecoder()
        do {
            let kind = try decoder.decode(Kind.self, from: data).kind
            switch kind {
            case nil:
                let record = try decoder.decode(TextRecord.self, from: data)
                let target = record.target
                return .text(Coding(
                    transcript: target.transcript, turn: target.turn, start: target.start, end: target.end, quote: target.quote,
                    fingerprint: target.fingerprint, code: record.code, coder: record.coder, memo: record.memo, at: record.at,
                    location: location))
            case "case":
                var coding = try decoder.decode(CaseRecord.self, from: data).coding
                coding.location = location
                return .participant(coding)
            case let other?:
                throw Problem(message: "expected \"kind\" to be \"case\" (or no kind, for a turn or span coding), found \"\(other)\"")
            }
        } catch let problem as Problem {
            throw CodingError(problem.message, at: location)
        } catch DecodingError.keyNotFound(let key, let context) {
            throw CodingError("expected a \"\(key.stringValue)\" field\(Self.within(context.codingPath)), found none", at: location)
        } catch DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context) {
            if context.codingPath.isEmpty {
                throw CodingError("expected one JSON object per line, found \(Self.jsonValue(at: [], in: data))", at: location)
            }
            let key = context.codingPath.last?.stringValue ?? "the line"
            let expected = type == Int.self ? "a whole number" : (type == String.self ? "text" : (type is [Any].Type ? "a list" : "\(type)"))
            let found = Self.jsonValue(at: context.codingPath, in: data)
            throw CodingError("expected \"\(key)\"\(Self.within(context.codingPath.dropLast())) to be \(expected), found \(found)", at: location)
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            let key = context.codingPath.last?.stringValue ?? "the line"
            throw CodingError("expected \"\(key)\"\(Self.within(context.codingPath.dropLast())) to be a whole number, found \(Self.jsonValue(at: context.codingPath, in: data))", at: location)
        } catch {
            throw CodingError("expected one JSON object per line, found text that is not valid JSON", at: location)
        }
    }

    /// " in \"fingerprint\"" or " in excerpt 2" for a nested field; empty at the top level.
    private static func within(_ path: some Collection<CodingKey>) -> String {
        guard let last = path.reversed().first(where: { $0.intValue == nil }) else { return "" }
        if let index = path.reversed().first(where: { $0.intValue != nil })?.intValue, last.stringValue == "excerpts" {
            return " in excerpt \(index + 1)"
        }
        return " in \"\(last.stringValue)\""
    }

    /// How a field's value is written in the line, for "found …" in messages.
    private static func jsonValue(at path: [CodingKey], in data: Data) -> String {
        guard var value: Any = try? JSONSerialization.jsonObject(with: data) else { return "nothing" }
        for key in path {
            if let index = key.intValue, let array = value as? [Any], array.indices.contains(index) {
                value = array[index]
            } else if let object = value as? [String: Any], let next = object[key.stringValue] {
                value = next
            } else {
                return "nothing"
            }
        }
        if value is NSNull { return "null" }
        if let text = value as? String { return "\"\(text)\"" }
        if value is [Any] { return "a list" }
        if value is [String: Any] { return "an object" }
        return "\(value)"
    }
}
