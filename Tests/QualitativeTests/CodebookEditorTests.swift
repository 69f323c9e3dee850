import Qualitative
import XCTest

final class CodebookEditorTests: XCTestCase {
    let text = """
        # Codebook of the reuse study. Comments survive edits.
        name: Reuse
        codes:
          - id: selection   # how models are chosen
            name: Selection
            codes:
              - id: popularity
                name: Popularity
                definition: "Downloads: a signal."

              - id: stars
                name: Stars
          - id: trust
            name: Trust
        """

    func testRenameTouchesOneValueOnly() throws {
        var editor = CodebookEditor(text: text, file: "cb.yaml")
        try editor.rename("selection/popularity", to: "downloads")
        XCTAssertEqual(editor.text, text.replacingOccurrences(of: "- id: popularity", with: "- id: downloads") + "\n")
        XCTAssertEqual(try editor.codebook().codes.map(\.id), ["selection", "selection/downloads", "selection/stars", "trust"])
    }

    func testMoveCutsAndPastesTheBlockReindented() throws {
        var editor = CodebookEditor(text: text, file: "cb.yaml")
        try editor.move("selection/popularity", under: "trust")
        let book = try editor.codebook()
        XCTAssertEqual(book.codes.map(\.id), ["selection", "selection/stars", "trust", "trust/popularity"])
        XCTAssertEqual(book.codes[3].definition, "Downloads: a signal.")
        XCTAssertTrue(editor.text.hasPrefix("# Codebook of the reuse study. Comments survive edits."))
        XCTAssertTrue(editor.text.contains("  - id: selection   # how models are chosen"))
        try editor.move("trust/popularity", under: nil)
        XCTAssertEqual(try editor.codebook().codes.map(\.id), ["selection", "selection/stars", "trust", "popularity"])
        try editor.move("selection/stars", under: nil)
        XCTAssertEqual(try editor.codebook().codes.map(\.id), ["selection", "trust", "popularity", "stars"],
                       "a parent left without sub-codes loses its empty 'codes:' key")
    }

    func testAddAndRemove() throws {
        var editor = CodebookEditor(text: text, file: "cb.yaml")
        try editor.add(id: "licensing", name: "Licensing", definition: "Licences: constraints.", parent: "trust")
        try editor.add(id: "adaptation", name: "Adaptation", definition: nil, parent: nil)
        XCTAssertEqual(try editor.codebook().codes.map(\.id),
                       ["selection", "selection/popularity", "selection/stars", "trust", "trust/licensing", "adaptation"])
        XCTAssertEqual(try editor.codebook().codes[4].definition, "Licences: constraints.")
        XCTAssertThrowsError(try editor.add(id: "licensing", name: "Again", definition: nil, parent: "trust"))
        XCTAssertThrowsError(try editor.remove("selection")) { error in
            XCTAssertTrue(String(describing: error).contains("has sub-codes"), "\(error)")
        }
        try editor.remove("selection/stars")
        XCTAssertEqual(try editor.codebook().codes.map(\.id), ["selection", "selection/popularity", "trust", "trust/licensing", "adaptation"])
    }

    func testMovingUnderItselfIsRefused() {
        var editor = CodebookEditor(text: text, file: "cb.yaml")
        XCTAssertThrowsError(try editor.move("selection", under: "selection/stars"))
    }

    func testCodingsFollowARename() throws {
        let codings = """
            {"transcript":"P01","turn":2,"code":"selection/popularity","coder":"ana"}
            {"transcript":"P01","turn":3,"code":"selection/popularity/likes","coder":"ana"}
            {"transcript":"P01","turn":4,"code":"selection/popularityx","coder":"ana"}
            """
        let rewritten = try XCTUnwrap(CodeRenaming.apply(toCodingsText: codings, file: "ana.jsonl", from: "selection/popularity", to: "trust/downloads"))
        XCTAssertEqual(try CodingFile.parse(rewritten, file: "ana.jsonl").map(\.code),
                       ["trust/downloads", "trust/downloads/likes", "selection/popularityx"])
        XCTAssertNil(try CodeRenaming.apply(toCodingsText: codings, file: "ana.jsonl", from: "trust", to: "x"))
    }
}

final class CodeMatchingTests: XCTestCase {
    let codes = ["selection", "selection/popularity", "selection/performance", "trust", "trust/provenance"]

    func testAbbreviations() {
        XCTAssertEqual(CodeMatching.resolve("trust", in: codes), .code("trust"))
        XCTAssertEqual(CodeMatching.resolve("sel/pop", in: codes), .code("selection/popularity"))
        XCTAssertEqual(CodeMatching.resolve("prov", in: codes), .code("trust/provenance"))
        XCTAssertEqual(CodeMatching.resolve("sel/p", in: codes), .ambiguous(["selection/popularity", "selection/performance"]))
        XCTAssertEqual(CodeMatching.resolve("zzz", in: codes), .unknown)
        XCTAssertEqual(CodeMatching.candidates("pro", in: codes), ["trust/provenance"])
    }
}
