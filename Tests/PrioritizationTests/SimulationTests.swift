import Prioritization
import XCTest

/// Structural checks shared by the synthetic and the real-data simulations.
func assertWellFormed(_ result: SimulationResult, documents: Int, priors: Int, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(result.total, documents - priors, file: file, line: line)
    XCTAssertEqual(result.priors.count, priors, file: file, line: line)
    XCTAssertEqual(Set(result.order).count, result.total, "every record screened once", file: file, line: line)
    XCTAssertTrue(Set(result.order).isDisjoint(with: result.priors), file: file, line: line)
    XCTAssertEqual(result.recallCurve.count, result.total + 1, file: file, line: line)
    XCTAssertEqual(result.recallCurve.first?.found, 0, file: file, line: line)
    XCTAssertEqual(result.recallCurve.last?.found, result.relevant, file: file, line: line)
    for (previous, next) in zip(result.recallCurve, result.recallCurve.dropFirst()) {
        XCTAssertEqual(next.screened, previous.screened + 1, file: file, line: line)
        XCTAssertTrue(next.found == previous.found || next.found == previous.found + 1, file: file, line: line)
    }
    XCTAssertGreaterThanOrEqual(result.wss95, -0.05, file: file, line: line)
    XCTAssertLessThan(result.wss95, 0.95, file: file, line: line)
    XCTAssertGreaterThanOrEqual(result.wss100, 0, file: file, line: line)
    XCTAssertLessThan(result.wss100, 1, file: file, line: line)
    XCTAssertLessThanOrEqual(result.wss100, result.wss95 + 0.05, "100% recall needs at least as much screening", file: file, line: line)
    XCTAssertTrue((0...1).contains(result.rrf10), file: file, line: line)
}

/// The expected WSS@r of screening in a uniformly random order: the m-th of R relevant records
/// among N sits on average at position m·(N + 1)/(R + 1).
func randomExpectedWSS(total: Int, relevant: Int, recall r: Double) -> Double {
    let needed = Double(max(1, Int((r * Double(relevant) - 1e-9).rounded(.up))))
    let position = needed * Double(total + 1) / Double(relevant + 1)
    return (Double(total) - position) / Double(total) - (1 - r)
}

final class SimulationTests: XCTestCase {
    func testWorkSavedFollowsCohensDefinition() throws {
        // 10 records, relevant at positions 1, 2 and 5: 95% of 3 needs all 3, reached after 5.
        let order = (1...10).map { "r\($0)" }
        let result = try SimulationResult(order: order, isRelevant: order.indices.map { [0, 1, 4].contains($0) })
        XCTAssertEqual(result.relevant, 3)
        XCTAssertEqual(result.wss100, 5.0 / 10.0, accuracy: 1e-12)
        XCTAssertEqual(result.wss95, 5.0 / 10.0 - 0.05, accuracy: 1e-12)
        XCTAssertEqual(result.workSavedOverSampling(atRecall: 0.5), 8.0 / 10.0 - 0.5, accuracy: 1e-12)
        XCTAssertEqual(result.rrf10, 1.0 / 3.0, accuracy: 1e-12, "10% of 10 records is the first record")
        XCTAssertEqual(result.recall(afterScreening: 0.15), 2.0 / 3.0, accuracy: 1e-12, "rounded up to 2 records")
    }

    func testDeterministicForASeedAndDifferentAcrossSeeds() throws {
        let (documents, labels) = SyntheticCorpus.make(count: 150, every: 10, seed: 11)
        let first = try Simulation.run(documents, labels: labels, seed: 5, batch: 3)
        let again = try Simulation.run(documents.reversed(), labels: labels, seed: 5, batch: 3)
        XCTAssertEqual(first.priors, again.priors)
        XCTAssertEqual(first.order, again.order)
        XCTAssertEqual(first.wss95, again.wss95)
        let other = try Simulation.run(documents, labels: labels, seed: 6, batch: 3)
        XCTAssertNotEqual(first.priors, other.priors)
        assertWellFormed(first, documents: 150, priors: 2)
    }

    func testBeatsRandomScreeningOnAverage() throws {
        let (documents, labels) = SyntheticCorpus.make(count: 300, every: 15, seed: 2)
        var total = 0.0
        var random = 0.0
        for seed: UInt64 in 1...3 {
            let result = try Simulation.run(documents, labels: labels, seed: seed, priorRelevant: 1, priorIrrelevant: 2, batch: 5)
            assertWellFormed(result, documents: 300, priors: 3)
            total += result.wss95
            random += randomExpectedWSS(total: result.total, relevant: result.relevant, recall: 0.95)
        }
        XCTAssertGreaterThan(total / 3, random / 3 + 0.2)
    }

    func testWithoutRelevantPriorsStartsRandomlyAndStillFinishes() throws {
        let (documents, labels) = SyntheticCorpus.make(count: 60, every: 6, seed: 4)
        let result = try Simulation.run(documents, labels: labels, seed: 9, priorRelevant: 0, priorIrrelevant: 1, batch: 4)
        assertWellFormed(result, documents: 60, priors: 1)
        XCTAssertEqual(result.relevant, 10)
    }

    func testRejectsBadInputWithActionableErrors() {
        let documents = [Document(id: "1", text: "a test"), Document(id: "2", text: "another test")]
        let labels: [String: Label] = ["1": .relevant, "2": .irrelevant]
        func error(_ body: () throws -> SimulationResult) -> PrioritizationError? {
            do {
                _ = try body()
                return nil
            } catch {
                return error as? PrioritizationError
            }
        }
        XCTAssertEqual(error { try Simulation.run(documents, labels: labels, seed: 0, batch: 0) }, .invalidBatch(0))
        XCTAssertEqual(error { try Simulation.run(documents, labels: ["1": .relevant], seed: 0) }, .missingLabel(id: "2"))
        XCTAssertEqual(error { try Simulation.run(documents + documents, labels: labels, seed: 0) }, .duplicateIdentifier("1"))
        XCTAssertEqual(
            error { try Simulation.run(documents, labels: labels, seed: 0, priorIrrelevant: 2) },
            .invalidPriorCount(label: .irrelevant, requested: 2, available: 1))
        XCTAssertEqual(error { try Simulation.run(documents, labels: labels, seed: 0) }, .noRelevantRecordsToFind)
        XCTAssertTrue(PrioritizationError.missingLabel(id: "2").description.contains("'2'"))
    }
}
