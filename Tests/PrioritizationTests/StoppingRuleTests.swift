import Foundation
import Prioritization
import TestSupport
import XCTest

/// The stopping rules of prioritised screening (issue 13.6).
final class StoppingRuleTests: XCTestCase {
    /// Worked by hand: gain 1, 2, 2, 3, 3, 3, 3, 3, 3, 3 over ten records. The distance above the
    /// chord to (10, 3), 10·gain(i) − 3·i, is 7, 14, 11, 18, 15, … so the knee is at 4 records
    /// (3 relevant); ρ = (3/4) / ((0 + 1)/6) = 4.5, far below 156 − 3 = 153.
    func testKneeSlopeRatioRunAndEstimateOnASmallCurve() {
        let report = StoppingRule().evaluate([true, true, false, true, false, false, false, false, false, false], unscreened: 90)
        XCTAssertEqual(report.knee, 4)
        XCTAssertEqual(report.relevantAtKnee, 3)
        XCTAssertEqual(report.slopeRatio ?? 0, 4.5, accuracy: 1e-12)
        XCTAssertEqual(report.slopeRatioNeeded, 153)
        XCTAssertFalse(report.kneeRuleMet)
        XCTAssertEqual(report.currentIrrelevantRun, 6)
        XCTAssertFalse(report.consecutiveRuleMet)
        XCTAssertEqual(report.estimatedRelevantRemaining, 15, accuracy: 1e-12)
        XCTAssertEqual(report.estimatedRecall ?? 0, 3.0 / 18.0, accuracy: 1e-12)
        XCTAssertEqual(report.summary[1], "Knee method (Cormack & Grossman 2016): knee at 4 screened (3 relevant), slope ratio 4.5 of 153 needed, and 150 records must be screened first — not met.")
    }

    func testNothingFoundYetHasNoKnee() {
        let report = StoppingRule(consecutiveIrrelevant: 3).evaluate([false, false, false], unscreened: 7)
        XCTAssertNil(report.knee)
        XCTAssertFalse(report.kneeRuleMet)
        XCTAssertTrue(report.consecutiveRuleMet)
        XCTAssertEqual(report.estimatedRelevantRemaining, 7.0 / 4.0, accuracy: 1e-12)
        XCTAssertEqual(StoppingRule().evaluate([], unscreened: 0).summary.count, 4)
    }

    /// The simulated screening of Kitchenham et al. 2010 (44 relevant among 1,702 after the
    /// priors): the knee rule never stops before 90% recall (with so few relevant records it
    /// needs ρ ≥ 112, and in this debug-build schedule it is not met at all), the
    /// consecutive-irrelevant rule is met, and the estimate of relevant records remaining is at
    /// least the true number at every hundredth record, as its documentation says it errs high.
    func testKitchenhamSimulationNeverStopsSilentlyOrEarly() throws {
        let url = try TestPaths.sharedData("slr/asreview-systematic-review-datasets/Kitchenham_2010.csv")
        let (documents, labels) = try ASReviewCSV.read(url)
        let result = try Simulation.run(documents, labels: labels, seed: 1, batch: 100)
        let relevant = result.order.map { labels[$0] == .relevant }
        let rule = StoppingRule()
        var kneeStop: Int?
        var runStop: Int?
        var found = 0
        for count in 1...relevant.count {
            if relevant[count - 1] { found += 1 }
            guard count % 10 == 0 || count == relevant.count else { continue }
            let report = rule.evaluate(Array(relevant.prefix(count)), unscreened: relevant.count - count)
            XCTAssertEqual(report.relevantFound, found)
            if kneeStop == nil, report.kneeRuleMet { kneeStop = count }
            if runStop == nil, report.consecutiveRuleMet { runStop = count }
            if count % 100 == 0 {
                XCTAssertGreaterThanOrEqual(report.estimatedRelevantRemaining, Double(result.relevant - found), "after \(count) records")
            }
        }
        if let kneeStop {
            XCTAssertGreaterThanOrEqual(Double(relevant.prefix(kneeStop).count { $0 }) / Double(result.relevant), 0.9)
        }
        let run = try XCTUnwrap(runStop, "100 irrelevant records in a row happen before the end")
        let recallAtRun = Double(relevant.prefix(run).count { $0 }) / Double(result.relevant)
        print("Kitchenham, seed 1, batch 100: knee rule \(kneeStop.map { "met after \($0)" } ?? "not met") of \(relevant.count) records; "
            + "100 irrelevant in a row after \(run) (recall \(recallAtRun))")
        XCTAssertLessThan(run, relevant.count)
    }
}
