import Foundation

/// The special functions behind the tests' reference distributions.
///
/// They are written here rather than imported so that the module stays dependency-free; each is
/// accurate to roughly 1e-13 relative error over the range the tests use, which the reference
/// tests (tolerance 1e-9 against SciPy) check.
enum SpecialFunctions {
    /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), from the C library's `lgamma`.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        lgamma(a) + lgamma(b) - lgamma(a + b)
    }

    /// The regularized incomplete beta function I_x(a, b) and its complement 1 − I_x(a, b).
    ///
    /// `y` must be 1 − x, passed separately so that callers who know it exactly (t tails, binomial
    /// tails) do not lose digits to cancellation. The continued fraction of Numerical Recipes
    /// (6.4) converges quickly for x < (a + 1)/(a + b + 2); above that point the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) is used, and whichever side is computed directly keeps full
    /// relative accuracy, which is why both values are returned.
    static func incompleteBeta(_ a: Double, _ b: Double, x: Double, y: Double) -> (lower: Double, upper: Double) {
        if x <= 0 { return (0, 1) }
        if y <= 0 { return (1, 0) }
        let logFront = logPowerTerms(a, b, x: x, y: y)
        if x < (a + 1) / (a + b + 2) {
            let value = exp(logFront) * betaContinuedFraction(a, b, x) / a
            return (value, 1 - value)
        }
        let value = exp(logFront) * betaContinuedFraction(b, a, y) / b
        return (1 - value, value)
    }

    /// ln(x^a y^b / B(a, b)), the prefactor of the incomplete beta function.
    ///
    /// For large shapes the three log-gammas are each about a·ln a, so their rounding (10⁻¹⁶
    /// relative, 10⁻⁶ absolute at a = 10⁹) would swamp the result: a binomial test with 10⁹
    /// trials would lose six digits. There Stirling's series is subtracted analytically, as
    /// Boost's `ibeta_power_terms` does: with c = a + b,
    /// ln(x^a y^b/B) = a·ln(xc/a) + b·ln(yc/b) + ½ ln(ab/c) − ½ ln 2π − (δ(a) + δ(b) − δ(c)),
    /// where xc/a − 1 = (xb − ya)/a is formed without cancellation and δ(z) = ln Γ(z) −
    /// ((z − ½) ln z − z + ½ ln 2π) is the Stirling remainder. When only one shape is large,
    /// ln Γ(a + b) − ln Γ(b) is formed the same way.
    static func logPowerTerms(_ a: Double, _ b: Double, x: Double, y: Double) -> Double {
        let large = 100.0
        if a >= large && b >= large {
            let c = a + b
            let d = x * b - y * a
            return a * log1p(d / a) + b * log1p(-d / b) + 0.5 * log(a * b / c) - 0.5 * log(2 * Double.pi)
                - (stirlingRemainder(a) + stirlingRemainder(b) - stirlingRemainder(c))
        }
        if max(a, b) >= large {
            // ln Γ(s + l) − ln Γ(l) for the small shape s and the large shape l.
            let (s, l, logS, logL) = a < b ? (a, b, log(x), log1p(-x)) : (b, a, log(y), log1p(-y))
            let gammaRatio = (l - 0.5) * log1p(s / l) + s * log(l + s) - s
                + stirlingRemainder(l + s) - stirlingRemainder(l)
            return s * logS + l * logL - lgamma(s) + gammaRatio
        }
        return a * log(x) + b * log(y) - logBeta(a, b)
    }

    /// ln Γ(z) − ((z − ½) ln z − z + ½ ln 2π) for z ≥ 100: 1/(12z) − 1/(360z³) + 1/(1260z⁵),
    /// whose next term is below 10⁻¹⁷ there.
    private static func stirlingRemainder(_ z: Double) -> Double {
        let z2 = z * z
        return (1.0 / 12 - (1.0 / 360 - 1.0 / (1260 * z2)) / z2) / z
    }

    /// The continued fraction for I_x(a, b), evaluated with the modified Lentz method.
    private static func betaContinuedFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        // Convergence takes O(sqrt(max(a, b))) terms; the cap only guards against a runaway loop.
        let limit = 1000 + Int(10 * sqrt(max(a, b)))
        for step in 1...limit {
            let m = Double(step), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= 1e-16 { break }
        }
        return h
    }

    // MARK: Student t

    /// P(T > t) for Student's t with `df` degrees of freedom.
    ///
    /// Uses P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2), with 1 − x = t²/(df + t²) computed directly.
    static func studentTUpperTail(_ t: Double, degreesOfFreedom df: Double) -> Double {
        if t.isNaN { return .nan }
        let t2 = t * t
        let twoSidedTail: Double
        if !t2.isFinite {
            twoSidedTail = 0
        } else {
            let x = df / (df + t2), y = t2 / (df + t2)
            twoSidedTail = incompleteBeta(df / 2, 0.5, x: x, y: y).lower
        }
        return t > 0 ? twoSidedTail / 2 : 1 - twoSidedTail / 2
    }

    /// P(T ≤ t) for Student's t with `df` degrees of freedom.
    static func studentTCDF(_ t: Double, degreesOfFreedom df: Double) -> Double {
        studentTUpperTail(-t, degreesOfFreedom: df)
    }

    /// The p-value of a statistic with a symmetric reference distribution, as SciPy's
    /// `_get_pvalue`: the lower tail for `less`, the upper for `greater`, twice the tail beyond |t|
    /// for `twoSided`.
    static func pValue(_ statistic: Double, alternative: Alternative, upperTail: (Double) -> Double) -> Double {
        switch alternative {
        case .less: return upperTail(-statistic)
        case .greater: return upperTail(statistic)
        case .twoSided: return min(1, 2 * upperTail(abs(statistic)))
        }
    }

    // MARK: Normal

    /// Φ(x) = erfc(−x/√2)/2, accurate in the far lower tail.
    static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// 1 − Φ(x) = erfc(x/√2)/2, accurate in the far upper tail.
    static func normalUpperTail(_ x: Double) -> Double {
        0.5 * erfc(x / 2.0.squareRoot())
    }

    /// Φ⁻¹(p): Acklam's rational approximation (relative error 1.2e-9) refined by one Halley
    /// step, which brings it to full double precision.
    static func normalQuantile(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        // Φ⁻¹(p) = −Φ⁻¹(1 − p); 1 − p is exact for p ≥ 0.5, and the lower half is more accurate.
        if p > 0.5 { return -normalQuantile(1 - p) }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        let e = normalCDF(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    // MARK: Gamma, chi-square and F

    /// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a).
    ///
    /// Below x = a + 1 the power series for P = 1 − Q converges fast; above it the continued
    /// fraction for Q does (Numerical Recipes 6.2), and computing Q directly there keeps its
    /// relative accuracy in the far tail, where small p-values live.
    static func regularizedGammaUpper(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x.isInfinite { return 0 }
        let logFront = -x + a * log(x) - lgamma(a)
        let tiny = 1e-300
        if x < a + 1 {
            var term = 1 / a, sum = term, ap = a
            for _ in 0..<100_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-17 { break }
            }
            return 1 - sum * exp(logFront)
        }
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for step in 1...100_000 {
            let i = Double(step)
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= 1e-16 { break }
        }
        return exp(logFront) * h
    }

    /// P(χ² > x) with k degrees of freedom: Q(k/2, x/2).
    static func chiSquareUpperTail(_ x: Double, degreesOfFreedom k: Double) -> Double {
        regularizedGammaUpper(k / 2, x / 2)
    }

    /// P(F > f) with (d1, d2) degrees of freedom: I_{d2/(d2 + d1·f)}(d2/2, d1/2).
    static func fUpperTail(_ f: Double, _ d1: Double, _ d2: Double) -> Double {
        if f <= 0 { return 1 }
        if f.isInfinite { return 0 }
        let denominator = d2 + d1 * f
        return incompleteBeta(d2 / 2, d1 / 2, x: d2 / denominator, y: d1 * f / denominator).lower
    }

    // MARK: Binomial

    /// P(X = k) for X ~ Binomial(n, p), from log-gamma; exact 0/1 at p = 0 and p = 1.
    ///
    /// The log of the binomial coefficient adds the two smaller log-gammas first so that the
    /// result is bit-for-bit symmetric in k and n − k, which the two-sided test relies on; from
    /// n = 200 the large log-gammas are cancelled analytically (`logPowerTerms`, symmetric too),
    /// which keeps full precision at n = 10⁹.
    static func binomialPMF(_ k: Int, _ n: Int, _ p: Double) -> Double {
        if k < 0 || k > n { return 0 }
        if p == 0 { return k == 0 ? 1 : 0 }
        if p == 1 { return k == n ? 1 : 0 }
        let kd = Double(k), nd = Double(n)
        if n >= 200 {
            // C(n, k) pᵏ qⁿ⁻ᵏ = p^(k+1) q^(n−k+1) / ((n + 1) p q B(k + 1, n − k + 1)), with the
            // prefactor's large log-gammas cancelled analytically (see `logPowerTerms`).
            let logTerms = logPowerTerms(kd + 1, nd - kd + 1, x: p, y: 1 - p)
            return exp(logTerms - (log(p) + log1p(-p)) - log(nd + 1))
        }
        let logChoose = lgamma(nd + 1) - (lgamma(kd + 1) + lgamma(nd - kd + 1))
        return exp(logChoose + kd * log(p) + (nd - kd) * log1p(-p))
    }

    /// P(X ≤ k) = I_{1−p}(n − k, k + 1) for X ~ Binomial(n, p).
    static func binomialCDF(_ k: Int, _ n: Int, _ p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        return incompleteBeta(Double(n - k), Double(k + 1), x: 1 - p, y: p).lower
    }

    /// P(X > k) = I_p(k + 1, n − k) for X ~ Binomial(n, p).
    static func binomialUpperTail(_ k: Int, _ n: Int, _ p: Double) -> Double {
        if k < 0 { return 1 }
        if k >= n { return 0 }
        return incompleteBeta(Double(n - k), Double(k + 1), x: 1 - p, y: p).upper
    }
}
