#!/usr/bin/env python3
"""Writes intervals.json: exact effect-size intervals for the Statistics tests.

Run from anywhere: `python3 make_interval_reference.py` (numpy 2.4, scipy 1.17, as
make_reference.py). Deterministic: fixed seeds, sorted keys.

Each interval inverts a distribution SciPy implements (Boost underneath), at full precision with
`brentq`; the Swift code implements the same distributions independently, so agreement checks
both the CDFs and the inversion:
- Cohen's d (pooled SD), Hedges' g (exact gamma J) and Cohen's d_z: noncentral t (`nct`),
  as R's effectsize/MBESS (Steiger & Fouladi 1997).
- eta squared: noncentral F (`ncf`), bounds lambda / (lambda + n), omega squared beside it.
- epsilon squared: noncentral chi-square (`ncx2`) on H, bounds lambda / (n - 1), and the
  bias-corrected max(0, H - df) / (n - 1).
- Cramer's V: noncentral chi-square on the uncorrected statistic, bounds
  sqrt(lambda / (n (min(r, c) - 1))), and the bias-corrected sqrt(max(0, X - df) / (n (m - 1))).
- Fisher's odds ratio: scipy.stats.contingency.odds_ratio(kind="conditional").confidence_interval,
  recomputed with a tighter root tolerance than SciPy's xtol=1e-13 (same distribution,
  `nchypergeom_fisher`) so that small bounds keep their relative precision.
"""

import json
import math
import os
import warnings

import numpy as np
import scipy
import scipy.stats as st
from scipy.optimize import brentq

from make_reference import (cohen_d, cohen_d_interval, hedges_j, nct_interval, num, nums,
                            decreasing_root)

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
EPS = 4 * np.finfo(float).eps


def noncentrality_interval(cdf, level, scale):
    """[lambda_L, lambda_U] with cdf(lambda_L) = 1 - tail, cdf(lambda_U) = tail; 0 when even
    lambda = 0 leaves the statistic beyond that quantile."""
    tail = (1 - level) / 2

    def solve(target):
        if cdf(0.0) <= target:
            return 0.0
        return decreasing_root(lambda lam: cdf(lam) - target, 0.0, max(10.0, scale))
    return solve(1 - tail), solve(tail)


def chi2_cdf(x, df, lam):
    return st.chi2.cdf(x, df) if lam == 0 else st.ncx2.cdf(x, df, lam)


def f_cdf(f, d1, d2, lam):
    return st.f.cdf(f, d1, d2) if lam == 0 else st.ncf.cdf(f, d1, d2, lam)


def two_sample_case(name, a, b, alternative, level, kind):
    case = {"name": name, "a": nums(a), "b": nums(b), "alternative": alternative,
            "confidence_level": level, "kind": kind}
    n1, n2 = len(a), len(b)
    equal = kind == "student"
    res = st.ttest_ind(a, b, equal_var=equal, alternative=alternative)
    d = cohen_d(a, b)
    lo, hi = cohen_d_interval(d, n1, n2, level, alternative)
    if equal:
        j = hedges_j(n1 + n2 - 2)
        d, lo, hi = j * d, j * lo, j * hi
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue), "df": num(res.df),
                        "n": n1 + n2, "effect": num(d), "lower": num(lo), "upper": num(hi)}
    return case


def paired_case(name, x, y, alternative, level):
    d = np.asarray(x, float) - np.asarray(y, float)
    n = len(d)
    res = st.ttest_rel(x, y, alternative=alternative)
    dz = d.mean() / d.std(ddof=1)
    lo, hi = nct_interval(dz * math.sqrt(n), n - 1, level, alternative)
    return {"name": name, "x": nums(x), "y": nums(y), "alternative": alternative, "confidence_level": level,
            "expected": {"statistic": num(res.statistic), "p_value": num(res.pvalue), "df": num(res.df), "n": n,
                         "effect": num(dz), "lower": num(lo / math.sqrt(n)), "upper": num(hi / math.sqrt(n))}}


def kruskal_case(name, groups, level):
    res = st.kruskal(*groups)
    h = float(res.statistic)
    n = sum(len(g) for g in groups)
    df = len(groups) - 1
    lo, hi = noncentrality_interval(lambda lam: chi2_cdf(h, df, lam), level, h + 10 * math.sqrt(h + df))
    m = lambda lam: min(1.0, max(0.0, lam) / (n - 1))
    return {"name": name, "groups": [nums(g) for g in groups], "confidence_level": level,
            "expected": {"statistic": num(h), "p_value": num(res.pvalue), "df": df, "n": n,
                         "effect": num(h / (n - 1)), "lower": num(m(lo)), "upper": num(m(hi)),
                         "additional": num(m(h - df))}}


def anova_case(name, groups, level):
    res = st.f_oneway(*groups)
    f = float(res.statistic)
    flat = np.concatenate([np.asarray(g, float) for g in groups])
    n, k = len(flat), len(groups)
    d1, d2 = k - 1, n - k
    ss_within = sum(((np.asarray(g, float) - np.mean(g)) ** 2).sum() for g in groups)
    ss_total = ((flat - flat.mean()) ** 2).sum()
    lo, hi = noncentrality_interval(lambda lam: f_cdf(f, d1, d2, lam), level, d1 * f + 10 * math.sqrt(d1 * f + d1))
    m = lambda lam: max(0.0, lam) / (max(0.0, lam) + n)
    return {"name": name, "groups": [nums(g) for g in groups], "confidence_level": level,
            "expected": {"statistic": num(f), "p_value": num(res.pvalue), "df": d1, "df2": d2, "n": n,
                         "effect": num((ss_total - ss_within) / ss_total), "lower": num(m(lo)),
                         "upper": num(m(hi)), "additional": num(m(d1 * (f - 1)))}}


def chi2_case(name, table, level):
    arr = np.asarray(table)
    res = st.chi2_contingency(arr)
    x = float(st.chi2_contingency(arr, correction=False).statistic)
    n = int(arr.sum())
    df = int(res.dof)
    scale = n * (min(arr.shape) - 1)
    lo, hi = noncentrality_interval(lambda lam: chi2_cdf(x, df, lam), level, x + 10 * math.sqrt(x + df))
    m = lambda lam: min(1.0, math.sqrt(max(0.0, lam) / scale))
    return {"name": name, "table": table, "confidence_level": level,
            "expected": {"statistic": num(res.statistic), "p_value": num(res.pvalue), "df": df, "n": n,
                         "effect": num(st.contingency.association(arr, method="cramer")),
                         "lower": num(m(lo)), "upper": num(m(hi)), "additional": num(m(x - df))}}


def fisher_solve(func):
    """SciPy's _solve (func increasing in nc), with a relative rather than absolute tolerance."""
    nc = 1.0
    value = func(nc)
    if value == 0:
        return nc
    if value > 0:
        nc /= 2
        while func(nc) > 0:
            nc /= 2
        lo, hi = nc, 2 * nc
    else:
        nc *= 2
        while func(nc) < 0:
            nc *= 2
        lo, hi = nc / 2, nc
    return brentq(func, lo, hi, xtol=1e-300, rtol=EPS, maxiter=500)


def fisher_ci(table, level, alternative):
    arr = np.asarray(table)
    x, M, n, N = arr[0, 0], arr.sum(), arr[0].sum(), arr[:, 0].sum()
    sample = st.contingency.odds_ratio(arr, kind="sample").statistic
    fisher = st.nchypergeom_fisher

    def lower(alpha):
        if sample == 0:
            return 0.0
        return fisher_solve(lambda nc: fisher.sf(x - 1, M, n, N, nc) - alpha)

    def upper(alpha):
        if sample == np.inf:
            return math.inf
        return fisher_solve(lambda nc: -fisher.cdf(x, M, n, N, nc) + alpha)
    if alternative == "two-sided":
        return lower((1 - level) / 2), upper((1 - level) / 2)
    if alternative == "less":
        return 0.0, upper(1 - level)
    return lower(1 - level), math.inf


def fisher_case(name, table, alternative, level):
    arr = np.asarray(table)
    res = st.fisher_exact(arr, alternative=alternative)
    lo, hi = fisher_ci(table, level, alternative)
    scipy_ci = st.contingency.odds_ratio(arr, kind="conditional").confidence_interval(level, alternative)
    # Our tighter root and SciPy's own agree to SciPy's tolerance; the check keeps us honest.
    for ours, theirs in ((lo, scipy_ci.low), (hi, scipy_ci.high)):
        assert (ours == theirs) or abs(ours - theirs) <= 1e-12 + 1e-9 * abs(theirs), (name, ours, theirs)
    return {"name": name, "table": table, "alternative": alternative, "confidence_level": level,
            "expected": {"statistic": num(res.statistic), "p_value": num(res.pvalue), "n": int(arr.sum()),
                         "effect": num(res.statistic), "lower": num(lo), "upper": num(hi)}}


def main():
    rng = np.random.default_rng(20261201)
    alternatives = ["two-sided", "greater", "less"]
    levels = [0.95, 0.9, 0.99, 0.8]
    sizes = [(2, 2), (2, 3), (3, 3), (4, 6), (5, 5), (8, 12), (10, 10), (20, 15), (30, 30),
             (50, 40), (100, 100), (300, 200), (1000, 800), (3, 40), (60, 4)]

    two_sample = []
    for i, (n1, n2) in enumerate(sizes):
        for kind in ("welch", "student"):
            shift = [0.0, 0.3, 1.0, 2.5, -0.8][(i + len(kind)) % 5]
            a = np.round(rng.normal(loc=shift, scale=1.0, size=n1), 4)
            b = np.round(rng.normal(loc=0.0, scale=1.0 + 0.5 * (i % 3), size=n2), 4)
            alternative = alternatives[(i + (kind == "student")) % 3]
            level = levels[i % 4]
            two_sample.append(two_sample_case(f"{kind} {n1}x{n2} shift {shift} {alternative} {level}",
                                              a, b, alternative, level, kind))
    # The shape: small samples, a large d, where the normal approximation was too narrow.
    for kind in ("welch", "student"):
        a = [10.2, 11.9, 12.4, 9.8, 13.1]
        b = [8.1, 7.9, 9.9, 6.5, 8.8]
        two_sample.append(two_sample_case(f"{kind} 5x5 large d", a, b, "two-sided", 0.95, kind))

    paired = []
    for i, n in enumerate([2, 3, 4, 5, 7, 10, 15, 25, 40, 80, 150, 400, 1000, 6, 12, 3, 30, 9, 20, 60]):
        x = np.round(rng.normal(size=n), 4)
        y = np.round(x - [0.0, 0.2, 0.7, 1.5, -0.4][i % 5] + rng.normal(scale=0.8, size=n), 4)
        paired.append(paired_case(f"paired n={n} #{i}", x, y, alternatives[i % 3], levels[(i + 1) % 4]))

    kruskal = []
    for i in range(22):
        k = 2 + i % 4
        sizes_k = [int(s) for s in rng.integers(3 if i % 5 else 2, 40 if i % 3 else 400, size=k)]
        spread = [0.0, 0.2, 0.6, 1.5][i % 4]
        if i % 2:
            groups = [list(rng.integers(0, 6, size=s).astype(float) + (g * spread > 0.5)) for g, s in enumerate(sizes_k)]
        else:
            groups = [list(np.round(rng.normal(loc=g * spread, size=s), 3)) for g, s in enumerate(sizes_k)]
        kruskal.append(kruskal_case(f"kruskal k={k} {sizes_k} spread {spread}", groups, levels[i % 4]))

    anova = []
    for i in range(22):
        k = 2 + i % 5
        sizes_k = [int(s) for s in rng.integers(2, 30 if i % 3 else 300, size=k)]
        spread = [0.0, 0.15, 0.5, 1.2][i % 4]
        groups = [list(np.round(rng.normal(loc=g * spread, size=s), 3)) for g, s in enumerate(sizes_k)]
        anova.append(anova_case(f"anova k={k} {sizes_k} spread {spread}", groups, levels[(i + 2) % 4]))

    tables = [
        [[25, 25], [25, 25]], [[50, 50, 50], [50, 50, 50]], [[10, 20], [30, 40]], [[3, 1], [1, 3]],
        [[12, 5], [2, 9]], [[0, 5], [5, 0]], [[1, 0], [0, 1]], [[200, 150], [180, 220]],
        [[5, 7, 9], [9, 7, 5], [6, 6, 6]], [[30, 10, 5, 2], [10, 30, 10, 5], [2, 5, 30, 40]],
        [[1000, 1020], [980, 1000]], [[40000, 41000], [39000, 40500]], [[7, 3, 2], [2, 8, 1]],
        [[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]], [[14, 0], [0, 16]], [[100, 1], [1, 100]],
        [[8, 9], [9, 8]], [[20, 30, 25], [22, 28, 26]], [[2, 2], [2, 3]], [[60, 5], [5, 60]],
        [[300, 310, 290, 305], [295, 300, 310, 302]], [[11, 9, 10], [10, 11, 9], [9, 10, 11], [10, 9, 11]],
    ]
    chi2 = [chi2_case(f"chi2 {t} level {levels[i % 4]}", t, levels[i % 4]) for i, t in enumerate(tables)]

    fisher_tables = [
        [[8, 2], [1, 5]], [[0, 5], [5, 5]], [[5, 0], [5, 5]], [[5, 5], [0, 5]], [[5, 5], [5, 0]],
        [[3, 1], [1, 3]], [[10, 10], [10, 10]], [[1, 9], [11, 3]], [[100, 20], [30, 90]],
        [[2, 7], [8, 2]], [[0, 10], [10, 0]], [[12, 0], [0, 9]], [[50, 45], [40, 55]],
        [[1, 1], [1, 2]], [[409, 591], [28, 972]], [[7, 12], [3, 20]], [[1, 30], [30, 1]],
    ]
    fisher = []
    for i, t in enumerate(fisher_tables):
        for j, alternative in enumerate(alternatives if i % 2 == 0 else ["two-sided"]):
            level = levels[(i + j) % 4]
            fisher.append(fisher_case(f"fisher {t} {alternative} {level}", t, alternative, level))

    out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__},
           "two_sample": two_sample, "paired": paired, "kruskal_wallis": kruskal, "one_way_anova": anova,
           "chi_square": chi2, "fisher_exact": fisher}
    with open(os.path.join(HERE, "intervals.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print({k: len(v) for k, v in out.items() if isinstance(v, list)},
          sum(len(v) for v in out.values() if isinstance(v, list)))


if __name__ == "__main__":
    main()
