/// The alternative hypothesis of a test, spelled as SciPy spells it.
///
/// `greater` means the first sample (or the correlation, or the proportion) is larger than the
/// null hypothesis says; `less` the opposite. Confidence intervals follow the alternative, as
/// SciPy's `pearsonr`, `ttest_ind` and `binomtest` intervals do: a one-sided test gets a one-sided
/// interval whose open end is the natural bound of the effect (±1 for correlations, 0 or 1 for a
/// proportion, ±infinity for a standardized mean difference).
public enum Alternative: String, Sendable, CaseIterable {
    case twoSided = "two-sided", greater, less
}

/// A confidence interval for an effect size, with the confidence level it was built for.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The lower bound (the effect's natural minimum for a `less` alternative).
    public var lower: Double
    /// The upper bound (the effect's natural maximum for a `greater` alternative).
    public var upper: Double
    /// The confidence level, for example 0.95.
    public var level: Double

    public init(lower: Double, upper: Double, level: Double) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }
}

/// A named effect size with its confidence interval, when one is defined.
public struct EffectSize: Sendable, Equatable {
    /// The effect's conventional name: "rho", "rank-biserial r", "Cohen's d", "proportion", ...
    public var name: String
    /// The point estimate.
    public var value: Double
    /// The interval for the point estimate, if the method defines one.
    public var interval: ConfidenceInterval?
    /// How the interval was built, in words a methods section can quote: "noncentral t",
    /// "Fisher z", "Wilson score", "noncentral chi-square", "noncentral F", "conditional exact",
    /// "percentile bootstrap (2000 resamples, seed 20240601)"; nil when there is no interval.
    public var intervalMethod: String?

    public init(name: String, value: Double, interval: ConfidenceInterval?, intervalMethod: String? = nil) {
        self.name = name
        self.value = value
        self.interval = interval
        self.intervalMethod = interval == nil ? nil : intervalMethod
    }
}

/// How the interval of an effect without a closed form (epsilon squared, eta squared,
/// Cramér's V) is built.
public enum IntervalChoice: Sendable, Equatable {
    /// No interval.
    case none
    /// The analytic interval: the inversion of the test statistic's noncentral distribution
    /// (see `docs/statistics.md`), at the given confidence level.
    case analytic(confidenceLevel: Double)
    /// A seeded percentile bootstrap.
    case bootstrap(BootstrapOptions)

    /// The analytic interval at 95%, the default everywhere.
    public static let standard = IntervalChoice.analytic(confidenceLevel: 0.95)

    func validate() throws {
        switch self {
        case .none: return
        case .analytic(let level): try Check.confidenceLevel(level)
        case .bootstrap(let options): try options.validate()
        }
    }
}

/// The outcome of one hypothesis test: statistic, p-value and effect size.
public struct TestResult: Sendable, Equatable {
    /// The test's name: "Spearman", "Mann-Whitney U", "Welch t", "binomial".
    public var test: String
    /// The total number of observations used.
    public var n: Int
    /// The statistic's conventional symbol: "rho", "U", "t", "k".
    public var statisticName: String
    /// The test statistic.
    public var statistic: Double
    /// The degrees of freedom of the reference distribution, for tests that have them (the
    /// numerator degrees of freedom for an F test).
    public var degreesOfFreedom: Double?
    /// The denominator degrees of freedom of an F test; nil for every other test.
    public var denominatorDegreesOfFreedom: Double?
    /// The p-value for the requested alternative, in [0, 1].
    public var pValue: Double
    /// The effect size that accompanies the test.
    public var effect: EffectSize
    /// How the p-value was computed, when a test has several ways ("exact", "asymptotic").
    public var method: String?
    /// Further estimates of the same effect, for example the bias-corrected Cramér's V beside
    /// the sample V, or omega squared beside eta squared; empty for most tests.
    public var additionalEffects: [EffectSize] = []

    public init(
        test: String, n: Int, statisticName: String, statistic: Double, degreesOfFreedom: Double?,
        pValue: Double, effect: EffectSize, method: String?, denominatorDegreesOfFreedom: Double? = nil
    ) {
        self.test = test
        self.n = n
        self.statisticName = statisticName
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        self.pValue = pValue
        self.effect = effect
        self.method = method
        self.denominatorDegreesOfFreedom = denominatorDegreesOfFreedom
    }
}

/// The data cannot carry the requested test; `reason` says why in plain words.
///
/// Every test throws this instead of returning NaN or trapping, so a caller can show the reason
/// next to the claim it was testing.
public struct CannotTest: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sentence a researcher can act on, naming what was expected and what was found.
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
