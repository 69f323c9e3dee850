import Core
import Foundation

/// Reads transcripts kept as JSON by meeting corpora and speech-to-text tools.
///
/// Three shapes are read:
///
/// - a turn list, the top-level array `[{"speaker": "Ana", "text": "…", "start": 1.5, "end": 4}, …]`;
/// - the same list under a key of a top-level object — `meeting_transcripts` (QMSum), `transcript`,
///   `turns`, `utterances`, `dialogue`, `conversation` — or under its only array of objects;
/// - Whisper's output, `{"text": "…", "segments": [{"start": 0.0, "end": 3.2, "text": "…"}, …]}`,
///   with WhisperX's `speaker` on the segments when it diarised them.
///
/// In an item the speaker is `speaker`, `speaker_name` or `name` (a string or a number), the words
/// `text`, `content` or `utterance`, the times `start`/`end` (or `start_time`/`end_time`) in
/// seconds, as numbers or clock strings. Each item of a turn list is a turn. Segments are cues:
/// consecutive segments of one speaker merge into a turn, and segments naming no speaker are
/// `speaker`'s (the participant's) and merge at sentence ends and pauses, as caption cues do
/// (`CaptionReader.pauseThreshold`). Other members (Whisper's whole `text`, a corpus's topic
/// lists) are not speech and are not read. An item with no words is a warning, not a refusal.
public struct JSONTranscriptReader: Sendable {
    public var interviewerNames: Set<String>
    /// Who speaks in items that name no speaker; nil for the transcript's id.
    public var speaker: String?
    public var encoding: TextEncoding

    public init(interviewerNames: Set<String>, speaker: String? = nil, encoding: TextEncoding = .automatic) {
        self.interviewerNames = interviewerNames
        self.speaker = speaker
        self.encoding = encoding
    }

    static let wrapperKeys = ["meeting_transcripts", "transcript", "turns", "utterances", "dialogue", "conversation"]

    public func read(_ url: URL, displayPath: String) throws -> Transcript {
        let source = try SourceFile(url, displayPath: displayPath)
        var transcript = try parse(try source.text(encoding: encoding), id: source.id, file: displayPath)
        transcript.sourceSHA256 = source.sha256
        return transcript
    }

    public func parse(_ text: String, id: String, file: String) throws -> Transcript {
        let root = try JSONNode.parse(text, file: file)
        let items: [JSONNode]
        let segments: Bool
        switch root.value {
        case .array(let array):
            items = array
            segments = false
        case .object(let members):
            if let found = members.first(where: { $0.key == "segments" }), case .array(let array) = found.value.value {
                items = array
                segments = true
            } else if let found = members.first(where: { Self.wrapperKeys.contains($0.key) }), case .array(let array) = found.value.value {
                items = array
                segments = false
            } else {
                let lists = members.filter {
                    if case .array(let array) = $0.value.value { return array.contains { if case .object = $0.value { return true } else { return false } } }
                    return false
                }
                guard lists.count == 1, case .array(let array) = lists[0].value.value else {
                    throw TranscriptError.malformed(
                        location: SourceLocation(file: file, line: root.line, column: 1),
                        expected: "a list of turns: a top-level array, or an object with 'segments', \(Self.wrapperKeys.map { "'\($0)'" }.joined(separator: ", ")) or a single list of turn objects",
                        found: lists.isEmpty ? "an object with no list of turns" : "an object with \(lists.count) lists (\(lists.map { "'\($0.key)'" }.joined(separator: ", ")))")
                }
                items = array
                segments = false
            }
        default:
            throw TranscriptError.malformed(location: SourceLocation(file: file, line: root.line, column: 1),
                                            expected: "a list of turns (a JSON array or object)", found: root.value.kind)
        }
        var entries: [Entry] = []
        for (index, item) in items.enumerated() { entries.append(try entry(item, number: index + 1, file: file)) }
        return try transcript(entries, segments: segments, id: id, file: file)
    }

    /// One item of the list.
    struct Entry {
        var speaker: String?
        var text: String
        var start: TimeInterval?
        var end: TimeInterval?
        var line: Int
    }

    private func entry(_ item: JSONNode, number: Int, file: String) throws -> Entry {
        let location = SourceLocation(file: file, line: item.line, column: 1)
        guard case .object(let members) = item.value else {
            throw TranscriptError.malformed(location: location, expected: "item \(number) to be a turn object such as {\"speaker\": \"Ana\", \"text\": \"…\"}",
                                            found: item.value.kind)
        }
        func member(_ keys: [String]) -> JSONNode? {
            for key in keys { if let found = members.first(where: { $0.key == key }) { return found.value } }
            return nil
        }
        var speaker: String?
        switch member(["speaker", "speaker_name", "name"])?.value {
        case .string(let name): speaker = name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : name.trimmingCharacters(in: .whitespacesAndNewlines)
        case .number(let literal): speaker = literal
        case nil, .null: speaker = nil
        case let other?:
            throw TranscriptError.malformed(location: location, expected: "the speaker of item \(number) as a string", found: other.kind)
        }
        let text: String
        switch member(["text", "content", "utterance"])?.value {
        case .string(let words): text = words
        case .null: text = ""
        case nil:
            throw TranscriptError.malformed(location: location, expected: "item \(number) to hold its words in 'text' or 'content'",
                                            found: "the keys \(members.map { "'\($0.key)'" }.joined(separator: ", "))")
        case let other?:
            throw TranscriptError.malformed(location: location, expected: "the words of item \(number) as a string", found: other.kind)
        }
        func time(_ keys: [String]) throws -> TimeInterval? {
            guard let node = member(keys) else { return nil }
            switch node.value {
            case .null: return nil
            case .number(let literal):
                if let seconds = Double(literal), seconds.isFinite, seconds >= 0, seconds < 1e9 { return seconds }
            case .string(let clock):
                if let seconds = Timestamp.seconds(clock.trimmingCharacters(in: .whitespaces)) ?? Double(clock).flatMap({ $0.isFinite && $0 >= 0 && $0 < 1e9 ? $0 : nil }) {
                    return seconds
                }
            default: break
            }
            throw TranscriptError.malformed(location: SourceLocation(file: file, line: node.line, column: 1),
                                            expected: "'\(keys[0])' of item \(number) in seconds (a number, or a time such as 00:01:02.5)",
                                            found: node.value.kind)
        }
        return Entry(speaker: speaker, text: trimmed(text), start: try time(["start", "start_time"]), end: try time(["end", "end_time"]),
                     line: item.line)
    }

    private func transcript(_ entries: [Entry], segments: Bool, id: String, file: String) throws -> Transcript {
        var warnings: [TranscriptWarning] = []
        var turns: [Turn] = []
        let anyNamed = entries.contains { $0.speaker != nil }
        var current: (speaker: String, line: Int, start: TimeInterval?, end: TimeInterval?, words: [String])?
        func finish() {
            guard let turn = current else { return }
            turns.append(Turn(number: turns.count + 1, speaker: turn.speaker, text: turn.words.joined(separator: segments ? " " : "\n"),
                              line: turn.line, isInterviewer: interviewerNames.contains(turn.speaker), start: turn.start, end: turn.end))
            current = nil
        }
        var previousSpeaker: String?
        for (index, entry) in entries.enumerated() {
            var name = entry.speaker
            if name == nil {
                if anyNamed {
                    name = previousSpeaker ?? speaker ?? id
                    warnings.append(TranscriptWarning(location: SourceLocation(file: file, line: entry.line, column: 1),
                                                      message: "item \(index + 1) names no speaker; taken as \(previousSpeaker == nil ? "the participant's" : "the previous speaker's")"))
                } else {
                    name = speaker ?? id
                }
            }
            let who = name ?? id
            guard !entry.text.isEmpty else {
                warnings.append(TranscriptWarning(location: SourceLocation(file: file, line: entry.line, column: 1),
                                                  message: "item \(index + 1) has no words; it makes no turn"))
                continue
            }
            previousSpeaker = who
            if !segments || current?.speaker != who { finish() }
            if current == nil { current = (who, entry.line, entry.start, entry.end, []) }
            current!.words.append(entry.text)
            if let end = entry.end { current!.end = max(current!.end ?? end, end) }
            if segments, !anyNamed {
                let next = entries[(index + 1)...].first { !$0.text.isEmpty }
                let pause = zip(entry.end, next?.start).map { $1 - $0 } ?? 0
                if pause > CaptionReader.pauseThreshold || CaptionReader.endsSentence(entry.text) { finish() }
            }
        }
        finish()
        guard !turns.isEmpty else {
            throw TranscriptError.malformed(location: SourceLocation(file: file, line: entries.first?.line ?? 1, column: 1),
                                            expected: "at least one turn with words",
                                            found: entries.isEmpty ? "an empty list" : "\(entries.count) item\(entries.count == 1 ? "" : "s") without words")
        }
        return Transcript(id: id, preamble: "", turns: turns, warnings: warnings)
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// A JSON value with the line it starts on, from a small parser that locates its errors by line
/// and column and refuses nesting deeper than 1,000.
struct JSONNode {
    indirect enum Value {
        case object([(key: String, value: JSONNode)])
        case array([JSONNode])
        case string(String)
        /// The number's literal, so ids keep their spelling.
        case number(String)
        case bool(Bool)
        case null

        var kind: String {
            switch self {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "true or false"
            case .null: return "null"
            }
        }
    }

    var value: Value
    var line: Int

    static func parse(_ text: String, file: String) throws -> JSONNode {
        var parser = Parser(bytes: Array(text.utf8), file: file)
        parser.skipWhitespace()
        let node = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.failure("the end of the JSON document") }
        return node
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var index = 0
        var line = 1
        var lineStart = 0

        func failure(_ expected: String) -> TranscriptError {
            // Columns count scalars: bytes that do not continue a UTF-8 sequence.
            let column = bytes[lineStart..<min(index, bytes.count)].lazy.filter { $0 & 0xC0 != 0x80 }.count + 1
            let found: String
            if index >= bytes.count {
                found = "the end of the file"
            } else {
                let byte = bytes[index]
                found = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "the byte 0x\(String(byte, radix: 16, uppercase: true))"
            }
            return .malformed(location: SourceLocation(file: file, line: line, column: column), expected: expected, found: found)
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x0A:
                    line += 1
                    lineStart = index + 1
                case 0x20, 0x09, 0x0D: break
                default: return
                }
                index += 1
            }
        }

        mutating func value(depth: Int) throws -> JSONNode {
            guard depth < 1_000 else { throw failure("JSON nested at most 1,000 deep") }
            guard index < bytes.count else { throw failure("a JSON value") }
            let startLine = line
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(key: String, value: JSONNode)] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return JSONNode(value: .object(members), line: startLine)
                }
                while true {
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("a member name in double quotes") }
                    let key = try string()
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("':' after a member name") }
                    index += 1
                    skipWhitespace()
                    members.append((key, try value(depth: depth + 1)))
                    skipWhitespace()
                    guard index < bytes.count else { throw failure("',' or '}'") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "}") else { throw failure("',' or '}'") }
                    index += 1
                    return JSONNode(value: .object(members), line: startLine)
                }
            case UInt8(ascii: "["):
                index += 1
                var elements: [JSONNode] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return JSONNode(value: .array(elements), line: startLine)
                }
                while true {
                    skipWhitespace()
                    elements.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard index < bytes.count else { throw failure("',' or ']'") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "]") else { throw failure("',' or ']'") }
                    index += 1
                    return JSONNode(value: .array(elements), line: startLine)
                }
            case UInt8(ascii: "\""):
                return JSONNode(value: .string(try string()), line: startLine)
            case UInt8(ascii: "t"): try literal("true"); return JSONNode(value: .bool(true), line: startLine)
            case UInt8(ascii: "f"): try literal("false"); return JSONNode(value: .bool(false), line: startLine)
            case UInt8(ascii: "n"): try literal("null"); return JSONNode(value: .null, line: startLine)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
                let literal = String(decoding: bytes[start..<index], as: UTF8.self)
                guard Double(literal) != nil else {
                    index = start
                    throw failure("a number")
                }
                return JSONNode(value: .number(literal), line: startLine)
            default:
                throw failure("a JSON value (an object, array, string, number, true, false or null)")
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw failure("'\(word)'")
            }
            index += expected.count
        }

        /// A string literal from its opening quote; escapes decoded, surrogate pairs joined.
        mutating func string() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var runStart = index
            func flush(_ end: Int) {
                if end > runStart { scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars) }
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    flush(index)
                    index += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw failure("a closing '\"' before the end of the line (control characters must be escaped)") }
                if byte != UInt8(ascii: "\\") { index += 1; continue }
                flush(index)
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var value = try hex4()
                    if (0xD800...0xDBFF).contains(value), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalars.append("\u{FFFD}")
                            value = low
                        }
                    }
                    scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
                default:
                    index -= 1
                    throw failure("an escape such as \\n, \\\" or \\u00E9")
                }
                runStart = index
            }
            throw failure("a closing '\"'")
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw failure("four hexadecimal digits") }
            guard let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw failure("four hexadecimal digits")
            }
            index += 4
            return value
        }
    }
}
