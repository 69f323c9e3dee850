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

    /// A claim's verdict from its metrics' verdicts under the claim's rule.
    public static func combine(_ verdicts: [Verdict], rule: ClaimRule) -> Verdict {
        guard !verdicts.isEmpty else { return .notTested }
        let supported = verdicts.filter { $0 == .supported }.count
        let contradicted = verdicts.filter { $0 == .contradicted }.count
        let errors = verdicts.filter { $0 == .error }.count
        switch rule {
        case .all:
            if contradicted > 0 { return .contradicted }
            if errors > 0 { return .error }
            return supported == verdicts.count ? .supported : .inconclusive
        case .any:
            if supported > 0 { return .supported }
            if contradicted > 0 { return .contradicted }
            return errors == verdicts.count ? .error : .inconclusive
        case .majority:
            if 2 * supported > verdicts.count { return .supported }
            if 2 * contradicted > verdicts.count { return .contradicted }
            return errors == verdicts.count ? .error : .inconclusive
        }
    }
}

/// How a claim with several metrics is judged: all must support it (the default), any one, or
/// more than half.
public enum ClaimRule: String, Sendable, CaseIterable {
    case all, any, majority
}
