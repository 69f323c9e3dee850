import Core
import Statistics
import YAMLSupport

/// Which interval an effect without a closed form (epsilon squared, eta squared, Cramér's V)
/// gets; every other effect has one analytic interval.
public enum IntervalKind: String, Sendable, Codable, CaseIterable {
    /// The inversion of the statistic's noncentral distribution (docs/statistics.md).
    case analytic
    /// A seeded percentile bootstrap.
    case bootstrap
}

/// The resamples and seed of a bootstrap interval, as a study or metric writes them
/// (`bootstrap: {resamples: 2000, seed: 20240601}`); nil fields take the study's or the defaults.
public struct BootstrapSettings: Sendable, Equatable, Codable {
    public var resamples: Int?
    public var seed: UInt64?

    public init(resamples: Int? = nil, seed: UInt64? = nil) {
        self.resamples = resamples
        self.seed = seed
    }

    /// These settings with the gaps filled from `fallback`.
    func filled(from fallback: BootstrapSettings) -> BootstrapSettings {
        BootstrapSettings(resamples: resamples ?? fallback.resamples, seed: seed ?? fallback.seed)
    }

    static func parse(_ value: YAMLValue) throws -> BootstrapSettings {
        let fields = try value.fields("'bootstrap'", allowed: ["resamples", "seed"])
        var settings = BootstrapSettings()
        if let node = fields["resamples"] {
            let resamples = try node.int("'resamples'")
            guard resamples >= 1 && resamples <= 1_000_000 else {
                throw node.error("expected resamples between 1 and 1000000, found \(resamples)")
            }
            settings.resamples = resamples
        }
        if let node = fields["seed"] {
            let seed = try node.int("'seed'")
            guard seed >= 0 else { throw node.error("expected a seed of 0 or more, found \(seed)") }
            settings.seed = UInt64(seed)
        }
        return settings
    }

    func write(to writer: inout YAMLWriter, indent: Int) {
        var parts: [String] = []
        if let resamples { parts.append("resamples: \(resamples)") }
        if let seed { parts.append("seed: \(seed)") }
        writer.raw("bootstrap", "{" + parts.joined(separator: ", ") + "}", indent: indent)
    }
}

/// The study-wide defaults of how metrics are evaluated, from `triangulate.yaml`
/// (`confidence:`, `interval:`, `bootstrap:`, `significance:`); a metric's own keys override them.
public struct EvaluationDefaults: Sendable, Equatable {
    /// The confidence level of every interval, 0.95 unless set.
    public var confidence: Double
    /// Which interval effects without a closed form get.
    public var interval: IntervalKind
    /// The bootstrap's resamples and seed when a bootstrap is used.
    public var bootstrap: BootstrapSettings
    /// Whether p = alpha counts as significant.
    public var significance: SignificanceRule

    public init(confidence: Double = 0.95, interval: IntervalKind = .analytic,
                bootstrap: BootstrapSettings = BootstrapSettings(resamples: 2000, seed: 20_240_601),
                significance: SignificanceRule = .belowAlpha) {
        self.confidence = confidence
        self.interval = interval
        self.bootstrap = bootstrap
        self.significance = significance
    }

    /// The keys of `triangulate.yaml` these defaults are read from.
    public static let keys = ["confidence", "interval", "bootstrap", "significance"]

    /// Reads the defaults from the fields of `triangulate.yaml` (other keys are ignored), with
    /// located errors for bad values.
    public static func parse(_ fields: YAMLFields) throws -> EvaluationDefaults {
        var defaults = EvaluationDefaults()
        if let node = fields["confidence"] { defaults.confidence = try parseConfidence(node) }
        if let node = fields["interval"] { defaults.interval = try parseInterval(node) }
        if let node = fields["bootstrap"] { defaults.bootstrap = try BootstrapSettings.parse(node).filled(from: defaults.bootstrap) }
        if let node = fields["significance"] {
            let name = try node.string("'significance'")
            guard let rule = SignificanceRule(rawValue: name) else {
                throw node.error("expected significance to be 'below' (p < alpha) or 'at-most' (p ≤ alpha), found '\(name)'")
            }
            defaults.significance = rule
        }
        return defaults
    }

    static func parseConfidence(_ node: YAMLValue) throws -> Double {
        let level = try node.double("'confidence'")
        guard level > 0 && level < 1 else { throw node.error("expected confidence strictly between 0 and 1, such as 0.95, found \(level)") }
        return level
    }

    static func parseInterval(_ node: YAMLValue) throws -> IntervalKind {
        let name = try node.string("'interval'")
        guard let kind = IntervalKind(rawValue: name) else {
            throw node.error("expected interval to be 'analytic' or 'bootstrap', found '\(name)'")
        }
        return kind
    }
}

extension MetricSpec {
    /// The confidence level this metric's intervals use: its own `confidence:`, else the study's.
    public func confidenceLevel(defaults: EvaluationDefaults) -> Double {
        confidence ?? defaults.confidence
    }

    /// The interval choice for effects without a closed form, from this metric's keys and the
    /// study's defaults: `interval: bootstrap`, or a `bootstrap:` block on the metric, selects
    /// the bootstrap.
    public func intervalChoice(defaults: EvaluationDefaults) -> IntervalChoice {
        let level = confidenceLevel(defaults: defaults)
        let kind = interval ?? (bootstrap != nil ? .bootstrap : defaults.interval)
        switch kind {
        case .analytic: return .analytic(confidenceLevel: level)
        case .bootstrap:
            let settings = (bootstrap ?? BootstrapSettings()).filled(from: defaults.bootstrap)
            let base = BootstrapOptions()
            return .bootstrap(BootstrapOptions(resamples: settings.resamples ?? base.resamples, seed: settings.seed ?? base.seed,
                                               confidenceLevel: level))
        }
    }
}
