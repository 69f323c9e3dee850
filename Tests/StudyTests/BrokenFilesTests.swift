import Foundation
import TestSupport
import XCTest

/// One policy for broken study files: every command that reads codings or participants refuses
/// a malformed line with its file, line and column, as `matrix` does — none silently drops it.
final class BrokenFilesTests: XCTestCase {
    func testEveryCodingReaderRefusesAMalformedCodingsLine() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/codings/ben.jsonl", "{\"transcript\": \"P01\"\n")
        let commands: [[String]] = [
            ["analyze", "matrix"], ["analyze", "cooccurrence"], ["analyze", "saturation"], ["excerpts", "--code", "trust"],
            ["agreement"], ["tag", "P01#2", "trust", "--coder", "ana"], ["matrix"],
        ]
        for command in commands {
            let result = try CLI.run(command, in: fixture.root)
            XCTAssertEqual(result.status, 1, command.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains("corpus/codings/ben.jsonl:1:1:"), "\(command): \(result.stderr)")
        }
        let status = try CLI.run(["status"], in: fixture.root)
        XCTAssertEqual(status.status, 1)
        XCTAssertTrue(status.stdout.contains("corpus/codings/ben.jsonl:1:1") || status.stderr.contains("corpus/codings/ben.jsonl:1:1"))
    }

    func testARaggedParticipantsFileIsRefused() throws {
        let fixture = try StudyFixture(self)
        try fixture.write("corpus/participants.csv", "id,pseudonym,role\nP01,Person A,engineer\nP02,Person B\n")
        for command in [["analyze", "matrix"], ["excerpts", "--code", "trust"], ["agreement"]] {
            let result = try CLI.run(command, in: fixture.root)
            XCTAssertEqual(result.status, 1, command.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains("corpus/participants.csv:3"), "\(command): \(result.stderr)")
        }
    }

    func testTyposInExcerptsGetASuggestion() throws {
        let fixture = try StudyFixture(self)
        let code = try CLI.run(["excerpts", "--code", "trsut"], in: fixture.root)
        XCTAssertEqual(code.status, 1)
        XCTAssertTrue(code.stderr.contains("Did you mean 'trust'?"), code.stderr)
        let participant = try CLI.run(["excerpts", "--participant", "P0l"], in: fixture.root)
        XCTAssertEqual(participant.status, 1)
        XCTAssertTrue(participant.stderr.contains("Did you mean 'P01'?"), participant.stderr)
    }
}
