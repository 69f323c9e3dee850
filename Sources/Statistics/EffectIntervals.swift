import Foundation

/// Exact intervals for effect sizes, by inverting the noncentral distribution of the statistic
/// each effect is a multiple of (see `Noncentral`).
enum EffectIntervals {
    /// The interval for a standardized mean difference d = c·t, where t is a (pooled or paired)
    /// t statistic with ν degrees of freedom: c·[δ_L, δ_U] from the noncentral t distribution,
    /// the method of R's `effectsize` and `MBESS` (Steiger and Fouladi 1997).
    static func standardizedDifference(_ d: Double, scale c: Double, degreesOfFreedom nu: Double, level: Double,
                                       alternative: Alternative) -> ConfidenceInterval {
        let bounds = Noncentral.tInterval(d / c, degreesOfFreedom: nu, level: level, alternative: alternative)
        return ConfidenceInterval(lower: bounds.lower * c, upper: bounds.upper * c, level: level)
    }

    /// Hedges' exact small-sample correction J(ν) = Γ(ν/2)/(√(ν/2) Γ((ν − 1)/2)) (Hedges 1981),
    /// computed from log-gamma so that it stays finite for any ν; it tends to 1 − 3/(4ν − 1).
    static func hedgesCorrection(degreesOfFreedom nu: Double) -> Double {
        exp(lgamma(nu / 2) - 0.5 * log(nu / 2) - lgamma((nu - 1) / 2))
    }

    /// Bounds [λ_L, λ_U] for the noncentrality of an observed chi-square statistic.
    static func chiSquareNoncentrality(_ statistic: Double, degreesOfFreedom k: Double, level: Double) -> (lower: Double, upper: Double) {
        Noncentral.nonnegativeInterval(level: level, cdf: {
            Noncentral.chiSquareCDF(statistic, degreesOfFreedom: k, noncentrality: $0)
        }, scale: statistic + 10 * (statistic + k).squareRoot())
    }

    /// Bounds [λ_L, λ_U] for the noncentrality of an observed F statistic.
    static func fNoncentrality(_ f: Double, _ d1: Double, _ d2: Double, level: Double) -> (lower: Double, upper: Double) {
        Noncentral.nonnegativeInterval(level: level, cdf: {
            Noncentral.fCDF(f, d1, d2, noncentrality: $0)
        }, scale: d1 * f + 10 * (d1 * f + d1).squareRoot())
    }
}
