import Core
import Foundation
import TestSupport
import Transcripts
import XCTest
import ZIPFoundation

/// Checks against real interview exports in ../shared/data/interviews (skipped when absent).
final class RealTranscriptTests: XCTestCase {
    /// Every paragraph of each Rev .docx ends up, once, in a turn, the preamble or a memo: the
    /// preamble plus each turn written back as `Speaker: text` equals the document's spoken text
    /// (before its "Annotations" heading, memo markers taken out), and the memos written back as
    /// `number text` equal the text after that heading, whitespace aside. The document's text is
    /// taken independently with regular expressions over its runs (`w:r`, raised by `w:position`).
    func testRevWordTranscriptsLoseAndDuplicateNothing() throws {
        let folder = try TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/transcripts")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "docx" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertEqual(files.count, 12)
        var turnCounts: [String: Int] = [:]
        var memoCounts: [String: Int] = [:]
        for url in files {
            let name = url.lastPathComponent
            let transcript = try TranscriptReader.read(url, displayPath: name, interviewerNames: ["Speaker 1"], knownSpeakers: [])
            turnCounts[transcript.id] = transcript.turns.count
            memoCounts[transcript.id] = transcript.memos.count
            let document = try Self.documentText(of: url)
            let rebuilt = transcript.preamble + transcript.turns.map { "\($0.speaker):\($0.text)" }.joined()
            Self.assertSame(rebuilt, document.speech, "\(name) speech")
            let memos = transcript.memos.map { "\($0.number.map(String.init) ?? "")\($0.text)" }.joined()
            Self.assertSame(memos, document.annotations, "\(name) memos")
            // Memos found with their numbers, each on a turn, none of their text in a turn.
            XCTAssertEqual(transcript.memos.map(\.number), Array(1...transcript.memos.count).map(Optional.some), name)
            XCTAssertEqual(Set(document.markers), Set(transcript.memos.compactMap(\.number)), name)
            for memo in transcript.memos {
                XCTAssertNotNil(memo.turn, "\(name) memo \(memo.number ?? 0) has no place")
                guard let turn = transcript.turns.first(where: { $0.number == memo.turn }) else { continue }
                XCTAssertLessThanOrEqual(memo.start, turn.text.unicodeScalars.count, name)
                let probe = String(memo.text.prefix(40))
                if probe.count >= 20 { XCTAssertFalse(transcript.turns.contains { $0.text.contains(probe) }, "\(name): memo text in a turn: \(probe)") }
            }
            XCTAssertEqual(transcript.warnings, [], name)
            XCTAssertEqual(transcript.sourceSHA256, try ContentHash.sha256(fileAt: url), name)
            XCTAssertEqual(transcript.turns.map(\.number), Array(1...transcript.turns.count))
        }
        // Interviews 02–12 are Rev transcripts of two speakers, each `Speaker N:` label on its own
        // paragraph (counts taken from the documents' label paragraphs); Interview-01 is a filled-in
        // protocol whose answers follow an `Answer:` label.
        XCTAssertEqual(turnCounts["Interview-02-20220704"], 74)
        XCTAssertEqual(turnCounts["Interview-11-20220804"], 157)
        XCTAssertEqual(turnCounts["Interview-01-20200703"], 35)
        // Numbered paragraphs under each document's Annotations heading.
        XCTAssertEqual(files.map { memoCounts[$0.deletingPathExtension().lastPathComponent] ?? 0 },
                       [28, 32, 26, 28, 27, 27, 27, 27, 26, 27, 27, 27])
        let second = try TranscriptReader.read(files[1], displayPath: "Interview-02.docx", interviewerNames: ["Speaker 1"], knownSpeakers: [])
        XCTAssertEqual(second.participantSpeakers, ["Speaker 2"])
        XCTAssertTrue(second.turns[0].text.hasPrefix("First, I'd like to ask some questions about your background."))
        XCTAssertTrue(second.turns[0].isInterviewer)
        // Memo 2 follows "Well, around a year back. Yeah, so it's been a while." (paragraph 12).
        let memo2 = try XCTUnwrap(second.memos.first { $0.number == 2 })
        let turn = try XCTUnwrap(second.turns.first { $0.number == memo2.turn })
        XCTAssertEqual(String(String.UnicodeScalarView(turn.text.unicodeScalars.prefix(memo2.start))), "Well, around a year back. Yeah, so it's been a while.")
        XCTAssertEqual(memo2.text, "Has not used a PTNN in about a year")
    }

    /// The study's default `interviewer: [Interviewer]` matches nobody in a Rev file; the import
    /// says so and names `Speaker 1`, who asks the questions; `--interviewer 'Speaker 1'` takes it.
    func testRevInterviewerIsDetected() throws {
        let folder = try TestPaths.sharedData("interviews/icse2023-ptm-reuse-interviews/transcripts")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "docx" && !$0.lastPathComponent.hasPrefix("Interview-01") }
        XCTAssertEqual(files.count, 11)
        for url in files {
            let transcript = try TranscriptReader.read(url, displayPath: url.lastPathComponent, interviewerNames: ["Interviewer"], knownSpeakers: [])
            let (_, report) = InterviewerChoice.apply(to: transcript, configured: ["Interviewer"], file: url.lastPathComponent)
            XCTAssertEqual(report.speakers.map(\.name), ["Speaker 1", "Speaker 2"], url.lastPathComponent)
            XCTAssertEqual(report.likelyInterviewer, "Speaker 1", url.lastPathComponent)
            XCTAssertEqual(report.warnings.count, 1, url.lastPathComponent)
            let (marked, chosen) = InterviewerChoice.apply(to: transcript, configured: ["Interviewer"], override: "Speaker 1", file: url.lastPathComponent)
            XCTAssertEqual(chosen.interviewers, ["Speaker 1"])
            XCTAssertEqual(chosen.warnings, [])
            XCTAssertEqual(marked.participantSpeakers, ["Speaker 2"])
        }
    }

    static func assertSame(_ actual: String, _ reference: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let (actual, reference) = (withoutWhitespace(actual), withoutWhitespace(reference))
        guard actual != reference else { return }
        let common = zip(actual, reference).prefix { $0 == $1 }.count
        XCTFail("\(what): differ after \(common) characters: '\(actual.dropFirst(max(0, common - 40)).prefix(80))' versus '\(reference.dropFirst(max(0, common - 40)).prefix(80))'",
                file: file, line: line)
    }

    /// MAXQDA's coded segments (PDPilot user study) are found verbatim in the imported transcripts.
    ///
    /// The transcripts are `pdftotext -layout` conversions of MAXQDA's PDF export, so the page
    /// furniture is undone first (paragraph numbers, `n/N` footers, the line MAXQDA repeats at the
    /// top of a page); the segments come from the coded-segments export. Both sides are compared
    /// without whitespace, since the PDF wraps lines after hyphens ("two-" / "way").
    func testMAXQDACodedSegmentsAreFoundInTheImportedTurns() throws {
        let folder = try TestPaths.sharedData("interviews/pdpilot-user-study-maxqda/derived_txt")
        let reader = PlainTextReader(interviewerNames: ["Dan"], knownSpeakers: ["Participant"])
        var documents: [String: String] = [:]
        for number in 1...7 {
            let id = "P\(number)"
            let layout = try String(contentsOf: folder.appendingPathComponent("\(id).txt"), encoding: .utf8)
            let transcript = try reader.parse(Self.undoingPageLayout(layout), id: id, file: "\(id).txt")
            XCTAssertEqual(Set(transcript.turns.map(\.speaker)), ["Dan", "Participant"], id)
            XCTAssertEqual(transcript.preamble, "Interview", id)
            documents[id] = Self.withoutWhitespace(transcript.turns.map { "\($0.speaker): \($0.text)" }.joined(separator: "\n"))
        }
        let segments = try Self.codedSegments(
            String(contentsOf: folder.appendingPathComponent("coded-segments.txt"), encoding: .utf8),
            codeSystem: String(contentsOf: folder.appendingPathComponent("code-system.txt"), encoding: .utf8))
        XCTAssertEqual(segments.count, 261)  // records in the export: lines starting with a document name
        var found = 0
        for segment in segments {
            let document = try XCTUnwrap(documents[segment.document], segment.document)
            if document.contains(Self.withoutWhitespace(segment.text)) {
                found += 1
            } else {
                XCTFail("\(segment.document) \(segment.code): segment not found: \(segment.text.prefix(120))")
            }
        }
        XCTAssertEqual(found, segments.count)
    }

    // MARK: - Independent readings of the sources

    static func withoutWhitespace(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// A .docx document's text read independently: the `w:t` texts of its runs before the last
    /// paragraph reading "Annotations", without the raised runs of digits (memo markers), which
    /// are listed apart (split at commas; run-together numbers such as `2625` split into the
    /// annotation numbers they are made of), and the text after that paragraph.
    static func documentText(of url: URL) throws -> (speech: String, annotations: String, markers: [Int]) {
        let archive = try Archive(url: url, accessMode: .read)
        let entry = try XCTUnwrap(archive["word/document.xml"])
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        let xml = try XCTUnwrap(String(data: data, encoding: .utf8))
        let paragraph = try NSRegularExpression(pattern: "<w:p[ >].*?</w:p>|<w:p/>", options: .dotMatchesLineSeparators)
        let run = try NSRegularExpression(pattern: "<w:r>(.*?)</w:r>", options: .dotMatchesLineSeparators)
        let text = try NSRegularExpression(pattern: "<w:t(?:\\s[^>]*)?>([^<]*)</w:t>")
        let raised = try NSRegularExpression(pattern: "<w:position w:val=\"[1-9][0-9]*\"")
        func matches(_ pattern: NSRegularExpression, _ string: String) -> [NSTextCheckingResult] {
            pattern.matches(in: string, range: NSRange(location: 0, length: (string as NSString).length))
        }
        var paragraphs: [[(text: String, raised: Bool)]] = []
        for match in matches(paragraph, xml) {
            let body = (xml as NSString).substring(with: match.range)
            paragraphs.append(matches(run, body).map { runMatch in
                let runXML = (body as NSString).substring(with: runMatch.range(at: 1))
                let words = matches(text, runXML).map { decodingReferences((runXML as NSString).substring(with: $0.range(at: 1))) }.joined()
                return (words, !matches(raised, runXML).isEmpty)
            })
        }
        let heading = try XCTUnwrap(paragraphs.lastIndex { $0.map(\.text).joined() == "Annotations" })
        let annotationNumbers = Set(paragraphs[(heading + 1)...].compactMap { $0.first { !$0.text.isEmpty }.flatMap { $0.raised ? Int($0.text) : nil } })
        var speech = "", markers: [Int] = []
        for runs in paragraphs[..<heading] {
            for run in runs {
                if run.raised, run.text.allSatisfy({ $0.isNumber || $0 == "," }) {
                    for part in run.text.split(separator: ",") {
                        if let number = Int(part), annotationNumbers.contains(number) {
                            markers.append(number)
                        } else {
                            // Two numbers run together, as in Interview-06's `2625`.
                            let digits = Array(part)
                            let cuts = (1..<digits.count).filter { cut in
                                [String(digits[..<cut]), String(digits[cut...])].allSatisfy { Int($0).map(annotationNumbers.contains) == true }
                            }
                            XCTAssertEqual(cuts.count, 1, "marker \(part) in \(url.lastPathComponent)")
                            if let cut = cuts.first { markers += [Int(String(digits[..<cut]))!, Int(String(digits[cut...]))!] }
                        }
                    }
                } else {
                    speech += run.text
                }
            }
        }
        let annotations = paragraphs[(heading + 1)...].map { $0.map(\.text).joined() }.joined()
        return (speech, annotations, markers)
    }

    static func decodingReferences(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = text
        let numeric = try! NSRegularExpression(pattern: "&#(x?)([0-9A-Fa-f]+);")
        for match in numeric.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length)).reversed() {
            let ns = text as NSString
            let hex = ns.substring(with: match.range(at: 1)) == "x"
            let value = UInt32(ns.substring(with: match.range(at: 2)), radix: hex ? 16 : 10).flatMap(Unicode.Scalar.init)
            let range = Range(match.range, in: result)!
            result.replaceSubrange(range, with: value.map { String($0) } ?? "")
        }
        for (reference, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            result = result.replacingOccurrences(of: reference, with: character)
        }
        return result
    }

    /// Plain text from MAXQDA's paginated layout: paragraph numbers and page footers removed, and
    /// the repeated last line of a paragraph that runs across a page break dropped.
    static func undoingPageLayout(_ layout: String) -> String {
        let footer = try! NSRegularExpression(pattern: "^\\s*(\\d+\\s+)?\\d+/\\d+\\s*$")
        let numberOnly = try! NSRegularExpression(pattern: "^\\d+\\s*$")
        let paragraphNumber = try! NSRegularExpression(pattern: "^\\d+\\s{2,}")
        func matches(_ pattern: NSRegularExpression, _ line: String) -> Bool {
            pattern.firstMatch(in: line, range: NSRange(location: 0, length: (line as NSString).length)) != nil
        }
        var lines: [String] = []
        var afterPageBreak = false
        var lastText: String?
        for raw in layout.replacingOccurrences(of: "\u{0C}", with: "\n").components(separatedBy: "\n") {
            if matches(footer, raw) { afterPageBreak = true; continue }
            if matches(numberOnly, raw) { continue }
            let text = paragraphNumber.stringByReplacingMatches(in: raw, range: NSRange(location: 0, length: (raw as NSString).length), withTemplate: "")
                .trimmingCharacters(in: .whitespaces)
            if afterPageBreak, !text.isEmpty {
                afterPageBreak = false
                if text == lastText { continue }
            }
            if !text.isEmpty { lastText = text }
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }

    struct CodedSegment {
        var document: String
        var code: String
        var text: String
    }

    /// Records of the coded-segments table: `P4   Parent > Child   Segment text`, continued on
    /// indented lines. Where a long code path leaves a single space before the segment, the
    /// code's name is looked up in the code system to find where the segment begins.
    static func codedSegments(_ layout: String, codeSystem: String) throws -> [CodedSegment] {
        let gap = try NSRegularExpression(pattern: "\\s{2,}")
        func fields(_ line: String) -> [String] {
            let ns = line as NSString
            var result: [String] = []
            var start = 0
            for match in gap.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
                result.append(ns.substring(with: NSRange(location: start, length: match.range.location - start)))
                start = match.range.location + match.range.length
            }
            result.append(ns.substring(from: start))
            return result.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let codeNames = codeSystem.components(separatedBy: "\n").dropFirst(3)
            .compactMap { fields($0).first }
            .sorted { $0.count > $1.count }
        let recordStart = try NSRegularExpression(pattern: "^P\\d+\\s")
        var segments: [CodedSegment] = []
        for line in layout.replacingOccurrences(of: "\u{0C}", with: "\n").components(separatedBy: "\n").dropFirst(2) {
            if recordStart.firstMatch(in: line, range: NSRange(location: 0, length: (line as NSString).length)) != nil {
                var parts = fields(line)
                let splits = codeNames.compactMap { parts.count == 2 ? parts[1].range(of: "> \($0) ") : nil }
                if let split = splits.max(by: { $0.upperBound < $1.upperBound }) {
                    parts = [parts[0], String(parts[1][..<split.upperBound]), String(parts[1][split.upperBound...])]
                }
                XCTAssertEqual(parts.count, 3, line)
                segments.append(CodedSegment(document: parts[0], code: parts[1], text: parts.dropFirst(2).joined(separator: " ")))
            } else if !segments.isEmpty {
                segments[segments.count - 1].text += "\n" + line.trimmingCharacters(in: .whitespaces)
            }
        }
        return segments
    }
}
