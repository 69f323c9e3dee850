import Foundation
import Prioritization
import XCTest

/// A generated corpus in which relevant records share a topic vocabulary.
enum SyntheticCorpus {
    static let topic = ["regression", "testing", "mutation", "coverage", "fault", "oracle", "suite", "flaky"]
    static let other = [
        "cloud", "energy", "requirements", "agile", "security", "blockchain", "usability", "metrics",
        "ontology", "education", "startup", "outsourcing", "architecture", "microservices", "privacy",
        "compiler", "database", "network", "embedded", "gamification",
    ]

    /// `count` documents, every `every`-th relevant; topic words appear mostly in relevant ones.
    static func make(count: Int, every: Int, seed: UInt64) -> (documents: [Document], labels: [String: Label]) {
        var generator = SplitMix64(seed: seed)
        var documents: [Document] = []
        var labels: [String: Label] = [:]
        for number in 0..<count {
            let relevant = number % every == 0
            var words: [String] = []
            for _ in 0..<30 {
                let useTopic = generator.nextInt(below: 100) < (relevant ? 40 : 3)
                let pool = useTopic ? topic : other
                words.append(pool[generator.nextInt(below: pool.count)])
            }
            let id = String(format: "r%05d", number)
            documents.append(Document(id: id, text: words.joined(separator: " ")))
            labels[id] = relevant ? .relevant : .irrelevant
        }
        return (documents, labels)
    }
}

final class PrioritizerTests: XCTestCase {
    func testRanksOnlyUnlabelledDocumentsAndPutsRelevantFirst() {
        let (documents, truth) = SyntheticCorpus.make(count: 200, every: 10, seed: 7)
        let labels = truth.filter { ["r00000", "r00010", "r00001", "r00002", "r00003"].contains($0.key) }
        let ranked = Prioritizer().rank(documents, labels: labels)
        XCTAssertEqual(ranked.count, 195)
        XCTAssertTrue(Set(ranked.map(\.id)).isDisjoint(with: labels.keys))
        let top = ranked.prefix(18).filter { truth[$0.id] == .relevant }.count
        XCTAssertGreaterThanOrEqual(top, 15, "the 18 unlabelled relevant records should lead the ranking")
        let scores = ranked.compactMap(\.score)
        XCTAssertEqual(scores.count, ranked.count)
        XCTAssertEqual(scores, scores.sorted(by: >))
    }

    func testTiesAreBrokenByID() {
        let documents = ["b", "a", "c", "d", "e"].map { Document(id: $0, text: "same words here") }
            + [Document(id: "x", text: "relevant topic"), Document(id: "y", text: "unrelated noise")]
        let ranked = Prioritizer().rank(documents, labels: ["x": .relevant, "y": .irrelevant])
        XCTAssertEqual(ranked.map(\.id), ["a", "b", "c", "d", "e"])
    }

    func testFallsBackToSeededRandomOrderWithoutBothClasses() {
        let (documents, _) = SyntheticCorpus.make(count: 50, every: 5, seed: 1)
        let labels: [String: Label] = ["r00000": .relevant, "r00005": .relevant, "unknown": .irrelevant]
        let first = Prioritizer(seed: 3).rank(documents, labels: labels)
        XCTAssertEqual(first.count, 48)
        XCTAssertTrue(first.allSatisfy { $0.score == nil })
        XCTAssertEqual(Prioritizer(seed: 3).rank(documents.reversed(), labels: labels).map(\.id), first.map(\.id))
        XCTAssertNotEqual(Prioritizer(seed: 4).rank(documents, labels: labels).map(\.id), first.map(\.id))
        XCTAssertNotEqual(first.map(\.id), first.map(\.id).sorted(), "the fallback order is shuffled")
    }

    func testLogisticRegressionNeedsBothClasses() {
        var model = LogisticRegression()
        let x = [SparseVector(indices: [0], values: [1])]
        XCTAssertThrowsError(try model.fit(x, relevant: [true], dimension: 1)) { error in
            XCTAssertEqual(error as? PrioritizationError, .needsBothClasses(relevant: 1, irrelevant: 0))
        }
    }

    func testBalancedWeightsMoveTheInterceptTowardTheMinority() throws {
        let x = (0..<20).map { _ in SparseVector(indices: [], values: []) }
        let y = (0..<20).map { $0 < 2 }
        var balanced = LogisticRegression(tolerance: 1e-10)
        try balanced.fit(x, relevant: y, dimension: 1)
        var plain = LogisticRegression(balancesClasses: false, tolerance: 1e-10)
        try plain.fit(x, relevant: y, dimension: 1)
        XCTAssertEqual(balanced.intercept, 0, accuracy: 1e-8, "balanced classes carry equal weight")
        XCTAssertEqual(plain.probability(x[0]), 0.1, accuracy: 1e-8, "unweighted: the base rate")
    }
}
