import Foundation
import TestSupport
@testable import Transcripts
import XCTest
import ZIPFoundation

/// Issue 10.2: memos that come with a Word transcript.
final class DocxMemoTests: XCTestCase {
    let reader = DocxReader(interviewerNames: ["Speaker 1"])

    /// A Word document with `body` inside `w:body` and, when given, `word/comments.xml`.
    func document(_ body: String, comments: String? = nil, in folder: URL, name: String = "P01.docx") throws -> URL {
        let namespace = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
        var members = [("word/document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document \(namespace)><w:body>\(body)</w:body></w:document>")]
        if let comments { members.append(("word/comments.xml", "<?xml version=\"1.0\"?><w:comments \(namespace)>\(comments)</w:comments>")) }
        let url = folder.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, xml) in members {
            let data = Data(xml.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    func paragraph(_ runs: String...) -> String { "<w:p>\(runs.joined())</w:p>" }
    func run(_ text: String) -> String { "<w:r><w:t xml:space=\"preserve\">\(text)</w:t></w:r>" }
    /// A memo marker as Rev writes it: raised, small and shaded.
    func marker(_ number: String) -> String {
        "<w:r><w:rPr><w:position w:val=\"10\"/><w:sz w:val=\"16\"/><w:shd w:val=\"clear\" w:fill=\"#D3D3D3\"/></w:rPr><w:t xml:space=\"preserve\">\(number)</w:t></w:r>"
    }
    func superscript(_ text: String) -> String { "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:t>\(text)</w:t></w:r>" }

    func testAnnotationsBecomeMemosOnTheirTurnsAndLeaveTheSpeech() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let body = [
            paragraph(run("Speaker 1:")),
            paragraph(run("Which hub do you use?")),
            paragraph(run("Speaker 2:")),
            paragraph(run("Hugging Face, mostly."), marker("1")),
            paragraph(run("It scales to 10"), superscript("9"), run(" users"), marker("2"), run(" in theory.")),
            paragraph(run("Speaker 1:")),
            paragraph(run("Thanks."), marker("3,4")),
            paragraph(run("Speaker 2:")),
            paragraph(run("Bye."), marker("65")),
            paragraph(),
            paragraph(run("Annotations")),
            paragraph(marker("1"), run(" Prefers Hugging Face")),
            paragraph(run("-mentions the hub twice")),
            paragraph(marker("2"), run(" Scale claim")),
            paragraph(marker("3"), run(" Closing")),
            paragraph(marker("4"), run(" Second note on the close")),
            paragraph(marker("5"), run(" Run together with 6")),
            paragraph(marker("6"), run(" Six")),
            paragraph(marker("7"), run(" A memo no marker names")),
        ].joined()
        let transcript = try reader.read(try document(body, in: folder), displayPath: "P01.docx")
        XCTAssertEqual(transcript.turns.map(\.speaker), ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"])
        XCTAssertEqual(transcript.turns.map(\.text), [
            "Which hub do you use?",
            "Hugging Face, mostly.\nIt scales to 109 users in theory.",
            "Thanks.",
            "Bye.",
        ], "markers leave the text, a raised 9 that names no memo stays, memo texts are not speech")
        XCTAssertEqual(transcript.memos.map(\.number), [1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(transcript.memos.map(\.text), [
            "Prefers Hugging Face\n-mentions the hub twice", "Scale claim", "Closing", "Second note on the close", "Run together with 6", "Six",
            "A memo no marker names",
        ])
        XCTAssertEqual(transcript.memos.map(\.turn), [2, 2, 3, 3, 4, 4, nil])
        XCTAssertEqual(transcript.memos.map(\.start), [21, 44, 7, 7, 4, 4, 0])
        XCTAssertEqual(transcript.memos.map(\.end), transcript.memos.map(\.start), "a marker is a point")
        XCTAssertEqual(transcript.memos.map(\.kind), Array(repeating: .annotation, count: 7))
        XCTAssertEqual(transcript.memos.map(\.line), [12, 14, 15, 16, 17, 18, 19])
        let turnText = transcript.turns[1].text.unicodeScalars
        XCTAssertEqual(String(String.UnicodeScalarView(turnText.prefix(44))), "Hugging Face, mostly.\nIt scales to 109 users")
        XCTAssertEqual(transcript.warnings.map(String.init(describing:)), [
            "P01.docx:5: warning: a raised number '9' names no memo under Annotations; kept as text",
            "P01.docx:19: warning: no marker in the text names memo 7; kept on the transcript",
        ])
    }

    func testWithoutAnAnnotationsSectionRaisedNumbersAreText() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let body = [paragraph(run("Speaker 1: E = mc"), superscript("2")), paragraph(run("Speaker 2: Yes.")),
                    paragraph(run("Speaker 1: Annotations")), paragraph(run("Speaker 2: none"))].joined()
        let transcript = try reader.read(try document(body, in: folder), displayPath: "P02.docx")
        XCTAssertEqual(transcript.turns.map(\.text), ["E = mc2", "Yes.", "Annotations", "none"])
        XCTAssertEqual(transcript.memos, [])
        XCTAssertEqual(transcript.warnings, [])
    }

    func testWordCommentsBecomeMemosOnTheirSpan() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let body = [
            paragraph(run("Speaker 1: Which hub?")),
            paragraph(run("Speaker 2: We use "), "<w:commentRangeStart w:id=\"0\"/>", run("Hugging Face"), "<w:commentRangeEnd w:id=\"0\"/>",
                      "<w:r><w:commentReference w:id=\"0\"/></w:r>", run(" for "), "<w:commentRangeStart w:id=\"1\"/>", run("most models.")),
            paragraph(run("Speaker 1: Why?"), "<w:commentRangeEnd w:id=\"1\"/>", "<w:r><w:commentReference w:id=\"1\"/></w:r>"),
            paragraph(run("Speaker 2: Cards."), "<w:r><w:commentReference w:id=\"2\"/></w:r>"),
        ].joined()
        let comments = """
            <w:comment w:id="0" w:author="Ana" w:initials="A"><w:p><w:r><w:annotationRef/></w:r><w:r><w:t>Hub choice</w:t></w:r></w:p><w:p><w:r><w:t>see P03</w:t></w:r></w:p></w:comment>
            <w:comment w:id="1" w:author="Ben"><w:p><w:r><w:t>Runs into the next turn</w:t></w:r></w:p></w:comment>
            <w:comment w:id="2" w:author="Ana"><w:p><w:r><w:t>A point comment</w:t></w:r></w:p></w:comment>
            <w:comment w:id="3" w:author="Ana"><w:p><w:r><w:t>Anchored nowhere</w:t></w:r></w:p></w:comment>
            """
        let transcript = try reader.read(try document(body, comments: comments, in: folder), displayPath: "P03.docx")
        XCTAssertEqual(transcript.turns.map(\.text), ["Which hub?", "We use Hugging Face for most models.", "Why?", "Cards."])
        XCTAssertEqual(transcript.memos.map(\.kind), [.comment, .comment, .comment, .comment])
        XCTAssertEqual(transcript.memos.map(\.text), ["Hub choice\nsee P03", "Runs into the next turn", "A point comment", "Anchored nowhere"])
        XCTAssertEqual(transcript.memos.map(\.author), ["Ana", "Ben", "Ana", "Ana"])
        XCTAssertEqual(transcript.memos.map(\.turn), [2, 2, 4, nil])
        XCTAssertEqual(transcript.memos.map(\.start), [7, 24, 6, 0])
        XCTAssertEqual(transcript.memos.map(\.endTurn), [2, 3, 4, nil])
        XCTAssertEqual(transcript.memos.map(\.end), [19, 4, 6, 0])
        let second = Array(transcript.turns[1].text.unicodeScalars)
        XCTAssertEqual(String(String.UnicodeScalarView(second[7..<19])), "Hugging Face")
        XCTAssertEqual(transcript.warnings.map(String.init(describing:)), ["P03.docx: warning: the Word comment 3 is anchored nowhere in the text; kept on the transcript"])
    }

    func testMemoNumbersRunTogether() {
        let known: Set<Int> = [1, 2, 5, 6, 12, 25, 26]
        XCTAssertEqual(DocxReader.memoNumbers("2625", among: known), [26, 25])
        XCTAssertEqual(DocxReader.memoNumbers("5,6", among: known), [5, 6])
        XCTAssertEqual(DocxReader.memoNumbers("12", among: known), [12])
        XCTAssertNil(DocxReader.memoNumbers("125", among: known), "1|25 and 12|5 both split: ambiguous")
        XCTAssertNil(DocxReader.memoNumbers("99", among: known))
        XCTAssertNil(DocxReader.memoNumbers("5,9", among: known))
    }

    func testDeepNestingAndHostileArchivesAreErrors() throws {
        let folder = try TestPaths.temporaryDirectory(for: self)
        let deep = String(repeating: "<w:p>", count: 1_200) + String(repeating: "</w:p>", count: 1_200)
        XCTAssertThrowsError(try reader.read(try document(deep, in: folder, name: "deep.docx"), displayPath: "deep.docx")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("deep.docx: cannot read the Word document: expected well-formed XML in word/document.xml, found"), "\(error)")
        }
        // A central directory pointing the local header past the file: an error, not a trap.
        var bytes = try Data(contentsOf: try document(paragraph(run("Speaker 1: hi")), in: folder, name: "ok.docx"))
        let central = try XCTUnwrap(bytes.lastRange(of: Data([0x50, 0x4B, 0x01, 0x02])))
        bytes.replaceSubrange(central.lowerBound + 42..<central.lowerBound + 46, with: [0xFF, 0xFF, 0xFF, 0x7F])
        let hostile = folder.appendingPathComponent("hostile.docx")
        try bytes.write(to: hostile)
        XCTAssertThrowsError(try reader.read(hostile, displayPath: "hostile.docx")) { error in
            XCTAssertTrue(String(describing: error).hasPrefix("hostile.docx: cannot read the Word document: expected member 'word/document.xml' to lie before the central directory"), "\(error)")
        }
    }
}
