import Foundation

/// Binary logistic regression with an L2 penalty and class-balanced sample weights, fitted by
/// L-BFGS on sparse features.
///
/// It minimises scikit-learn's `LogisticRegression(penalty="l2", C=c, class_weight="balanced")`
/// objective `Σᵢ sᵢ·[ln(1 + e^{zᵢ}) − yᵢ·zᵢ] + ‖w‖² / (2c)` with `zᵢ = w·xᵢ + b`, the intercept
/// `b` unpenalised and the weights `sᵢ = n / (2·n_class(yᵢ))`, so each class carries half the
/// total weight. Balancing matters because screening data are very unbalanced (Kitchenham 2010
/// includes 45 of 1,704 records); ASReview balances its training data for the same reason.
///
/// The objective is divided by the total weight `n` (which leaves the minimiser unchanged) and
/// minimised by L-BFGS (Nocedal & Wright 2006, algorithm 7.4; memory 10) from zero, or from the
/// previous fit when `warmStart` is set. Step lengths come from backtracking on the Armijo
/// condition, which also accepts Hager & Zhang's (2005) approximate-Wolfe condition so that the
/// gradient can keep shrinking once objective differences drown in rounding. Iteration stops when
/// the largest gradient component is at most `tolerance`, or after `maximumIterations`. There is
/// no randomness, so a fit is reproducible.
public struct LogisticRegression: Sendable {
    /// Inverse regularisation strength, scikit-learn's `C` (default 1, scikit-learn's default).
    public var inverseRegularization: Double
    /// Whether sample weights balance the two classes (default `true`).
    public var balancesClasses: Bool
    /// Gradient tolerance on the objective divided by the total weight (default 1e-6).
    public var tolerance: Double
    /// Most L-BFGS iterations per fit (default 500).
    public var maximumIterations: Int
    /// Whether `fit` starts from the current coefficients when their dimension matches.
    public var warmStart: Bool

    /// Feature weights from the last fit.
    public private(set) var coefficients: [Double] = []
    /// Intercept from the last fit.
    public private(set) var intercept: Double = 0
    /// L-BFGS iterations used by the last fit.
    public private(set) var iterations = 0
    /// Whether the last fit reached `tolerance` within `maximumIterations`.
    public private(set) var converged = false

    /// An unfitted model.
    public init(
        inverseRegularization: Double = 1,
        balancesClasses: Bool = true,
        tolerance: Double = 1e-6,
        maximumIterations: Int = 500,
        warmStart: Bool = false
    ) {
        self.inverseRegularization = inverseRegularization
        self.balancesClasses = balancesClasses
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        self.warmStart = warmStart
    }

    /// The linear score `w·x + b` (log-odds of relevance).
    public func decisionValue(_ x: SparseVector) -> Double {
        var sum = intercept
        for k in x.indices.indices where x.indices[k] < coefficients.count {
            sum += x.values[k] * coefficients[x.indices[k]]
        }
        return sum
    }

    /// The probability that `x` is relevant.
    public func probability(_ x: SparseVector) -> Double {
        Self.sigmoid(decisionValue(x))
    }

    /// Fits the model to `samples` (vectors with indices below `dimension`) and their labels
    /// (`true` for relevant).
    public mutating func fit(
        _ samples: [SparseVector], relevant: [Bool], dimension: Int
    ) throws(PrioritizationError) {
        guard samples.count == relevant.count else {
            throw .dimensionMismatch(expected: samples.count, found: relevant.count)
        }
        let positives = relevant.count(where: { $0 })
        let negatives = relevant.count - positives
        guard positives > 0, negatives > 0 else {
            throw .needsBothClasses(relevant: positives, irrelevant: negatives)
        }
        let n = Double(relevant.count)
        let weights = relevant.map { isRelevant -> Double in
            guard balancesClasses else { return 1 }
            return n / (2 * Double(isRelevant ? positives : negatives))
        }

        // A feature absent from every sample only meets the penalty, so its optimal weight is
        // exactly 0: optimise over the features present (the "active" ones) and leave the rest 0.
        var active: [Int] = []
        var position = [Int](repeating: -1, count: dimension)
        for sample in samples {
            for index in sample.indices where position[index] < 0 {
                position[index] = 0
                active.append(index)
            }
        }
        active.sort()
        for (k, index) in active.enumerated() {
            position[index] = k
        }
        var rowStart = [0]
        var columns: [Int] = []
        var values: [Double] = []
        for sample in samples {
            columns.append(contentsOf: sample.indices.map { position[$0] })
            values.append(contentsOf: sample.values)
            rowStart.append(columns.count)
        }
        let problem = Problem(
            rowStart: rowStart, columns: columns, values: values, targets: relevant.map { $0 ? 1 : 0 },
            weights: weights, totalWeight: weights.reduce(0, +), penalty: 1 / inverseRegularization,
            dimension: active.count)

        var start = [Double](repeating: 0, count: active.count + 1)
        if warmStart, coefficients.count == dimension {
            for (k, index) in active.enumerated() {
                start[k] = coefficients[index]
            }
            start[active.count] = intercept
        }
        let result = minimize(problem, from: start)
        coefficients = [Double](repeating: 0, count: dimension)
        for (k, index) in active.enumerated() {
            coefficients[index] = result.point[k]
        }
        intercept = result.point[active.count]
        iterations = result.iterations
        converged = result.converged
    }

    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// The scaled objective and its gradient over compressed sparse rows; the last parameter is
    /// the intercept.
    private struct Problem {
        var rowStart: [Int]
        var columns: [Int]
        var values: [Double]
        var targets: [Double]
        var weights: [Double]
        var totalWeight: Double
        var penalty: Double
        var dimension: Int

        func evaluate(_ theta: [Double], gradient: inout [Double]) -> Double {
            let dimension = self.dimension
            let penalty = self.penalty
            var loss = 0.0
            var interceptGradient = 0.0
            theta.withUnsafeBufferPointer { theta in
                gradient.withUnsafeMutableBufferPointer { gradient in
                    columns.withUnsafeBufferPointer { columns in
                        values.withUnsafeBufferPointer { values in
                            for j in 0..<dimension {
                                gradient[j] = penalty * theta[j]
                                loss += 0.5 * penalty * theta[j] * theta[j]
                            }
                            let b = theta[dimension]
                            for i in 0..<targets.count {
                                let range = rowStart[i]..<rowStart[i + 1]
                                var z = b
                                for k in range {
                                    z += values[k] * theta[columns[k]]
                                }
                                // ln(1 + e^z) without overflow.
                                let softplus = z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
                                loss += weights[i] * (softplus - targets[i] * z)
                                let residual = weights[i] * (LogisticRegression.sigmoid(z) - targets[i])
                                interceptGradient += residual
                                for k in range {
                                    gradient[columns[k]] += residual * values[k]
                                }
                            }
                            gradient[dimension] = interceptGradient
                            let scale = 1 / totalWeight
                            for j in 0...dimension {
                                gradient[j] *= scale
                            }
                        }
                    }
                }
            }
            return loss / totalWeight
        }
    }

    private func minimize(_ problem: Problem, from start: [Double]) -> (point: [Double], iterations: Int, converged: Bool) {
        let memory = 10
        let count = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: count)
        var value = problem.evaluate(x, gradient: &gradient)
        var steps: [[Double]] = []
        var changes: [[Double]] = []
        var curvatures: [Double] = []
        var direction = [Double](repeating: 0, count: count)
        var trial = [Double](repeating: 0, count: count)
        var trialGradient = [Double](repeating: 0, count: count)
        var newStep = [Double](repeating: 0, count: count)
        var newChange = [Double](repeating: 0, count: count)

        var iteration = 0
        while iteration < maximumIterations {
            if Self.maximumMagnitude(gradient) <= tolerance {
                return (x, iteration, true)
            }
            // Two-loop recursion: direction = −H·gradient, in place (no fresh large arrays).
            for j in 0..<count { direction[j] = gradient[j] }
            var alphas = [Double](repeating: 0, count: steps.count)
            for m in stride(from: steps.count - 1, through: 0, by: -1) {
                let alpha = Self.dot(steps[m], direction) / curvatures[m]
                alphas[m] = alpha
                Self.addScaled(&direction, changes[m], -alpha)
            }
            if let s = steps.last, let y = changes.last {
                let gamma = Self.dot(s, y) / Self.dot(y, y)
                for j in 0..<count { direction[j] *= gamma }
            } else {
                let scale = 1 / max(1, Self.dot(gradient, gradient).squareRoot())
                for j in 0..<count { direction[j] *= scale }
            }
            for m in steps.indices {
                let beta = Self.dot(changes[m], direction) / curvatures[m]
                Self.addScaled(&direction, steps[m], alphas[m] - beta)
            }
            for j in 0..<count { direction[j] = -direction[j] }
            var slope = Self.dot(gradient, direction)
            if slope >= 0 {
                // Not a descent direction: restart from steepest descent.
                steps.removeAll()
                changes.removeAll()
                curvatures.removeAll()
                for j in 0..<count { direction[j] = -gradient[j] }
                slope = Self.dot(gradient, direction)
            }

            var step = 1.0
            var accepted = false
            var trialValue = value
            for _ in 0..<50 {
                for j in 0..<count { trial[j] = x[j] + step * direction[j] }
                trialValue = problem.evaluate(trial, gradient: &trialGradient)
                let armijo = trialValue <= value + 1e-4 * step * slope
                let approximateWolfe = trialValue <= value + 1e-12 * abs(value)
                    && Self.dot(trialGradient, direction) <= -0.8 * slope
                if armijo || approximateWolfe {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            iteration += 1
            guard accepted else { return (x, iteration, false) }

            for j in 0..<count {
                newStep[j] = trial[j] - x[j]
                newChange[j] = trialGradient[j] - gradient[j]
            }
            let curvature = Self.dot(newStep, newChange)
            if curvature > 1e-16 * Self.dot(newChange, newChange) && curvature > 0 {
                steps.append(newStep)
                changes.append(newChange)
                curvatures.append(curvature)
                // Recycle the oldest pair's storage: fresh large arrays cost page faults.
                if steps.count > memory {
                    newStep = steps.removeFirst()
                    newChange = changes.removeFirst()
                    curvatures.removeFirst()
                } else {
                    newStep = [Double](repeating: 0, count: count)
                    newChange = [Double](repeating: 0, count: count)
                }
            }
            swap(&x, &trial)
            swap(&gradient, &trialGradient)
            value = trialValue
        }
        return (x, iteration, Self.maximumMagnitude(gradient) <= tolerance)
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var sum = 0.0
                for j in 0..<a.count { sum += a[j] * b[j] }
                return sum
            }
        }
    }

    private static func addScaled(_ target: inout [Double], _ source: [Double], _ scale: Double) {
        target.withUnsafeMutableBufferPointer { target in
            source.withUnsafeBufferPointer { source in
                for j in 0..<target.count { target[j] += scale * source[j] }
            }
        }
    }

    private static func maximumMagnitude(_ values: [Double]) -> Double {
        values.reduce(0) { max($0, abs($1)) }
    }
}
