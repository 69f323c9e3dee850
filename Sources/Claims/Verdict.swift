/// What the evidence says about a claim's metric (DESIGN §4).
public enum Verdict: String, Sendable, CaseIterable, Comparable {
    case supported
    case contradicted
    /// Only for a claim with several metrics: some support it and some contradict it (rules
    /// `any` and `majority`; see `combine(_:rule:)`).
    case mixed
    case inconclusive
    case notTested = "not tested"
    case error

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The relative tolerance with which an effect meets `min_effect`: |effect| counts as at
    /// least m when |effect| ≥ m − 10⁻⁹·max(m, 1).
    ///
    /// Effects are computed in floating point, so an effect that equals its threshold on paper
    /// can land one rounding below it (600/1000 − 0.5 is 0.09999999999999998, not 0.1). A
    /// billionth is far below any effect size a claim could mean and far above rounding error.
    public static let minEffectTolerance = 1e-9

    /// Whether |effect| reaches `minEffect`, with `minEffectTolerance`.
    public static func reaches(_ effect: Double, minEffect: Double) -> Bool {
        abs(effect) >= minEffect - minEffectTolerance * max(minEffect, 1)
    }

    /// Decides a tested metric's verdict.
    ///
    /// Supported: significant after correction (`significance` says whether p < alpha or
    /// p ≤ alpha counts), in the predicted direction, and at least `minEffect` in absolute size
    /// (see `reaches(_:minEffect:)`). Contradicted: significant in the opposite direction (only a
    /// two-sided test can show this). Inconclusive: everything else, including a significant
    /// effect in the right direction that is too small to matter.
    public static func decide(adjustedP: Double, alpha: Double, effect: Double, expectation: Expectation,
                              minEffect: Double, significance: SignificanceRule = .belowAlpha) -> Verdict {
        guard significance.isSignificant(adjustedP, alpha: alpha) else { return .inconclusive }
        let sign = effect > 0 ? 1 : (effect < 0 ? -1 : 0)
        if expectation.sign != 0 && sign == -expectation.sign { return .contradicted }
        if expectation.sign != 0 && sign != expectation.sign { return .inconclusive }
        return reaches(effect, minEffect: minEffect) ? .supported : .inconclusive
    }

    /// A claim's verdict from its metrics' verdicts under the claim's rule.
    public static func combine(_ verdicts: [Verdict], rule: ClaimRule) -> Verdict {
        combined(verdicts, rule: rule).verdict
    }

    /// A claim's verdict with the counts behind it and a sentence saying how it was reached.
    ///
    /// - `all`: contradicted if any metric contradicts the claim; otherwise error if any metric
    ///   could not run; supported if every metric supports it; otherwise inconclusive.
    /// - `any`: supported if at least one metric supports the claim and none contradicts it;
    ///   contradicted if at least one contradicts and none supports; mixed if both happen;
    ///   error if no metric ran; otherwise inconclusive.
    /// - `majority`: over the metrics that ran (errors are reported, never counted as votes):
    ///   supported or contradicted when more than half of them say so; mixed when neither has a
    ///   majority but both occur; error when none ran; otherwise inconclusive.
    public static func combined(_ verdicts: [Verdict], rule: ClaimRule) -> CombinedVerdict {
        var result = CombinedVerdict(verdict: .notTested, supported: 0, contradicted: 0, errors: 0, ran: 0, explanation: "")
        for verdict in verdicts {
            switch verdict {
            case .supported: result.supported += 1
            case .contradicted: result.contradicted += 1
            case .error: result.errors += 1
            case .notTested: break
            case .inconclusive, .mixed: break
            }
            if verdict != .error && verdict != .notTested { result.ran += 1 }
        }
        let total = verdicts.count
        guard total > 0 else {
            result.explanation = "no metric tests this claim"
            return result
        }
        let s = result.supported, c = result.contradicted, ran = result.ran
        switch rule {
        case .all:
            if c > 0 { result.verdict = .contradicted } else if result.errors > 0 { result.verdict = .error }
            else if s == total { result.verdict = .supported } else { result.verdict = .inconclusive }
        case .any:
            if ran == 0 { result.verdict = .error } else if s > 0 && c > 0 { result.verdict = .mixed }
            else if s > 0 { result.verdict = .supported } else if c > 0 { result.verdict = .contradicted }
            else { result.verdict = .inconclusive }
        case .majority:
            if ran == 0 { result.verdict = .error } else if 2 * s > ran { result.verdict = .supported }
            else if 2 * c > ran { result.verdict = .contradicted } else if s > 0 && c > 0 { result.verdict = .mixed }
            else { result.verdict = .inconclusive }
        }
        var parts = ["\(s) of \(ran) metric\(ran == 1 ? "" : "s") that ran support\(ran == 1 && s == 1 ? "s" : "") it",
                     "\(c) contradict\(c == 1 ? "s" : "") it"]
        if result.errors > 0 {
            parts.append("\(result.errors) could not run" + (rule == .majority ? " (not counted)" : ""))
        }
        result.explanation = parts.joined(separator: ", ")
        return result
    }
}

/// A claim's combined verdict with the counts it rests on.
public struct CombinedVerdict: Sendable, Equatable {
    public var verdict: Verdict
    public var supported: Int
    public var contradicted: Int
    /// Metrics that could not run (the query failed or the data cannot carry the test).
    public var errors: Int
    /// Metrics that ran (every verdict but error and not tested).
    public var ran: Int
    /// "2 of 3 metrics that ran support it, 0 contradict it, 1 could not run (not counted)".
    public var explanation: String
}

/// How a claim with several metrics is judged: all must support it (the default), any one, or
/// more than half.
public enum ClaimRule: String, Sendable, Codable, CaseIterable {
    case all, any, majority
}

/// Whether an adjusted p-value equal to alpha counts as significant.
///
/// The default, p < alpha, is the Neyman-Pearson convention of most textbooks and of the
/// matrix's notes; p ≤ alpha is what some journals and R's `p.adjust`-based workflows state. The
/// choice matters only at the boundary (a Holm-adjusted p of exactly 0.05 happens with small
/// families), and the matrix names the rule it used.
public enum SignificanceRule: String, Sendable, CaseIterable {
    /// Significant when p < alpha.
    case belowAlpha = "below"
    /// Significant when p ≤ alpha.
    case atMostAlpha = "at-most"

    public func isSignificant(_ p: Double, alpha: Double) -> Bool {
        switch self {
        case .belowAlpha: return p < alpha
        case .atMostAlpha: return p <= alpha
        }
    }

    /// "p < alpha" or "p ≤ alpha", for output.
    public var statement: String {
        self == .belowAlpha ? "p < alpha" : "p ≤ alpha"
    }
}
