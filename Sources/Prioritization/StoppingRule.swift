/// When prioritised screening may stop: two heuristics from the literature and an estimate of
/// the relevant records still unscreened, always reported, never applied silently.
///
/// **The knee method** (Cormack & Grossman 2016, "Engineering quality and reliability in
/// technology-assisted review", SIGIR; the "knee" rule FASTREAD and later TAR studies use). The
/// gain curve plots relevant records found against records screened. Its knee is the screened
/// count `k` whose point lies farthest above the straight line from the origin to the current
/// point `(s, r)` (the Kneedle construction of Satopää et al. 2011). The slope ratio
///
///     ρ = (r_k / k) / ((r − r_k + 1) / (s − k))
///
/// compares the rate of relevant records before the knee with the rate after it (one relevant
/// record added after the knee so that a run without any is not infinitely steep). Screening may
/// stop once `ρ ≥ 156 − min(r, 150)` and at least 150 records were screened: with few relevant
/// records found the ratio must be near 156, with 150 or more a ratio of 6 suffices. Cormack and
/// Grossman report recall above 0.9 for this rule on the TREC collections.
///
/// **Consecutive irrelevant records**: stop after a run of `consecutiveIrrelevant` irrelevant
/// records in a row (ASReview users commonly pick 50–100, or about 5% of the records, e.g. van
/// de Schoot et al. 2021's recommendations for ASReview). Simple and explainable, it says nothing
/// about recall by itself, which is why the estimate below stands beside it.
///
/// **Relevant records remaining** is estimated as the rate after the knee, `(r − r_k + 1) /
/// (s − k)`, times the records still unscreened. Prioritisation makes that rate fall further, so
/// the estimate errs high; it is a planning figure, not a bound.
public struct StoppingRule: Sendable, Equatable {
    /// The run of irrelevant records in a row after which the consecutive rule is met.
    public var consecutiveIrrelevant: Int
    /// The fewest records screened before the knee rule may be met (150 in Cormack & Grossman).
    public var minimumScreened: Int

    public init(consecutiveIrrelevant: Int = 100, minimumScreened: Int = 150) {
        self.consecutiveIrrelevant = consecutiveIrrelevant
        self.minimumScreened = minimumScreened
    }

    /// Where screening stands, for `paper next --stats`.
    public struct Report: Sendable, Equatable, Codable {
        public var screened: Int
        public var unscreened: Int
        public var relevantFound: Int
        /// Screened records at the knee of the gain curve, and relevant records found by then;
        /// nil before anything relevant was found.
        public var knee: Int?
        public var relevantAtKnee: Int?
        /// ρ at the knee, and the value it must reach.
        public var slopeRatio: Double?
        public var slopeRatioNeeded: Double
        public var kneeRuleMet: Bool
        /// Irrelevant records since the last relevant one.
        public var currentIrrelevantRun: Int
        public var consecutiveRuleMet: Bool
        /// Estimated relevant records among the unscreened, and the recall that implies.
        public var estimatedRelevantRemaining: Double
        public var estimatedRecall: Double?
        /// The knee rule's minimum screened, repeated for the summary.
        public var minimumScreened: Int
        /// The run of irrelevant records the consecutive rule needs.
        public var consecutiveIrrelevantNeeded: Int = 0

        enum CodingKeys: String, CodingKey {
            case screened, unscreened, knee
            case relevantFound = "relevant_found", relevantAtKnee = "relevant_at_knee", slopeRatio = "slope_ratio"
            case slopeRatioNeeded = "slope_ratio_needed", kneeRuleMet = "knee_rule_met", currentIrrelevantRun = "current_irrelevant_run"
            case consecutiveRuleMet = "consecutive_rule_met", estimatedRelevantRemaining = "estimated_relevant_remaining"
            case estimatedRecall = "estimated_recall", minimumScreened = "minimum_screened"
            case consecutiveIrrelevantNeeded = "consecutive_irrelevant_needed"
        }

        /// One sentence per rule, for the terminal.
        public var summary: [String] {
            var lines = ["\(screened) screened, \(relevantFound) relevant, \(unscreened) unscreened."]
            if let knee, let slopeRatio {
                let ratio = String(format: "%.1f of %.0f needed", slopeRatio, slopeRatioNeeded)
                lines.append("Knee method (Cormack & Grossman 2016): knee at \(knee) screened (\(relevantAtKnee ?? 0) relevant), slope ratio "
                    + ratio + (screened < minimumScreened ? ", and \(minimumScreened) records must be screened first" : "")
                    + " — \(kneeRuleMet ? "met" : "not met").")
            } else {
                lines.append("Knee method (Cormack & Grossman 2016): no knee yet, nothing relevant found — not met.")
            }
            lines.append("Consecutive irrelevant: \(currentIrrelevantRun) in a row of \(consecutiveIrrelevantNeeded) needed — \(consecutiveRuleMet ? "met" : "not met").")
            var estimate = String(format: "Estimated relevant records remaining: %.1f", estimatedRelevantRemaining)
            if let estimatedRecall { estimate += String(format: " (estimated recall %.2f)", estimatedRecall) }
            lines.append(estimate + ".")
            return lines
        }
    }

    /// The report after screening records in the order given (`true` for relevant), with
    /// `unscreened` records left.
    public func evaluate(_ decisions: [Bool], unscreened: Int) -> Report {
        let screened = decisions.count
        var found = 0
        var gain = [0]
        gain.reserveCapacity(screened + 1)
        for relevant in decisions {
            if relevant { found += 1 }
            gain.append(found)
        }
        var run = 0
        for relevant in decisions.reversed() {
            if relevant { break }
            run += 1
        }
        var report = Report(
            screened: screened, unscreened: max(0, unscreened), relevantFound: found, knee: nil, relevantAtKnee: nil, slopeRatio: nil,
            slopeRatioNeeded: Double(156 - min(found, 150)), kneeRuleMet: false, currentIrrelevantRun: run,
            consecutiveRuleMet: run >= consecutiveIrrelevant, estimatedRelevantRemaining: 0, estimatedRecall: nil,
            minimumScreened: minimumScreened)
        report.consecutiveIrrelevantNeeded = consecutiveIrrelevant
        let laplaceRate = Double(found + 1) / Double(screened + 1)
        report.estimatedRelevantRemaining = laplaceRate * Double(report.unscreened)
        guard found > 0 else { return report }

        // The knee: the point farthest above the chord from (0, 0) to (s, r); the distance is
        // proportional to s·gain[i] − r·i, and the first of equally far points is taken.
        var knee = 1
        var farthest = -Double.infinity
        for index in 1..<max(2, screened) {
            let distance = Double(screened) * Double(gain[index]) - Double(found) * Double(index)
            if distance > farthest { farthest = distance; knee = index }
        }
        let before = Double(gain[knee]) / Double(knee)
        let afterRecords = screened - knee
        let after = Double(found - gain[knee] + 1) / Double(max(1, afterRecords))
        let ratio = before / after
        report.knee = knee
        report.relevantAtKnee = gain[knee]
        report.slopeRatio = ratio
        report.kneeRuleMet = screened >= minimumScreened && afterRecords > 0 && ratio >= report.slopeRatioNeeded
        report.estimatedRelevantRemaining = after * Double(report.unscreened)
        report.estimatedRecall = Double(found) / (Double(found) + report.estimatedRelevantRemaining)
        return report
    }
}
