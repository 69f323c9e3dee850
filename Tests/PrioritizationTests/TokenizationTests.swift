import Prioritization
import XCTest

final class TokenizationTests: XCTestCase {
    func testLowercasesAndSplitsOnEverythingButLettersAndDigits() {
        let vectorizer = TFIDFVectorizer()
        XCTAssertEqual(
            vectorizer.tokens(in: "Mapping-study; SLR_protocol (v2.0) ISO9126"),
            ["mapping", "study", "slr", "protocol", "v2", "iso9126"])
    }

    func testDropsStopWordsAndSingleCharacters() {
        let vectorizer = TFIDFVectorizer()
        XCTAssertEqual(vectorizer.tokens(in: "The effect of a B-tree on the I/O of it"), ["effect", "tree"])
    }

    func testCountsCodePointsAndKeepsNonLatinScripts() {
        let vectorizer = TFIDFVectorizer()
        XCTAssertEqual(vectorizer.tokens(in: "Ελληνικά é 日本 Straße"), ["ελληνικά", "日本", "straße"])
        XCTAssertEqual(vectorizer.tokens(in: "cafe\u{301}s"), ["cafe"], "a combining mark ends a token, as in Python's re")
    }

    func testConfigurableStopWordsAndLength() {
        let vectorizer = TFIDFVectorizer(stopWords: ["review"], minimumTokenLength: 3)
        XCTAssertEqual(vectorizer.tokens(in: "The systematic review of an SE topic"), ["the", "systematic", "topic"])
    }

    func testEmptyTextGivesEmptyVector() {
        var vectorizer = TFIDFVectorizer()
        let rows = vectorizer.fitTransform(["", "software engineering", "the of and"])
        XCTAssertEqual(rows[0], SparseVector(indices: [], values: []))
        XCTAssertEqual(rows[2], SparseVector(indices: [], values: []))
        XCTAssertEqual(vectorizer.vocabulary, ["engineering", "software"])
        let norm = rows[1].values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        XCTAssertEqual(norm, 1, accuracy: 1e-12)
    }

    func testUnfittedTransformIgnoresEverything() {
        let vectorizer = TFIDFVectorizer()
        XCTAssertEqual(vectorizer.transform(["software"]), [SparseVector(indices: [], values: [])])
    }
}
