import Foundation

/// Noncentral t, chi-square and F distributions, and the inversions that turn an observed
/// statistic into a confidence interval for its noncentrality parameter.
///
/// An exact interval for a standardized effect follows from one fact: the test statistic has a
/// noncentral distribution whose noncentrality is a known multiple of the population effect.
/// Finding the noncentralities under which the observed statistic sits at the α/2 and 1 − α/2
/// quantiles ("pivoting the CDF", Steiger and Fouladi 1997; Steiger 2004) gives an interval with
/// exact coverage under the test's own assumptions. Each CDF below is a Poisson mixture of
/// central distributions, summed from the Poisson mode outwards with the recurrences of the
/// incomplete beta and gamma functions in their first shape (Benton and Krishnamoorthy 2003), so
/// one evaluation costs one incomplete beta or gamma function plus O(√λ) multiplications.
enum Noncentral {
    /// The Poisson weight e^{−μ} μ^j / j!, from logs.
    private static func poissonWeight(_ j: Double, mean mu: Double) -> Double {
        if mu == 0 { return j == 0 ? 1 : 0 }
        return exp(-mu + j * log(mu) - lgamma(j + 1))
    }

    /// Σⱼ wⱼ I_x(a + j, b), with wⱼ Poisson(μ) weights: the mixture behind the noncentral t
    /// (twice, with shifted shapes) and F distributions.
    ///
    /// I_x(a + 1, b) = I_x(a, b) − g(a) with g(a) = x^a y^b/(a B(a, b)), and g(a + 1) =
    /// g(a)·x(a + b)/(a + 1); the sum starts at the Poisson mode, where the weights are largest,
    /// and runs both ways until the remaining weights cannot change the sum.
    private static func betaMixture(weightAtMode: Double, mode: Int, mean mu: Double, weightStep: (Double) -> Double,
                                    a: Double, b: Double, x: Double, y: Double) -> Double {
        let k = Double(mode)
        let start = a + k
        let beta = SpecialFunctions.incompleteBeta(start, b, x: x, y: y).lower
        let logG = start * log(x) + b * log(y) - log(start) - SpecialFunctions.logBeta(start, b)
        let gStart = exp(logG)
        var sum = weightAtMode * beta
        // Forward from the mode.
        var weight = weightAtMode, value = beta, g = gStart, shape = start, j = k
        while true {
            value -= g
            g *= x * (shape + b) / (shape + 1)
            shape += 1
            j += 1
            weight *= weightStep(j)
            let term = weight * max(0, value)
            sum += term
            if (abs(weight) < 1e-17 && j > mu) || weight == 0 || value <= 0 { break }
        }
        // Backward from the mode.
        weight = weightAtMode
        value = beta
        g = gStart
        shape = start
        j = k
        while j > 0 {
            // g(shape − 1) = g(shape)·(shape)/(x(shape − 1 + b)).
            g *= shape / (x * (shape - 1 + b))
            shape -= 1
            value += g
            weight /= weightStep(j)
            j -= 1
            sum += weight * min(1, value)
            if abs(weight) < 1e-17 { break }
        }
        return sum
    }

    // MARK: Noncentral t

    /// P(T ≤ t) for the noncentral t distribution with ν degrees of freedom and noncentrality δ.
    ///
    /// For t ≥ 0, with x = t²/(t² + ν) (Benton and Krishnamoorthy 2003, eq. 2):
    /// P(T ≤ t) = Φ(−δ) + ½ Σⱼ [pⱼ I_x(j + ½, ν/2) + qⱼ I_x(j + 1, ν/2)], pⱼ = e^{−δ²/2}(δ²/2)ʲ/j!,
    /// qⱼ = δ e^{−δ²/2}(δ²/2)ʲ/(√2 Γ(j + 3/2)). For t < 0, P(T ≤ t; δ) = 1 − P(T ≤ −t; −δ).
    static func tCDF(_ t: Double, degreesOfFreedom nu: Double, noncentrality delta: Double) -> Double {
        if t.isNaN || delta.isNaN { return .nan }
        if t == .infinity { return 1 }
        if t == -.infinity { return 0 }
        if t < 0 { return 1 - tCDF(-t, degreesOfFreedom: nu, noncentrality: -delta) }
        if delta == 0 { return SpecialFunctions.studentTCDF(t, degreesOfFreedom: nu) }
        let base = SpecialFunctions.normalCDF(-delta)
        if t == 0 { return base }
        let t2 = t * t
        let x = t2 / (t2 + nu), y = nu / (t2 + nu)
        let mu = delta * delta / 2
        let mode = Int(mu.rounded(.down))
        let k = Double(mode)
        let p = poissonWeight(k, mean: mu)
        let q = delta / 2.0.squareRoot() * exp(-mu + (k == 0 && mu == 0 ? 0 : k * log(mu)) - lgamma(k + 1.5))
        let halfShapes = betaMixture(weightAtMode: p, mode: mode, mean: mu, weightStep: { mu / $0 },
                                     a: 0.5, b: nu / 2, x: x, y: y)
        let wholeShapes = betaMixture(weightAtMode: q, mode: mode, mean: mu, weightStep: { mu / ($0 + 0.5) },
                                      a: 1, b: nu / 2, x: x, y: y)
        return min(1, max(0, base + (halfShapes + wholeShapes) / 2))
    }

    // MARK: Noncentral chi-square

    /// P(X ≤ x) for the noncentral chi-square distribution with k degrees of freedom and
    /// noncentrality λ: Σⱼ Poisson(j; λ/2) P(k/2 + j, x/2), P the regularized lower gamma function,
    /// with P(a + 1, z) = P(a, z) − z^a e^{−z}/Γ(a + 1) carrying it from the mode both ways.
    static func chiSquareCDF(_ x: Double, degreesOfFreedom k: Double, noncentrality lambda: Double) -> Double {
        if x <= 0 { return 0 }
        if x.isInfinite { return 1 }
        if lambda == 0 { return 1 - SpecialFunctions.regularizedGammaUpper(k / 2, x / 2) }
        let mu = lambda / 2, z = x / 2
        let mode = Int(mu.rounded(.down))
        let m = Double(mode)
        let start = k / 2 + m
        let weightAtMode = poissonWeight(m, mean: mu)
        let lowerAtMode = 1 - SpecialFunctions.regularizedGammaUpper(start, z)
        let hStart = exp(start * log(z) - z - lgamma(start + 1))
        var sum = weightAtMode * lowerAtMode
        var weight = weightAtMode, value = lowerAtMode, h = hStart, shape = start, j = m
        while true {
            value -= h
            h *= z / (shape + 1)
            shape += 1
            j += 1
            weight *= mu / j
            sum += weight * max(0, value)
            if (weight < 1e-17 && j > mu) || weight == 0 || value <= 0 { break }
        }
        weight = weightAtMode
        value = lowerAtMode
        h = hStart
        shape = start
        j = m
        while j > 0 {
            h *= shape / z
            shape -= 1
            value += h
            weight /= mu / j
            j -= 1
            sum += weight * min(1, value)
            if weight < 1e-17 { break }
        }
        return min(1, max(0, sum))
    }

    // MARK: Noncentral F

    /// P(F ≤ f) for the noncentral F distribution with (d1, d2) degrees of freedom and
    /// noncentrality λ: Σⱼ Poisson(j; λ/2) I_x(d1/2 + j, d2/2) with x = d1 f/(d1 f + d2).
    static func fCDF(_ f: Double, _ d1: Double, _ d2: Double, noncentrality lambda: Double) -> Double {
        if f <= 0 { return 0 }
        if f.isInfinite { return 1 }
        let denominator = d1 * f + d2
        let x = d1 * f / denominator, y = d2 / denominator
        if lambda == 0 { return SpecialFunctions.incompleteBeta(d1 / 2, d2 / 2, x: x, y: y).lower }
        let mu = lambda / 2
        let mode = Int(mu.rounded(.down))
        let sum = betaMixture(weightAtMode: poissonWeight(Double(mode), mean: mu), mode: mode, mean: mu,
                              weightStep: { mu / $0 }, a: d1 / 2, b: d2 / 2, x: x, y: y)
        return min(1, max(0, sum))
    }

    // MARK: Intervals for the noncentrality

    /// The noncentralities δ (any real) at which the observed t sits at the quantiles the
    /// interval needs: P(T ≤ t; δ_L) = 1 − α/2 and P(T ≤ t; δ_U) = α/2 for a two-sided
    /// interval; one-sided intervals put all of α on their closed side and are infinite on the
    /// other, like the intervals of a one-sided test.
    static func tInterval(_ t: Double, degreesOfFreedom nu: Double, level: Double, alternative: Alternative)
        -> (lower: Double, upper: Double)
    {
        let alpha = 1 - level
        let tail = alternative == .twoSided ? alpha / 2 : alpha
        // P(T ≤ t; δ) falls from 1 to 0 as δ grows; a bracket around t, widened as needed.
        func solve(_ target: Double) -> Double {
            let width = 10 + abs(t) * 0.5
            return Roots.decreasingRoot({ tCDF(t, degreesOfFreedom: nu, noncentrality: $0) - target },
                                        from: t - width, to: t + width)
        }
        let lower = alternative == .less ? -Double.infinity : solve(1 - tail)
        let upper = alternative == .greater ? Double.infinity : solve(tail)
        return (lower, upper)
    }

    /// The noncentralities λ ≥ 0 of a chi-square or F statistic at which the observed value sits
    /// at the 1 − α/2 and α/2 quantiles; a bound is 0 when even λ = 0 puts the statistic beyond
    /// it (the data are then consistent with no effect at that end). `cdf(λ)` is P(X ≤ observed; λ).
    static func nonnegativeInterval(level: Double, cdf: (Double) -> Double, scale: Double) -> (lower: Double, upper: Double) {
        let tail = (1 - level) / 2
        func solve(_ target: Double) -> Double {
            // cdf(λ) falls from cdf(0) towards 0; no root above 0 when cdf(0) is already below target.
            if cdf(0) <= target { return 0 }
            return Roots.decreasingRoot({ cdf($0) - target }, from: 0, to: max(10, scale))
        }
        return (solve(1 - tail), solve(tail))
    }
}

/// Root finding for the interval inversions.
enum Roots {
    /// The root of a decreasing function f, bracketed from [a, b] by widening the bracket until f
    /// changes sign, then found by Brent's method (inverse quadratic interpolation with
    /// bisection as the safeguard) to about 1e-15 relative.
    static func decreasingRoot(_ f: (Double) -> Double, from a: Double, to b: Double) -> Double {
        var low = a, high = b
        var fLow = f(low), fHigh = f(high)
        var step = max(1, high - low)
        var guardCount = 0
        while fLow < 0 && guardCount < 200 {
            high = low
            fHigh = fLow
            low -= step
            step *= 2
            fLow = f(low)
            guardCount += 1
        }
        while fHigh > 0 && guardCount < 400 {
            low = high
            fLow = fHigh
            high += step
            step *= 2
            fHigh = f(high)
            guardCount += 1
        }
        if fLow == 0 { return low }
        if fHigh == 0 { return high }
        if fLow < 0 || fHigh > 0 { return .nan }
        return brent(f, low, high, fLow, fHigh)
    }

    /// Brent's method (Brent 1973, "zero"), for f(a) and f(b) of opposite signs.
    static func brent(_ f: (Double) -> Double, _ a0: Double, _ b0: Double, _ fa0: Double, _ fb0: Double) -> Double {
        var a = a0, b = b0, fa = fa0, fb = fb0
        var c = a, fc = fa
        var d = b - a, e = d
        for _ in 0..<300 {
            if (fb > 0) == (fc > 0) {
                c = a
                fc = fa
                d = b - a
                e = d
            }
            if abs(fc) < abs(fb) {
                a = b; b = c; c = a
                fa = fb; fb = fc; fc = fa
            }
            let tolerance = 2 * Double.ulpOfOne * abs(b) + 1e-300
            let m = (c - b) / 2
            if abs(m) <= tolerance || fb == 0 { return b }
            if abs(e) >= tolerance && abs(fa) > abs(fb) {
                let s = fb / fa
                var p: Double, q: Double
                if a == c {
                    p = 2 * m * s
                    q = 1 - s
                } else {
                    let qa = fa / fc, r = fb / fc
                    p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * m * q - abs(tolerance * q), abs(e * q)) {
                    e = d
                    d = p / q
                } else {
                    d = m
                    e = m
                }
            } else {
                d = m
                e = m
            }
            a = b
            fa = fb
            b += abs(d) > tolerance ? d : (m > 0 ? tolerance : -tolerance)
            fb = f(b)
        }
        return b
    }
}

extension SpecialFunctions {
    /// The Student t quantile: the t with P(T ≤ t) = p, by root finding on the CDF.
    static func studentTQuantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let guess = normalQuantile(p)
        return Roots.decreasingRoot({ p - studentTCDF($0, degreesOfFreedom: df) }, from: guess - 1, to: guess + 1)
    }
}
