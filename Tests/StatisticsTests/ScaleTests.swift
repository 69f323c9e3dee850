import Foundation
import XCTest

@testable import Statistics

/// scale.json, written by Reference/make_scale_reference.py: SciPy on samples of 10M values with
/// tie groups of millions, and counts of 10⁹.
private struct ScaleReference: Decodable {
    struct MannWhitney: Decodable {
        var n1: Int
        var n2: Int
        var u: Double
        var pValue: Double
        var rankSum: Double
        var tieSizes: [Int]
    }

    struct Kruskal: Decodable {
        var sizes: [Int]
        var h: Double
        var pValue: Double
        var rankSums: [Double]
        var tieSizes: [Int]
    }

    struct Wilcoxon: Decodable {
        var m: Int
        var rPlus: Double
        var pValue: Double
        var tieSizes: [Int]
    }

    struct Binomial: Decodable {
        var successes: Int
        var trials: Int
        var p0: Double
        var pValue: Double
    }

    struct Table: Decodable {
        var table: [[Int]]
        var pValue: Double
        var statistic: Double
    }

    struct KendallTies: Decodable {
        var sizes: [Int]
        var pairs: Int
        var v0: Double
        var v1: Double
    }

    struct TieTerm: Decodable {
        var sizes: [Int]
        var value: Double
    }

    var mannWhitney: MannWhitney
    var kruskalWallis: Kruskal
    var wilcoxon: Wilcoxon
    var binomial: [Binomial]
    var fisher: Table
    var chiSquare: Table
    var kendallTies: KendallTies
    var tieTerm: TieTerm

    static func load() throws -> ScaleReference {
        let folder = try XCTUnwrap(
            Bundle.module.url(forResource: "Reference", withExtension: nil), "the Reference resource folder is missing")
        let data = try Data(contentsOf: folder.appendingPathComponent("scale.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ScaleReference.self, from: data)
    }
}

/// No statistic overflows at scale (issue 17): tie terms, rank sums and U for 10M values with tie
/// groups of millions, and counts of 10⁹, against SciPy. The rank tests are called through the
/// formulas they share with the full tests, fed with SciPy's rank sums and tie-group sizes, since
/// ranking 10M values in a debug build would take minutes.
final class ScaleTests: XCTestCase {
    private var reference: ScaleReference!

    override func setUpWithError() throws {
        reference = try ScaleReference.load()
    }

    func testTieTermOfAGroupOfMillionsDoesNotOverflow() {
        let sizes = reference.tieTerm.sizes
        XCTAssertGreaterThan(Double(sizes[0]) * Double(sizes[0]) * Double(sizes[0]), Double(Int.max),
                             "the group is large enough that t³ overflows Int")
        assertClose(Ranking.tieTerm(sizes), reference.tieTerm.value, "Σ(t³ − t)")
        let ties = KendallPairs.Ties(groupSizes: reference.kendallTies.sizes)
        XCTAssertEqual(ties.pairs, reference.kendallTies.pairs)
        assertClose(ties.v0, reference.kendallTies.v0, "Σ t(t − 1)(t − 2)")
        assertClose(ties.v1, reference.kendallTies.v1, "Σ t(t − 1)(2t + 5)")
    }

    func testMannWhitneyOnTenMillionValuesWithMillionsOfZeros() {
        let mw = reference.mannWhitney
        XCTAssertEqual(mw.n1 + mw.n2, 10_000_000)
        XCTAssertEqual(mw.tieSizes.reduce(0, +), 10_000_000)
        XCTAssertGreaterThanOrEqual(mw.tieSizes.max() ?? 0, 3_800_000)
        let n1 = Double(mw.n1), n2 = Double(mw.n2)
        let u1 = mw.rankSum - n1 * (n1 + 1) / 2
        assertClose(u1, mw.u, "U")
        let u = max(u1, n1 * n2 - u1)
        let p = min(1, 2 * TwoSample.asymptoticUpperTail(u, n1: n1, n2: n2, tieTerm: Ranking.tieTerm(mw.tieSizes)))
        assertClose(p, mw.pValue, "p-value")
    }

    func testKruskalWallisOnTwelveMillionValues() {
        let kw = reference.kruskalWallis
        let n = Double(kw.sizes.reduce(0, +))
        let sumOfSquares = zip(kw.rankSums, kw.sizes).reduce(0) { $0 + $1.0 * $1.0 / Double($1.1) }
        let h = KGroups.hStatistic(sumOfSquares: sumOfSquares, n: n, tieTerm: Ranking.tieTerm(kw.tieSizes))
        XCTAssertEqual(h, kw.h, accuracy: 1e-6 * max(1, kw.h), "H")
        assertClose(SpecialFunctions.chiSquareUpperTail(h, degreesOfFreedom: Double(kw.sizes.count - 1)), kw.pValue, "p-value")
    }

    func testWilcoxonOnTenMillionDifferences() {
        let wx = reference.wilcoxon
        let z = Paired.signedRankZ(rPlus: wx.rPlus, m: Double(wx.m), tieTerm: Ranking.tieTerm(wx.tieSizes))
        let p = SpecialFunctions.pValue(z, alternative: .twoSided, upperTail: SpecialFunctions.normalUpperTail)
        assertClose(p, wx.pValue, "p-value")
    }

    func testBinomialWithABillionTrials() throws {
        for testCase in reference.binomial {
            let result = try Proportion.binomialTest(successes: testCase.successes, trials: testCase.trials, p0: testCase.p0)
            XCTAssertLessThanOrEqual(abs(result.pValue - testCase.pValue), max(1e-8 * testCase.pValue, 1e-12),
                                     "\(testCase.successes)/\(testCase.trials): \(result.pValue) vs \(testCase.pValue)")
        }
    }

    func testTablesWithABillionCases() throws {
        let fisher = try Categorical.fisherExact2x2(reference.fisher.table)
        assertClose(fisher.statistic, reference.fisher.statistic, "odds ratio")
        // Six digits: SciPy (Boost's hypergeometric CDF) and the ratio recurrence here sum some
        // 10⁵ terms each and round differently at this size.
        XCTAssertLessThanOrEqual(abs(fisher.pValue - reference.fisher.pValue), 1e-6 * reference.fisher.pValue, "Fisher p")
        let interval = try XCTUnwrap(fisher.effect.interval)
        XCTAssertTrue(interval.lower < fisher.statistic && fisher.statistic < interval.upper, "\(interval)")
        let chi = try Categorical.chiSquareIndependence(reference.chiSquare.table)
        XCTAssertEqual(chi.statistic, reference.chiSquare.statistic, accuracy: 1e-6 * reference.chiSquare.statistic, "chi2")
        XCTAssertLessThanOrEqual(abs(chi.pValue - reference.chiSquare.pValue), 1e-7 * reference.chiSquare.pValue, "chi2 p")
        let boot = try Categorical.chiSquareIndependence(reference.chiSquare.table, interval: .bootstrap(BootstrapOptions(resamples: 200)))
        XCTAssertNotNil(boot.effect.interval, "a bootstrap over 10⁹ cases costs what its four cells cost")
    }
}
