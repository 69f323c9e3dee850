import Foundation
import Prioritization
import XCTest

/// Compares the vectorizer, the logistic regression and the generator with scikit-learn and the
/// reference SplitMix64, through `tfidf_reference.json` (written by `make_reference.py`).
final class ReferenceTests: XCTestCase {
    struct Reference: Decodable {
        struct ReferenceDocument: Decodable {
            var id: String
            var text: String
            var relevant: Bool
        }
        struct Matrix: Decodable {
            struct Row: Decodable {
                var indices: [Int]
                var values: [Double]
            }
            var vocabulary: [String]
            var idf: [Double]
            var rows: [Row]
        }
        struct Logistic: Decodable {
            var C: Double
            var coefficients: [Double]
            var intercept: Double
            var probabilities: [Double]
        }
        var stop_words: [String]
        var documents: [ReferenceDocument]
        var tfidf: Matrix
        var tfidf_sublinear: Matrix
        var logistic_regression: [Logistic]
        var splitmix64: [String: [String]]
    }

    static let reference: Reference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("tfidf_reference.json")
        do {
            return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error); regenerate it with make_reference.py")
        }
    }()

    func testStopWordsAreScikitLearns() {
        XCTAssertEqual(EnglishStopWords.all, Self.reference.stop_words)
        XCTAssertEqual(EnglishStopWords.set.count, 318)
    }

    func testTFIDFMatchesScikitLearn() {
        check(sublinear: false, against: Self.reference.tfidf)
    }

    func testSublinearTFIDFMatchesScikitLearn() {
        check(sublinear: true, against: Self.reference.tfidf_sublinear)
    }

    func testTransformAfterFitEqualsFitTransform() {
        var vectorizer = TFIDFVectorizer()
        let texts = Self.reference.documents.map(\.text)
        let fitted = vectorizer.fitTransform(texts)
        XCTAssertEqual(vectorizer.transform(texts), fitted)
    }

    func testLogisticRegressionMatchesScikitLearn() throws {
        var vectorizer = TFIDFVectorizer()
        let features = vectorizer.fitTransform(Self.reference.documents.map(\.text))
        let relevant = Self.reference.documents.map(\.relevant)
        for expected in Self.reference.logistic_regression {
            var model = LogisticRegression(
                inverseRegularization: expected.C, tolerance: 1e-10, maximumIterations: 10_000)
            try model.fit(features, relevant: relevant, dimension: vectorizer.vocabulary.count)
            XCTAssertTrue(model.converged, "C=\(expected.C): not converged after \(model.iterations) iterations")
            XCTAssertEqual(model.coefficients.count, expected.coefficients.count)
            let worst = zip(model.coefficients, expected.coefficients).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-6, "C=\(expected.C): largest coefficient difference")
            XCTAssertEqual(model.intercept, expected.intercept, accuracy: 1e-6, "C=\(expected.C)")
            for (x, p) in zip(features, expected.probabilities) {
                XCTAssertEqual(model.probability(x), p, accuracy: 1e-6, "C=\(expected.C)")
            }
        }
    }

    func testSplitMix64MatchesReferenceAlgorithm() {
        for (seed, outputs) in Self.reference.splitmix64 {
            var generator = SplitMix64(seed: UInt64(seed)!)
            XCTAssertEqual(outputs.map { UInt64($0)! }, (0..<outputs.count).map { _ in generator.next() }, "seed \(seed)")
        }
    }

    private func check(sublinear: Bool, against expected: Reference.Matrix, file: StaticString = #filePath, line: UInt = #line) {
        var vectorizer = TFIDFVectorizer(sublinearTermFrequency: sublinear)
        let rows = vectorizer.fitTransform(Self.reference.documents.map(\.text))
        XCTAssertEqual(vectorizer.vocabulary, expected.vocabulary, file: file, line: line)
        XCTAssertEqual(vectorizer.inverseDocumentFrequency.count, expected.idf.count, file: file, line: line)
        for (mine, theirs) in zip(vectorizer.inverseDocumentFrequency, expected.idf) {
            XCTAssertEqual(mine, theirs, accuracy: 1e-9, file: file, line: line)
        }
        XCTAssertEqual(rows.count, expected.rows.count, file: file, line: line)
        for (number, (mine, theirs)) in zip(rows, expected.rows).enumerated() {
            XCTAssertEqual(mine.indices, theirs.indices, "row \(number)", file: file, line: line)
            for (a, b) in zip(mine.values, theirs.values) {
                XCTAssertEqual(a, b, accuracy: 1e-9, "row \(number)", file: file, line: line)
            }
        }
    }
}
