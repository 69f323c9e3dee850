import Core
import Foundation

/// Reads WebVTT (`.vtt`), SubRip (`.srt`) and YouTube (`.sbv`) caption files into speaker turns.
///
/// Captions cut speech into cues of a few seconds, so a turn is rebuilt from consecutive cues of
/// the same speaker: it takes the first cue's start and the last cue's end, and its cue texts are
/// joined with spaces. A cue line names its speaker with a WebVTT voice tag (`<v Name>`,
/// `<v.loud Name>`) or a `Name:` prefix; a `Name:` prefix counts under the same rule as in plain
/// text (a known speaker, or one that starts at least two turns). A cue line without a speaker
/// continues the previous speaker; cues before the first speaker form the preamble. Other markup
/// (`<i>`, `<c.yellow>`, inline timestamps `<00:00:01.000>`) is dropped and character references
/// such as `&amp;` are decoded.
///
/// Captions that name no speaker at all (most SRT and YouTube files, WebVTT without `<v>`) are one
/// speaker's: `speaker`, or the transcript's id (the participant) when it is nil. Their cues are
/// merged into turns that end where a cue ends a sentence (`.`, `?`, `!` or `…`, before any closing
/// quote or bracket) or where the next cue starts more than `pauseThreshold` (2 seconds) after this
/// one ends: a pause that long is a new thought even in unpunctuated automatic captions, while
/// ordinary gaps between cues of running speech are well under a second.
public struct CaptionReader: Sendable {
    /// The caption formats; they differ in their header and how blocks are introduced.
    public enum Format: Sendable {
        case webVTT
        case subRip
        /// YouTube's `.sbv`: blocks of a `0:00:01.000,0:00:04.000` line and the cue's text.
        case youTube

        var example: String {
            switch self {
            case .webVTT: return "a timing line such as 00:00:01.000 --> 00:00:04.000"
            case .subRip: return "a timing line such as 00:00:01,000 --> 00:00:04,000"
            case .youTube: return "a timing line such as 0:00:01.000,0:00:04.000"
            }
        }
    }

    /// Seconds of silence between two cues after which a speaker-less caption starts a new turn.
    public static let pauseThreshold: TimeInterval = 2

    public var format: Format
    public var interviewerNames: Set<String>
    public var knownSpeakers: Set<String>
    /// Who speaks in captions that name no speaker; nil for the transcript's id.
    public var speaker: String?
    public var encoding: TextEncoding

    public init(format: Format, interviewerNames: Set<String>, knownSpeakers: Set<String> = [], speaker: String? = nil,
                encoding: TextEncoding = .automatic) {
        self.format = format
        self.interviewerNames = interviewerNames
        self.knownSpeakers = knownSpeakers
        self.speaker = speaker
        self.encoding = encoding
    }

    public func read(_ url: URL, displayPath: String) throws -> Transcript {
        let source = try SourceFile(url, displayPath: displayPath)
        var transcript = try parse(try source.text(encoding: encoding), id: source.id, file: displayPath)
        transcript.sourceSHA256 = source.sha256
        return transcript
    }

    public func parse(_ text: String, id: String, file: String) throws -> Transcript {
        let lines = TextFile.lines(text)
        let cues: [Cue]
        switch format {
        case .webVTT: cues = try webVTTCues(lines, file: file)
        case .subRip: cues = try subRipCues(lines, file: file)
        case .youTube: cues = try youTubeCues(lines, file: file)
        }
        return try turns(from: cues, lines: lines, id: id, file: file)
    }

    /// One caption cue: its timing and the numbers of its text lines.
    struct Cue {
        var start: TimeInterval
        var end: TimeInterval
        var lines: [Int]
    }

    /// Blocks of consecutive non-blank lines, as index ranges.
    private func blocks(_ lines: [Substring], from first: Int) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        var index = first
        while index < lines.count {
            if isBlankLine(lines[index]) { index += 1; continue }
            let start = index
            while index < lines.count, !isBlankLine(lines[index]) { index += 1 }
            blocks.append(start..<index)
        }
        return blocks
    }

    private func webVTTCues(_ lines: [Substring], file: String) throws -> [Cue] {
        guard let header = lines.first, header.hasPrefix("WEBVTT"),
              header.count == 6 || header.dropFirst(6).first.map({ $0 == " " || $0 == "\t" }) == true else {
            throw TranscriptError.malformed(location: SourceLocation(file: file, line: 1, column: 1),
                                            expected: "'WEBVTT' on the first line of a .vtt file",
                                            found: quoted(lines.first))
        }
        var cues: [Cue] = []
        // The header block runs to the first blank line.
        let headerEnd = lines.firstIndex(where: isBlankLine) ?? lines.count
        for block in blocks(lines, from: headerEnd) {
            let first = lines[block.lowerBound]
            if cues.isEmpty, ["STYLE", "REGION"].contains(where: { keyword(first, is: $0) }) { continue }
            if keyword(first, is: "NOTE") { continue }
            let timing = first.contains("-->") || looksLikeTiming(first) ? block.lowerBound : block.lowerBound + 1
            cues.append(try cue(timing: timing, block: block, lines: lines, file: file))
        }
        return cues
    }

    private func subRipCues(_ lines: [Substring], file: String) throws -> [Cue] {
        var cues: [Cue] = []
        for block in blocks(lines, from: 0) {
            let first = lines[block.lowerBound]
            let timing: Int
            if first.contains("-->") || looksLikeTiming(first) {
                timing = block.lowerBound
            } else if first.trimmingCharacters(in: .whitespaces).allSatisfy(\.isASCIIDigitCharacter) {
                timing = block.lowerBound + 1
            } else {
                throw TranscriptError.malformed(location: SourceLocation(file: file, line: block.lowerBound + 1, column: 1),
                                                expected: "a cue number such as 12 starting a SubRip block",
                                                found: quoted(first))
            }
            cues.append(try cue(timing: timing, block: block, lines: lines, file: file))
        }
        return cues
    }

    private func youTubeCues(_ lines: [Substring], file: String) throws -> [Cue] {
        try blocks(lines, from: 0).map { block in
            let line = lines[block.lowerBound]
            let fields = line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            let location = SourceLocation(file: file, line: block.lowerBound + 1, column: 1)
            guard fields.count == 2, let start = Timestamp.seconds(fields[0].trimmingCharacters(in: .whitespaces)),
                  let end = Timestamp.seconds(fields[1].trimmingCharacters(in: .whitespaces)) else {
                throw TranscriptError.malformed(location: location, expected: format.example, found: quoted(line))
            }
            guard end >= start else {
                throw TranscriptError.malformed(location: location, expected: "an end time no earlier than the start time", found: quoted(line))
            }
            return Cue(start: start, end: end, lines: Array(block.lowerBound + 1..<block.upperBound))
        }
    }

    /// Parses the timing line at `timing` and collects the cue's text lines after it.
    private func cue(timing: Int, block: Range<Int>, lines: [Substring], file: String) throws -> Cue {
        guard timing < block.upperBound else {
            throw TranscriptError.malformed(location: SourceLocation(file: file, line: timing + 1, column: 1),
                                            expected: format.example, found: "a blank line")
        }
        let line = lines[timing]
        func failure(at index: Substring.Index) -> TranscriptError {
            let column = line.unicodeScalars.distance(from: line.startIndex, to: index) + 1
            return .malformed(location: SourceLocation(file: file, line: timing + 1, column: column),
                              expected: format.example, found: quoted(line))
        }
        let startField = line.prefix { $0 != " " && $0 != "\t" && $0 != "-" }
        guard let start = Timestamp.seconds(startField) else { throw failure(at: line.startIndex) }
        var rest = line[startField.endIndex...].drop { $0 == " " || $0 == "\t" }
        guard rest.hasPrefix("-->") else { throw failure(at: rest.startIndex) }
        rest = rest.dropFirst(3).drop { $0 == " " || $0 == "\t" }
        let endField = rest.prefix { $0 != " " && $0 != "\t" }
        guard let end = Timestamp.seconds(endField) else { throw failure(at: rest.startIndex) }
        guard end >= start else {
            let column = line.unicodeScalars.distance(from: line.startIndex, to: rest.startIndex) + 1
            throw TranscriptError.malformed(location: SourceLocation(file: file, line: timing + 1, column: column),
                                            expected: "an end time no earlier than the start time", found: quoted(line))
        }
        return Cue(start: start, end: end, lines: Array(timing + 1..<block.upperBound))
    }

    /// Assigns each cue line its speaker and merges consecutive lines of the same speaker.
    private func turns(from cues: [Cue], lines: [Substring], id: String, file: String) throws -> Transcript {
        struct Piece {
            var voice: String?
            var words: String
            var labels: [SpeakerLabel]
            var line: Int
            var cue: Int
        }
        var pieces: [Piece] = []
        for (cueIndex, cue) in cues.enumerated() {
            for line in cue.lines {
                let (voice, text) = Self.voice(in: lines[line])
                let words = Self.plainText(text)
                let labels = voice == nil ? PlainTextReader.labels(of: words[...]) : []
                pieces.append(Piece(voice: voice, words: words, labels: labels, line: line + 1, cue: cueIndex))
            }
        }
        var counts: [String: Int] = [:]
        for piece in pieces { for label in piece.labels { counts[label.name, default: 0] += 1 } }
        let speakers = interviewerNames.union(knownSpeakers)
        let named = pieces.contains { $0.voice != nil || PlainTextReader.speakerLabel(among: $0.labels, speakers: speakers, counts: counts) != nil }
        if !named, pieces.contains(where: { !$0.words.isEmpty }) {
            return oneSpeaker(cues: cues, pieces: pieces.map { ($0.words, $0.line, $0.cue) }, id: id)
        }

        var preamble: [String] = []
        var turns: [Turn] = []
        var current: (speaker: String, line: Int, start: TimeInterval, end: TimeInterval, words: [String])?
        func finish() {
            guard let turn = current, !turn.words.isEmpty else { return }
            turns.append(Turn(number: turns.count + 1, speaker: turn.speaker, text: turn.words.joined(separator: " "),
                              line: turn.line, isInterviewer: interviewerNames.contains(turn.speaker),
                              start: turn.start, end: turn.end))
        }
        for piece in pieces {
            var speaker = piece.voice
            var words = piece.words
            if speaker == nil, let label = PlainTextReader.speakerLabel(among: piece.labels, speakers: speakers, counts: counts) {
                speaker = label.name
                words = String(label.rest)
            }
            let cue = cues[piece.cue]
            if let speaker, speaker != current?.speaker {
                finish()
                current = (speaker, piece.line, cue.start, cue.end, [])
            }
            if words.isEmpty { continue }
            if current != nil {
                current!.words.append(words)
                current!.end = max(current!.end, cue.end)
            } else {
                preamble.append(words)
            }
        }
        finish()
        guard !turns.isEmpty else {
            let first = cues.lazy.flatMap(\.lines).map { lines[$0] }.first { !isBlankLine($0) }
            throw TranscriptError.noTurns(file: file, firstLine: first.map(TranscriptError.excerpt))
        }
        return Transcript(id: id, preamble: preamble.joined(separator: " "), turns: turns)
    }

    /// Captions without speakers: every cue is `speaker`'s, merged into turns at sentence ends and
    /// pauses (see the type's documentation).
    private func oneSpeaker(cues: [Cue], pieces: [(words: String, line: Int, cue: Int)], id: String) -> Transcript {
        let name = speaker ?? id
        var texts = [[String]](repeating: [], count: cues.count)
        var firstLine = [Int?](repeating: nil, count: cues.count)
        for piece in pieces where !piece.words.isEmpty {
            texts[piece.cue].append(piece.words)
            if firstLine[piece.cue] == nil { firstLine[piece.cue] = piece.line }
        }
        var turns: [Turn] = []
        var current: (line: Int, start: TimeInterval, end: TimeInterval, words: [String])?
        for (index, cue) in cues.enumerated() where !texts[index].isEmpty {
            if current == nil { current = (firstLine[index] ?? 0, cue.start, cue.end, []) }
            current!.words.append(contentsOf: texts[index])
            current!.end = max(current!.end, cue.end)
            let next = cues[(index + 1)...].indices.first { !texts[$0].isEmpty }
            let pause = next.map { cues[$0].start - cue.end } ?? 0
            if next == nil || pause > Self.pauseThreshold || Self.endsSentence(texts[index].last ?? "") {
                let turn = current!
                turns.append(Turn(number: turns.count + 1, speaker: name, text: turn.words.joined(separator: " "), line: turn.line,
                                  isInterviewer: interviewerNames.contains(name), start: turn.start, end: turn.end))
                current = nil
            }
        }
        return Transcript(id: id, preamble: "", turns: turns)
    }

    /// Whether text ends a sentence: `.`, `?`, `!` or `…`, perhaps followed by closing quotes or
    /// brackets.
    static func endsSentence(_ text: String) -> Bool {
        var scalars = text.unicodeScalars.reversed().drop { $0.properties.isWhitespace }
        scalars = scalars.drop { "\"'”’)]»".unicodeScalars.contains($0) }
        guard let last = scalars.first else { return false }
        return ".?!…".unicodeScalars.contains(last)
    }

    /// The speaker of a `<v Name>` or `<v.class Name>` tag at the start of a cue line, and the line.
    static func voice(in line: Substring) -> (String?, Substring) {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("<v"), let close = trimmed.firstIndex(of: ">") else { return (nil, line) }
        let tag = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<close]
        guard let separator = tag.firstIndex(where: { $0 == " " || $0 == "\t" }),
              tag.first == " " || tag.first == "\t" || tag.first == "." else { return (nil, line) }
        let name = tag[separator...].trimmingCharacters(in: .whitespaces)
        return (name.isEmpty ? nil : name, trimmed[trimmed.index(after: close)...])
    }

    /// The words of a cue line: markup removed, character references decoded, spaces collapsed.
    static func plainText(_ line: Substring) -> String {
        var scalars = String.UnicodeScalarView()
        var inTag = false
        var reference: String.UnicodeScalarView?
        var pendingSpace = false
        func append(_ scalar: Unicode.Scalar) {
            if scalar == " " || scalar == "\t" || scalar == "\u{A0}" {
                pendingSpace = !scalars.isEmpty
                return
            }
            if pendingSpace { scalars.append(" "); pendingSpace = false }
            scalars.append(scalar)
        }
        for scalar in line.unicodeScalars {
            if inTag {
                if scalar == ">" { inTag = false }
                continue
            }
            if var name = reference {
                if scalar == ";" {
                    if let decoded = characterReferences[String(name)] {
                        append(decoded)
                    } else {
                        append("&")
                        for s in name { append(s) }
                        append(";")
                    }
                    reference = nil
                } else if name.count < 8, scalar.properties.isAlphabetic || scalar == "#" || ("0"..."9").contains(scalar) {
                    name.append(scalar)
                    reference = name
                } else {
                    append("&")
                    for s in name { append(s) }
                    reference = nil
                    append(scalar)
                }
                continue
            }
            switch scalar {
            case "<": inTag = true
            case "&": reference = String.UnicodeScalarView()
            default: append(scalar)
            }
        }
        if let name = reference {
            append("&")
            for s in name { append(s) }
        }
        return String(scalars)
    }

    private static let characterReferences: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "lrm": "\u{200E}", "rlm": "\u{200F}",
    ]

    private func keyword(_ line: Substring, is word: String) -> Bool {
        line.hasPrefix(word) && (line.count == word.count || line.dropFirst(word.count).first.map { $0 == " " || $0 == "\t" } == true)
    }

    /// Whether a line starts like a clock time (a digit run and a colon), so a broken timing line
    /// is reported as one rather than taken for a cue identifier.
    private func looksLikeTiming(_ line: Substring) -> Bool {
        let digits = line.prefix { $0.isASCIIDigitCharacter }
        return !digits.isEmpty && line.dropFirst(digits.count).first == ":"
    }

    private func isBlankLine(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

    private func quoted(_ line: Substring?) -> String {
        guard let line, !isBlankLine(line) else { return "an empty line" }
        return "'\(TranscriptError.excerpt(line))'"
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
