import Core
import Foundation

/// One coding decision: a coder applied a code to a turn of a transcript, or to a span of it.
///
/// Spans are anchored twice, as in the W3C Web Annotation model: by position (`start`..<`end`,
/// counted in Unicode scalars of the turn's text) and by the quoted words, so a coding survives
/// edits to the transcript.
public struct Coding: Sendable, Equatable {
    public var transcript: String
    public var turn: Int
    public var start: Int?
    public var end: Int?
    public var quote: String?
    public var code: String
    public var coder: String
    public var memo: String?
    /// When the decision was recorded (ISO 8601), as written by `tag`.
    public var at: String?
    /// Where the coding is recorded: its file and line.
    public var location: SourceLocation

    public init(transcript: String, turn: Int, start: Int? = nil, end: Int? = nil, quote: String? = nil, code: String,
                coder: String, memo: String? = nil, at: String? = nil, location: SourceLocation) {
        self.transcript = transcript
        self.turn = turn
        self.start = start
        self.end = end
        self.quote = quote
        self.code = code
        self.coder = coder
        self.memo = memo
        self.at = at
        self.location = location
    }

    /// The coding as one JSON Lines record, keys in a fixed order so files diff cleanly.
    public var jsonLine: String {
        var parts = ["\"transcript\":\(JSONText.string(transcript))", "\"turn\":\(turn)"]
        if let start, let end {
            parts.append("\"start\":\(start)")
            parts.append("\"end\":\(end)")
        }
        if let quote { parts.append("\"quote\":\(JSONText.string(quote))") }
        parts.append("\"code\":\(JSONText.string(code))")
        parts.append("\"coder\":\(JSONText.string(coder))")
        if let memo { parts.append("\"memo\":\(JSONText.string(memo))") }
        if let at { parts.append("\"at\":\(JSONText.string(at))") }
        return "{" + parts.joined(separator: ",") + "}"
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
public enum CodingFile {
    public static func read(_ url: URL, displayPath: String) throws -> [Coding] {
        try parse(TextFile.read(url, displayPath: displayPath), file: displayPath)
    }

    public static func parse(_ text: String, file: String) throws -> [Coding] {
        var codings: [Coding] = []
        for (index, line) in TextFile.lines(text).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            codings.append(try parseLine(trimmed, location: SourceLocation(file: file, line: index + 1, column: 1)))
        }
        return codings
    }

    /// The fields of one line, as JSON types them; Codable gives exact type checks (a `true`
    /// or `1.5` is not a turn number), and unknown keys are refused separately.
    private struct Record: Decodable {
        var transcript: String
        var turn: Int
        var start: Int?
        var end: Int?
        var quote: String?
        var code: String
        var coder: String
        var memo: String?
        var at: String?
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct Keys: Decodable {
        var names: [String]
        init(from decoder: Decoder) throws {
            names = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        }
    }

    /// Parses one line of a codings file.
    public static func parseLine(_ line: String, location: SourceLocation) throws -> Coding {
        let data = Data(line.utf8)
        let decoder = JSONDecoder()
        let record: Record
        do {
            let keys = try decoder.decode(Keys.self, from: data).names
            let known: Set<String> = ["transcript", "turn", "start", "end", "quote", "code", "coder", "memo", "at"]
            if let unknown = keys.sorted().first(where: { !known.contains($0) }) {
                throw CodingError("unknown key '\(unknown)'; expected \(known.sorted().joined(separator: ", "))", at: location)
            }
            record = try decoder.decode(Record.self, from: data)
        } catch let error as CodingError {
            throw error
        } catch DecodingError.keyNotFound(let key, _) {
            throw CodingError("expected a \"\(key.stringValue)\" field, found none", at: location)
        } catch DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context) {
            let key = context.codingPath.last?.stringValue ?? "the line"
            let expected = type == Int.self ? "a whole number" : (type == String.self ? "text" : "\(type)")
            let found = Self.jsonValue(of: key, in: data)
            throw CodingError("expected \"\(key)\" to be \(expected), found \(found)", at: location)
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            let key = context.codingPath.last!.stringValue
            throw CodingError("expected \"\(key)\" to be a whole number, found \(Self.jsonValue(of: key, in: data))", at: location)
        } catch {
            throw CodingError("expected one JSON object per line, found text that is not valid JSON", at: location)
        }
        let coding = Coding(
            transcript: record.transcript, turn: record.turn, start: record.start, end: record.end, quote: record.quote,
            code: record.code, coder: record.coder, memo: record.memo, at: record.at, location: location)
        if (coding.start == nil) != (coding.end == nil) {
            throw CodingError("expected both \"start\" and \"end\" for a span, or neither for a whole turn", at: location)
        }
        if let start = coding.start, let end = coding.end, start < 0 || end <= start {
            throw CodingError("expected 0 ≤ start < end, found start \(start) and end \(end)", at: location)
        }
        if coding.turn < 1 {
            throw CodingError("expected a turn number from 1, found \(coding.turn)", at: location)
        }
        return coding
    }

    /// How a field's value is written in the line, for "found …" in messages.
    private static func jsonValue(of key: String, in data: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let value = object[key] else {
            return "nothing"
        }
        if value is NSNull { return "null" }
        if let text = value as? String { return "\"\(text)\"" }
        return "\(value)"
    }
}
