/// What the evidence says about a claim's metric (DESIGN §4).
public enum Verdict: String, Sendable, CaseIterable, Comparable {
    case supported
    case contradicted
    case inconclusive
    case notTested = "not tested"
    case error

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Decides a tested metric's verdict.
    ///
    /// Supported: significant after correction, in the predicted direction, and at least
    /// `minEffect` in absolute size. Contradicted: significant in the opposite direction (only a
    /// two-sided test can show this). Inconclusive: everything else, including a significant
    /// effect in the right direction that is too small to matter.
    public static func decide(adjustedP: Double, alpha: Double, effect: Double, expectation: Expectation,
                              minEffect: Double) -> Verdict {
        guard adjustedP < alpha else { return .inconclusive }
        let sign = effect > 0 ? 1 : (effect < 0 ? -1 : 0)
        if expectation.sign != 0 && sign == -expectation.sign { return .contradicted }
        if expectation.sign != 0 && sign != expectation.sign { return .inconclusive }
        return abs(effect) >= minEffect ? .supported : .inconclusive
    }
}
