/// Multiple-testing corrections of a family of p-values.
///
/// Holm is the default for a claim matrix because it controls the family-wise error rate under
/// any dependence between the tests, like Bonferroni, while rejecting at least as much.
/// Benjamini-Hochberg controls the false discovery rate instead, for exploratory batteries.
public enum PValueCorrection: String, Sendable, CaseIterable {
    case holm, bonferroni, benjaminiHochberg = "benjamini-hochberg", none

    /// Adjusted p-values, as `statsmodels.stats.multitest.multipletests`; order preserved;
    /// clipped to 1.
    ///
    /// With m p-values sorted ascending as p₍₁₎ ≤ … ≤ p₍ₘ₎:
    /// - Bonferroni: m·pᵢ.
    /// - Holm: max over j ≤ i of (m − j + 1)·p₍ⱼ₎ (step-down, kept monotone).
    /// - Benjamini-Hochberg: min over j ≥ i of m·p₍ⱼ₎/j (step-up, kept monotone).
    ///
    /// NaN entries (tests that could not be run) stay NaN and are not counted in m, as R's
    /// `p.adjust` does.
    public func adjust(_ pValues: [Double]) -> [Double] {
        let present = pValues.indices.filter { !pValues[$0].isNaN }
        let order = present.sorted { pValues[$0] < pValues[$1] }
        let m = Double(order.count)
        var adjusted = pValues
        switch self {
        case .none:
            return pValues
        case .bonferroni:
            for index in order { adjusted[index] = min(1, pValues[index] * m) }
        case .holm:
            var running = 0.0
            for (rank, index) in order.enumerated() {
                running = max(running, pValues[index] * (m - Double(rank)))
                adjusted[index] = min(1, running)
            }
        case .benjaminiHochberg:
            var running = Double.infinity
            for (rank, index) in order.enumerated().reversed() {
                running = min(running, pValues[index] * m / Double(rank + 1))
                adjusted[index] = min(1, running)
            }
        }
        return adjusted
    }
}
