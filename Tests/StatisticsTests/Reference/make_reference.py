#!/usr/bin/env python3
"""Writes reference.json: inputs and SciPy/statsmodels outputs for the Statistics tests.

Run from anywhere: `python3 make_reference.py` (needs numpy 2.4, scipy 1.17 and statsmodels 0.15,
e.g. `pip install scipy==1.17.1 statsmodels==0.15.0`; other versions may change the last digits).
The output is deterministic (fixed seeds, sorted
keys), so rerunning reproduces the committed file byte for byte. Versions used are recorded in
the JSON. Non-finite numbers are written as the strings "nan", "inf" and "-inf", because JSON has
no literal for them.

Effect-size intervals that SciPy does not provide are computed here from their textbook formulas
(each formula is named next to its function), using SciPy's normal quantile `ndtri` and, for the
exact standardized-difference intervals, SciPy's noncentral t distribution (`nct`, Boost) inverted
with `brentq` at full precision.
"""

import json
import math
import os
import warnings

import numpy as np
import scipy
import scipy.stats as st
from scipy.optimize import brentq
from scipy.special import ndtri
from scipy.stats._stats_py import _pearsonr_fisher_ci
import statsmodels
from statsmodels.stats.multitest import multipletests

warnings.simplefilter("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))


def num(v):
    """A float for JSON; non-finite values become strings."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def nums(values):
    return [num(v) for v in values]


def quantile(confidence_level, alternative):
    """The normal quantile for a two-sided or one-sided interval."""
    if alternative == "two-sided":
        return ndtri(0.5 + confidence_level / 2)
    return ndtri(confidence_level)


def fisher_interval(r, se, confidence_level, alternative):
    """tanh(atanh(r) -/+ z * se); the open side of a one-sided interval is -1 or 1."""
    z = quantile(confidence_level, alternative)
    zr = np.arctanh(r) if abs(r) < 1 else math.copysign(math.inf, r)
    lo = math.tanh(zr - z * se) if alternative != "less" else -1.0
    hi = math.tanh(zr + z * se) if alternative != "greater" else 1.0
    return lo, hi


def normal_interval(d, se, confidence_level, alternative):
    """d -/+ z * se; the open side of a one-sided interval is infinite."""
    z = quantile(confidence_level, alternative)
    lo = d - z * se if alternative != "less" else -math.inf
    hi = d + z * se if alternative != "greater" else math.inf
    return lo, hi


def decreasing_root(f, lo, hi):
    """The root of a decreasing f, after widening [lo, hi] until it brackets one."""
    step = max(1.0, hi - lo)
    while f(lo) < 0:
        lo, step = lo - step, step * 2
    while f(hi) > 0:
        hi, step = hi + step, step * 2
    return brentq(f, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)


def nct_cdf(t, df, delta):
    """SciPy's nct.cdf; where Boost returns NaN (a few far-tail points at tiny df), the same
    probability by mpmath quadrature: P(T <= t) = integral of Phi(t sqrt(v/df) - delta) over
    the chi-square(df) density of v."""
    value = st.nct.cdf(t, df, delta)
    if np.isfinite(value):
        return value
    import mpmath
    mpmath.mp.dps = 30
    dens = lambda v: mpmath.exp((df / 2 - 1) * mpmath.log(v) - v / 2 - mpmath.loggamma(df / 2)) / mpmath.power(2, df / 2)
    phi = lambda z: mpmath.ncdf(z)
    return float(mpmath.quad(lambda v: phi(t * mpmath.sqrt(v / df) - delta) * dens(v), [0, df, 10 * df + 100, mpmath.inf]))


def nct_interval(t, df, confidence_level, alternative):
    """Noncentralities delta with nct.cdf(t, df, delta) = 1 - tail and = tail (Steiger & Fouladi
    1997); one-sided intervals put the whole of alpha on their closed side."""
    tail = (1 - confidence_level) / 2 if alternative == "two-sided" else 1 - confidence_level
    width = 10 + abs(t) * 0.5

    def solve(target):
        return decreasing_root(lambda d: nct_cdf(t, df, d) - target, t - width, t + width)
    lo = -math.inf if alternative == "less" else solve(1 - tail)
    hi = math.inf if alternative == "greater" else solve(tail)
    return lo, hi


def hedges_j(df):
    """Hedges' exact correction J = Gamma(df/2) / (sqrt(df/2) Gamma((df-1)/2))."""
    return math.exp(math.lgamma(df / 2) - 0.5 * math.log(df / 2) - math.lgamma((df - 1) / 2))


def has_bad(*arrays):
    return any(not np.all(np.isfinite(np.asarray(a, dtype=float))) for a in arrays)


# Spearman -------------------------------------------------------------------------------------

def spearman_case(name, x, y, alternative="two-sided", confidence_level=0.95):
    case = {"name": name, "x": nums(x), "y": nums(y), "alternative": alternative,
            "confidence_level": confidence_level}
    n = len(x)
    if (len(x) != len(y) or n < 3 or has_bad(x, y)
            or len(set(x)) == 1 or len(set(y)) == 1):
        case["error"] = True
        return case
    res = st.spearmanr(x, y, alternative=alternative)
    rho = float(res.statistic)
    lo, hi = _pearsonr_fisher_ci(np.float64(rho), n, confidence_level, alternative)
    case["expected"] = {"statistic": num(rho), "p_value": num(res.pvalue), "df": n - 2, "n": n,
                        "effect": num(rho), "lower": num(lo), "upper": num(hi)}
    return case


# Mann-Whitney ---------------------------------------------------------------------------------

def rank_biserial_interval(r, n1, n2, confidence_level, alternative):
    """Fisher z of r with SE sqrt((n1 + n2 + 1) / (3 n1 n2)), as R's effectsize::rank_biserial."""
    se = math.sqrt((n1 + n2 + 1) / (3 * n1 * n2))
    return fisher_interval(r, se, confidence_level, alternative)


def mwu_method_used(a, b, method):
    if method != "auto":
        return method
    if len(a) > 8 and len(b) > 8:
        return "asymptotic"
    return "asymptotic" if len(set(list(a) + list(b))) < len(a) + len(b) else "exact"


def mwu_case(name, a, b, alternative="two-sided", method="auto", confidence_level=0.95):
    case = {"name": name, "a": nums(a), "b": nums(b), "alternative": alternative,
            "method": method, "confidence_level": confidence_level}
    if len(a) == 0 or len(b) == 0 or has_bad(a, b) or len(set(list(a) + list(b))) == 1:
        # Constant input: SciPy returns NaN; Triangulate refuses with a plain reason.
        case["error"] = True
        return case
    res = st.mannwhitneyu(a, b, alternative=alternative, method=method, use_continuity=True)
    n1, n2 = len(a), len(b)
    r = 2 * float(res.statistic) / (n1 * n2) - 1
    lo, hi = rank_biserial_interval(r, n1, n2, confidence_level, alternative)
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue), "n": n1 + n2,
                        "effect": num(r), "lower": num(lo), "upper": num(hi),
                        "method": mwu_method_used(a, b, method)}
    return case


# Welch t --------------------------------------------------------------------------------------

def cohen_d(a, b):
    """Mean difference over the pooled SD sqrt(((n1-1)s1^2 + (n2-1)s2^2) / (n1+n2-2))."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    n1, n2 = len(a), len(b)
    pooled = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    return (a.mean() - b.mean()) / pooled


def cohen_d_interval(d, n1, n2, confidence_level, alternative):
    """Exact: d = t_pooled * sqrt(1/n1 + 1/n2), t_pooled noncentral t with n1 + n2 - 2 df."""
    c = math.sqrt(1 / n1 + 1 / n2)
    lo, hi = nct_interval(d / c, n1 + n2 - 2, confidence_level, alternative)
    return lo * c, hi * c


def welch_case(name, a, b, alternative="two-sided", confidence_level=0.95):
    case = {"name": name, "a": nums(a), "b": nums(b), "alternative": alternative,
            "confidence_level": confidence_level}
    if (len(a) < 2 or len(b) < 2 or has_bad(a, b)
            or (np.var(a) == 0 and np.var(b) == 0)):
        case["error"] = True
        return case
    res = st.ttest_ind(a, b, equal_var=False, alternative=alternative)
    d = cohen_d(a, b)
    lo, hi = cohen_d_interval(d, len(a), len(b), confidence_level, alternative)
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue),
                        "df": num(res.df), "n": len(a) + len(b),
                        "effect": num(d), "lower": num(lo), "upper": num(hi)}
    return case


# Binomial -------------------------------------------------------------------------------------

def binomial_case(name, k, n, p0=0.5, alternative="two-sided", confidence_level=0.95):
    case = {"name": name, "successes": k, "trials": n, "p0": num(p0),
            "alternative": alternative, "confidence_level": confidence_level}
    if n < 1 or k < 0 or k > n or not (0 <= p0 <= 1):
        case["error"] = True
        return case
    res = st.binomtest(k, n, p0, alternative=alternative)
    ci = res.proportion_ci(confidence_level=confidence_level, method="wilson")
    case["expected"] = {"statistic": k, "p_value": num(res.pvalue), "n": n,
                        "effect": num(k / n), "lower": num(ci.low), "upper": num(ci.high)}
    return case


# Corrections ----------------------------------------------------------------------------------

def correction_case(name, p):
    adjusted = {"holm": nums(multipletests(p, method="holm")[1]),
                "bonferroni": nums(multipletests(p, method="bonferroni")[1]),
                "benjamini-hochberg": nums(multipletests(p, method="fdr_bh")[1]),
                "none": nums(p)}
    return {"name": name, "p": nums(p), "adjusted": adjusted}


# Pearson and Kendall ------------------------------------------------------------------------------

def pearson_case(name, x, y, alternative="two-sided", confidence_level=0.95):
    case = {"name": name, "x": nums(x), "y": nums(y), "alternative": alternative,
            "confidence_level": confidence_level}
    n = len(x)
    if (len(x) != len(y) or n < 3 or has_bad(x, y)
            or len(set(x)) == 1 or len(set(y)) == 1):
        case["error"] = True
        return case
    res = st.pearsonr(x, y, alternative=alternative)
    ci = res.confidence_interval(confidence_level)
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue), "df": n - 2,
                        "n": n, "effect": num(res.statistic), "lower": num(ci.low),
                        "upper": num(ci.high)}
    return case


def kendall_case(name, x, y, alternative="two-sided", confidence_level=0.95):
    """Interval: Fisher z of tau with SE sqrt(0.437 / (n - 4)) (Fieller, Hartley & Pearson 1957)."""
    case = {"name": name, "x": nums(x), "y": nums(y), "alternative": alternative,
            "confidence_level": confidence_level}
    n = len(x)
    if (len(x) != len(y) or n < 3 or has_bad(x, y)
            or len(set(x)) == 1 or len(set(y)) == 1):
        case["error"] = True
        return case
    res = st.kendalltau(x, y, alternative=alternative)
    tau = float(res.statistic)
    ties = len(set(x)) < n or len(set(y)) < n
    expected = {"statistic": num(tau), "p_value": num(res.pvalue), "n": n, "effect": num(tau)}
    if n > 4:
        lo, hi = fisher_interval(tau, math.sqrt(0.437 / (n - 4)), confidence_level, alternative)
        expected.update({"lower": num(lo), "upper": num(hi)})
    # Mirrors kendalltau's auto rule, to check the method the Swift code reports.
    tot = n * (n - 1) // 2
    dis = sum(1 for i in range(n) for j in range(i + 1, n) if (x[i] - x[j]) * (y[i] - y[j]) < 0)
    exact = not ties and (n <= 33 or min(dis, tot - dis) <= 1)
    expected["method"] = "exact" if exact else "asymptotic"
    case["expected"] = expected
    return case


# Student t and paired t ---------------------------------------------------------------------------

def student_case(name, a, b, alternative="two-sided", confidence_level=0.95):
    """Hedges' g = J d with the exact J(n1 + n2 - 2) (Hedges 1981); interval J times d's."""
    case = {"name": name, "a": nums(a), "b": nums(b), "alternative": alternative,
            "confidence_level": confidence_level}
    if (len(a) < 2 or len(b) < 2 or has_bad(a, b)
            or (np.var(a) == 0 and np.var(b) == 0)):
        case["error"] = True
        return case
    res = st.ttest_ind(a, b, equal_var=True, alternative=alternative)
    n1, n2 = len(a), len(b)
    j = hedges_j(n1 + n2 - 2)
    d = cohen_d(a, b)
    g = j * d
    lo, hi = cohen_d_interval(d, n1, n2, confidence_level, alternative)
    lo, hi = j * lo, j * hi
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue),
                        "df": num(res.df), "n": n1 + n2,
                        "effect": num(g), "lower": num(lo), "upper": num(hi)}
    return case


def paired_t_case(name, x, y, alternative="two-sided", confidence_level=0.95):
    """Cohen's d_z = mean(d)/sd(d); exact interval: d_z = t/sqrt(n), t noncentral t, n - 1 df."""
    case = {"name": name, "x": nums(x), "y": nums(y), "alternative": alternative,
            "confidence_level": confidence_level}
    if len(x) != len(y) or len(x) < 2 or has_bad(x, y):
        case["error"] = True
        return case
    d = np.asarray(x, float) - np.asarray(y, float)
    if np.all(d == d[0]):
        case["error"] = True
        return case
    res = st.ttest_rel(x, y, alternative=alternative)
    n = len(d)
    dz = d.mean() / d.std(ddof=1)
    lo, hi = nct_interval(dz * math.sqrt(n), n - 1, confidence_level, alternative)
    lo, hi = lo / math.sqrt(n), hi / math.sqrt(n)
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue),
                        "df": num(res.df), "n": n,
                        "effect": num(dz), "lower": num(lo), "upper": num(hi)}
    return case


# Wilcoxon signed-rank -----------------------------------------------------------------------------

def wilcoxon_case(name, x, y, alternative="two-sided", confidence_level=0.95):
    """Matched-pairs rank-biserial r = (R+ - R-)/(R+ + R-); interval Fisher z with
    SE = sqrt((2m^3 + 3m^2 + m)/6) / (m(m+1)/2), m nonzero differences (R's effectsize)."""
    case = {"name": name, "x": nums(x), "y": nums(y), "alternative": alternative,
            "confidence_level": confidence_level}
    if len(x) != len(y) or len(x) < 1 or has_bad(x, y):
        case["error"] = True
        return case
    d = np.asarray(x, float) - np.asarray(y, float)
    nz = d[d != 0]
    m = len(nz)
    if m == 0:
        case["error"] = True
        return case
    res = st.wilcoxon(x, y, alternative=alternative)
    ranks = st.rankdata(np.abs(nz))
    r_plus, r_minus = ranks[nz > 0].sum(), ranks[nz < 0].sum()
    r = (r_plus - r_minus) / (r_plus + r_minus)
    se = math.sqrt((2 * m**3 + 3 * m**2 + m) / 6) / (m * (m + 1) / 2)
    lo, hi = fisher_interval(r, se, confidence_level, alternative)
    ties = len(set(np.abs(nz))) < m
    n = len(d)
    if n > 50:
        method = "asymptotic"
    elif not ties and m == n:
        method = "exact"
    elif n <= 13:
        method = "exact permutation"
    else:
        method = "asymptotic"
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue), "n": m,
                        "effect": num(r), "lower": num(lo), "upper": num(hi), "method": method}
    return case


# k groups -----------------------------------------------------------------------------------------

def kruskal_case(name, groups):
    """Epsilon squared = H / (n - 1) (Tomczak & Tomczak 2014); no interval."""
    case = {"name": name, "groups": [nums(g) for g in groups]}
    flat = [v for g in groups for v in g]
    if len(groups) < 2 or any(len(g) == 0 for g in groups) or has_bad(flat) or len(set(flat)) == 1:
        case["error"] = True
        return case
    res = st.kruskal(*groups)
    n = len(flat)
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue),
                        "df": len(groups) - 1, "n": n, "effect": num(res.statistic / (n - 1))}
    return case


def anova_case(name, groups):
    """Eta squared = SS_between / SS_total; no interval."""
    case = {"name": name, "groups": [nums(g) for g in groups]}
    flat = np.asarray([v for g in groups for v in g], float)
    k, n = len(groups), len(flat)
    if k < 2 or any(len(g) == 0 for g in groups) or n <= k or has_bad(flat):
        case["error"] = True
        return case
    ss_within = sum(((np.asarray(g, float) - np.mean(g)) ** 2).sum() for g in groups)
    if ss_within == 0:
        case["error"] = True
        return case
    res = st.f_oneway(*groups)
    ss_total = ((flat - flat.mean()) ** 2).sum()
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue),
                        "df": k - 1, "df2": n - k, "n": n,
                        "effect": num((ss_total - ss_within) / ss_total)}
    return case


# Categorical --------------------------------------------------------------------------------------

def chi2_case(name, table):
    """Cramer's V from the uncorrected statistic, as scipy.stats.contingency.association."""
    case = {"name": name, "table": table}
    arr = np.asarray(table) if len(table) else np.zeros((0, 0))
    if (arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 2 or np.any(arr < 0)
            or np.any(arr.sum(axis=0) == 0) or np.any(arr.sum(axis=1) == 0)):
        case["error"] = True
        return case
    res = st.chi2_contingency(arr)
    v = st.contingency.association(arr, method="cramer")
    case["expected"] = {"statistic": num(res.statistic), "p_value": num(res.pvalue),
                        "df": int(res.dof), "n": int(arr.sum()), "effect": num(v)}
    return case


def fisher_case(name, table, alternative="two-sided", confidence_level=0.95):
    """Sample odds ratio ad/bc with the conditional exact interval
    (scipy odds_ratio(kind="conditional").confidence_interval), which exists with zero cells."""
    case = {"name": name, "table": table, "alternative": alternative,
            "confidence_level": confidence_level}
    arr = np.asarray(table)
    if (arr.shape != (2, 2) or np.any(arr < 0)
            or np.any(arr.sum(axis=0) == 0) or np.any(arr.sum(axis=1) == 0)):
        case["error"] = True
        return case
    res = st.fisher_exact(arr, alternative=alternative)
    expected = {"statistic": num(res.statistic), "p_value": num(res.pvalue), "n": int(arr.sum()),
                "effect": num(res.statistic)}
    ci = st.contingency.odds_ratio(arr, kind="conditional").confidence_interval(
        confidence_level, alternative)
    expected.update({"lower": num(ci.low), "upper": num(ci.high)})
    case["expected"] = expected
    return case


def phase_two(rng, big_x, big_y, likert_x, likert_y, small_x, small_y, tied_x, tied_y):
    pearson = [
        pearson_case("small n=5", small_x, small_y),
        pearson_case("small n=5 greater", small_x, small_y, "greater"),
        pearson_case("small n=5 less level 0.9", small_x, small_y, "less", 0.9),
        pearson_case("n=3", [1.0, 2.0, 3.5], [2.0, 1.0, 3.0]),
        pearson_case("perfect line", [1, 2, 3, 4], [3, 5, 7, 9]),
        pearson_case("large n=2000", big_x, big_y),
        pearson_case("n=2", [1.0, 2.0], [2.0, 1.0]),
        pearson_case("constant y", [1, 2, 3, 4], [7, 7, 7, 7]),
        pearson_case("mismatched lengths", [1, 2, 3], [1, 2]),
        pearson_case("NaN input", [1, 2, math.nan, 4], [1, 2, 3, 4]),
    ]
    kx = list(np.round(rng.normal(size=40), 4))
    ky = list(np.round(np.asarray(kx) * 0.3 + rng.normal(size=40), 4))
    kendall = [
        kendall_case("exact n=5", small_x, small_y),
        kendall_case("exact n=5 greater", small_x, small_y, "greater"),
        kendall_case("exact n=5 less", small_x, small_y, "less"),
        kendall_case("exact n=3", [1.0, 2.0, 3.5], [2.0, 1.0, 3.0]),
        kendall_case("exact perfect n=7", [1, 2, 3, 4, 5, 6, 7], [2, 3, 5, 7, 11, 13, 17]),
        kendall_case("exact one discordant n=40", list(range(40)), [1, 0] + list(range(2, 40))),
        kendall_case("asymptotic no ties n=40", kx, ky),
        kendall_case("asymptotic no ties n=40 less level 0.9", kx, ky, "less", 0.9),
        kendall_case("ties n=8", tied_x, tied_y),
        kendall_case("large likert ties", likert_x, likert_y),
        kendall_case("large n=2000", big_x, big_y),
        kendall_case("constant x", [2, 2, 2, 2], [1, 2, 3, 4]),
        kendall_case("n=2", [1.0, 2.0], [2.0, 1.0]),
        kendall_case("infinite input", [1, 2, 3, 4], [1, math.inf, 3, 4]),
    ]
    sa = np.round(rng.normal(loc=5, scale=1, size=25), 4)
    sb = np.round(rng.normal(loc=5.6, scale=1.3, size=18), 4)
    student = [
        student_case("small", [1, 2, 3, 4], [2, 3, 5, 9]),
        student_case("moderate", sa, sb),
        student_case("moderate less level 0.9", sa, sb, "less", 0.9),
        student_case("moderate greater", sa, sb, "greater"),
        student_case("one group constant", [5, 5, 5, 5], [4.1, 5.3, 6.2, 7.7, 3.9]),
        student_case("both constant", [5, 5, 5], [6, 6, 6]),
        student_case("one observation", [5], [6, 7, 8]),
    ]
    px = np.round(rng.normal(loc=20, scale=4, size=30), 3)
    py = np.round(px + rng.normal(loc=0.8, scale=2, size=30), 3)
    paired_t = [
        paired_t_case("n=30", px, py),
        paired_t_case("n=30 greater", px, py, "greater"),
        paired_t_case("n=30 less level 0.9", px, py, "less", 0.9),
        paired_t_case("n=2", [1.0, 4.0], [2.0, 3.5]),
        paired_t_case("constant differences", [1, 2, 3], [0, 1, 2]),
        paired_t_case("mismatched lengths", [1, 2, 3], [1, 2]),
        paired_t_case("one pair", [1.0], [2.0]),
    ]
    wx = list(np.round(rng.normal(size=60), 3))
    wy = list(np.round(np.asarray(wx) + rng.normal(loc=0.2, size=60), 3))
    wilcoxon = [
        wilcoxon_case("exact n=10", wx[:10], wy[:10]),
        wilcoxon_case("exact n=10 greater", wx[:10], wy[:10], "greater"),
        wilcoxon_case("exact n=10 less level 0.9", wx[:10], wy[:10], "less", 0.9),
        wilcoxon_case("n=40 with ties in |d|", wx[:40], wy[:40]),
        wilcoxon_case("permutation with ties and a zero n=9",
                      [1, 2, 3, 4, 5, 6, 7, 8, 9], [2, 1, 5, 4, 3, 8, 9, 6, 9.5]),
        wilcoxon_case("permutation with ties greater n=9",
                      [1, 2, 3, 4, 5, 6, 7, 8, 9], [2, 1, 5, 4, 3, 8, 9, 6, 9.5], "greater"),
        wilcoxon_case("asymptotic ties n=16",
                      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
                      [1.5, 2, 2.5, 4, 4.5, 7, 5, 9, 8, 11, 10, 13, 12, 13, 16, 18]),
        wilcoxon_case("asymptotic n=60", wx, wy),
        wilcoxon_case("asymptotic n=60 less", wx, wy, "less"),
        wilcoxon_case("large likert", likert_x[:500], likert_y[:500]),
        wilcoxon_case("all zero differences", [1, 2, 3], [1, 2, 3]),
        wilcoxon_case("mismatched lengths", [1, 2, 3], [1, 2]),
        wilcoxon_case("NaN input", [1, 2, 3], [1, math.nan, 3]),
    ]
    g1 = list(np.round(rng.normal(loc=0, size=12), 3))
    g2 = list(np.round(rng.normal(loc=0.5, size=15), 3))
    g3 = list(np.round(rng.normal(loc=1.0, size=9), 3))
    kruskal = [
        kruskal_case("three groups", [g1, g2, g3]),
        kruskal_case("ties", [[1, 2, 2, 3], [2, 3, 3, 4, 5], [5, 5, 6]]),
        kruskal_case("two groups of one and two", [[1.0], [2.0, 3.0]]),
        kruskal_case("large likert", [likert_x[:700], likert_y[700:1500], likert_x[1500:]]),
        kruskal_case("all equal", [[1, 1], [1, 1, 1]]),
        kruskal_case("one group", [[1, 2, 3]]),
        kruskal_case("empty group", [[1, 2, 3], []]),
    ]
    anova = [
        anova_case("three groups", [g1, g2, g3]),
        anova_case("ties", [[1, 2, 2, 3], [2, 3, 3, 4, 5], [5, 5, 6]]),
        anova_case("one constant group", [[4, 4, 4], [1, 2, 3, 4]]),
        anova_case("large", [big_x[:700], big_y[700:1500], big_x[1500:] + 0.1]),
        anova_case("no variation within groups", [[1, 1], [2, 2, 2]]),
        anova_case("one group", [[1, 2, 3]]),
        anova_case("one value per group", [[1.0], [2.0]]),
    ]
    chi2 = [
        chi2_case("2x2 with Yates", [[12, 5], [7, 15]]),
        chi2_case("2x2 small difference", [[10, 11], [10, 10]]),
        chi2_case("2x3", [[10, 20, 30], [15, 25, 12]]),
        chi2_case("3x4", [[5, 9, 12, 3], [8, 2, 7, 11], [4, 6, 6, 9]]),
        chi2_case("2x2 large", [[1200, 800], [950, 1050]]),
        chi2_case("2x2 with a zero cell", [[0, 5], [7, 3]]),
        chi2_case("empty column", [[0, 5], [0, 3]]),
        chi2_case("one row", [[3, 4, 5]]),
        chi2_case("negative count", [[3, -1], [2, 2]]),
    ]
    fisher = [
        fisher_case("classic", [[8, 2], [1, 5]]),
        fisher_case("classic greater", [[8, 2], [1, 5]], "greater"),
        fisher_case("classic less level 0.9", [[8, 2], [1, 5]], "less", 0.9),
        fisher_case("balanced", [[5, 5], [5, 5]]),
        fisher_case("below mode", [[2, 9], [8, 3]]),
        fisher_case("zero cell", [[0, 6], [5, 2]]),
        fisher_case("zero cell greater", [[7, 0], [3, 6]], "greater"),
        fisher_case("large", [[120, 80], [95, 105]]),
        fisher_case("empty row", [[0, 0], [5, 2]]),
        fisher_case("negative count", [[3, -1], [2, 2]]),
    ]
    return {"pearson": pearson, "kendall_tau_b": kendall, "student_t": student,
            "paired_t": paired_t, "wilcoxon": wilcoxon, "kruskal_wallis": kruskal,
            "one_way_anova": anova, "chi_square": chi2, "fisher_exact": fisher}


def main():
    rng = np.random.default_rng(20261126)
    big_x = np.round(rng.normal(size=2000), 6)
    big_y = np.round(0.1 * big_x + rng.normal(size=2000), 6)
    likert_x = rng.integers(1, 6, size=2000).astype(float)
    likert_y = np.clip(likert_x + rng.integers(-2, 3, size=2000), 1, 5).astype(float)
    big_a = np.round(rng.lognormal(mean=1.0, sigma=1.5, size=2000), 4)
    big_b = np.round(rng.lognormal(mean=1.1, sigma=1.5, size=1500), 4)
    mid_a = np.round(rng.normal(size=30), 4)
    mid_b = np.round(rng.normal(loc=0.5, size=30), 4)
    welch_a = np.round(rng.normal(loc=10, scale=2, size=2000), 6)
    welch_b = np.round(rng.normal(loc=10.1, scale=5, size=1200), 6)

    small_x = [3.1, 1.2, 4.4, 1.5, 5.9]
    small_y = [2.6, 0.5, 3.5, 8.9, 7.9]
    tied_x = [1, 2, 2, 3, 3, 3, 4, 5]
    tied_y = [2, 1, 4, 4, 3, 6, 5, 5]

    spearman = [
        spearman_case("small n=5", small_x, small_y),
        spearman_case("small n=5 greater", small_x, small_y, "greater"),
        spearman_case("small n=5 less", small_x, small_y, "less"),
        spearman_case("ties n=8", tied_x, tied_y),
        spearman_case("ties n=8 level 0.9", tied_x, tied_y, confidence_level=0.9),
        spearman_case("ties n=8 less", tied_x, tied_y, "less"),
        spearman_case("n=3", [1.0, 2.0, 3.5], [2.0, 1.0, 3.0]),
        spearman_case("n=4", [1.0, 2.0, 3.5, 0.5], [2.0, 1.0, 3.0, 0.7]),
        spearman_case("perfect increasing", [1, 2, 3, 4, 5, 6], [2, 4, 8, 16, 32, 64]),
        spearman_case("perfect decreasing greater", [1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1], "greater"),
        spearman_case("large n=2000", big_x, big_y),
        spearman_case("large n=2000 greater", big_x, big_y, "greater"),
        spearman_case("large n=2000 less", big_x, big_y, "less"),
        spearman_case("large likert ties", likert_x, likert_y),
        spearman_case("n=2", [1.0, 2.0], [2.0, 1.0]),
        spearman_case("constant x", [2, 2, 2, 2], [1, 2, 3, 4]),
        spearman_case("constant y", [1, 2, 3, 4], [7, 7, 7, 7]),
        spearman_case("mismatched lengths", [1, 2, 3, 4], [1, 2, 3]),
        spearman_case("NaN input", [1, 2, math.nan, 4], [1, 2, 3, 4]),
        spearman_case("infinite input", [1, 2, 3, 4], [1, math.inf, 3, 4]),
    ]

    males = [19, 22, 16, 29, 24]
    females = [20, 11, 17, 12]
    mann_whitney = [
        mwu_case("exact 5x4", males, females),
        mwu_case("exact 5x4 greater", males, females, "greater"),
        mwu_case("exact 5x4 less", males, females, "less"),
        mwu_case("exact 3x20", [1.5, 7.2, 3.3], list(np.round(rng.normal(size=20) * 3, 4))),
        mwu_case("exact 1x1", [1.0], [2.0]),
        mwu_case("exact 2x3 level 0.9", [4.0, 9.0], [1.0, 2.0, 3.0], confidence_level=0.9),
        mwu_case("ties small auto asymptotic", [1, 2, 2, 3, 5], [2, 3, 3, 4]),
        mwu_case("ties small auto asymptotic less", [1, 2, 2, 3, 5], [2, 3, 3, 4], "less"),
        mwu_case("ties forced exact", [1, 2, 2, 3, 5], [2, 3, 3, 4], method="exact"),
        mwu_case("forced asymptotic no ties", males, females, method="asymptotic"),
        mwu_case("forced asymptotic greater", males, females, "greater", method="asymptotic"),
        mwu_case("9x10 auto asymptotic", list(np.round(rng.normal(size=9), 4)),
                 list(np.round(rng.normal(size=10), 4))),
        mwu_case("30x30 forced exact", mid_a, mid_b, method="exact"),
        mwu_case("30x30 forced exact greater", mid_a, mid_b, "greater", method="exact"),
        mwu_case("30x30 auto", mid_a, mid_b),
        mwu_case("large 2000x1500", big_a, big_b),
        mwu_case("large 2000x1500 less", big_a, big_b, "less"),
        mwu_case("large likert ties", likert_x[:1000], likert_y[1000:]),
        mwu_case("all values equal", [3, 3, 3], [3, 3]),
        mwu_case("empty sample", [], [1, 2, 3]),
        mwu_case("NaN input", [1, 2, math.nan], [1, 2, 3]),
        mwu_case("infinite input", [1, 2, 3], [-math.inf, 2, 3]),
    ]

    welch = [
        welch_case("small", [1, 2, 3, 4], [2, 3, 5, 9]),
        welch_case("small greater", [1, 2, 3, 4], [2, 3, 5, 9], "greater"),
        welch_case("small less level 0.9", [1, 2, 3, 4], [2, 3, 5, 9], "less", 0.9),
        welch_case("n=2 each", [1.5, 2.5], [4.0, 7.0]),
        welch_case("one group constant", [5, 5, 5, 5], [4.1, 5.3, 6.2, 7.7, 3.9]),
        welch_case("large 2000x1200", welch_a, welch_b),
        welch_case("large 2000x1200 greater", welch_a, welch_b, "greater"),
        welch_case("both constant", [5, 5, 5], [6, 6, 6]),
        welch_case("one observation", [5], [6, 7, 8]),
        welch_case("NaN input", [1, 2, 3], [4, math.nan, 6]),
        welch_case("infinite input", [1, math.inf, 3], [4, 5, 6]),
    ]

    binomial = [
        binomial_case("k=0 n=10 p0=0.5", 0, 10, 0.5),
        binomial_case("k=n=10 p0=0.5", 10, 10, 0.5),
        binomial_case("k=0 n=10 p0=0.1", 0, 10, 0.1),
        binomial_case("k=n=10 p0=0.1", 10, 10, 0.1),
        binomial_case("k=0 n=10 p0=0.1 less", 0, 10, 0.1, "less"),
        binomial_case("k=n=10 p0=0.1 greater", 10, 10, 0.1, "greater"),
        binomial_case("k=3 n=20 p0=0.1", 3, 20, 0.1),
        binomial_case("k=7 n=20 p0=0.5", 7, 20, 0.5),
        binomial_case("k=13 n=20 p0=0.5", 13, 20, 0.5),
        binomial_case("k=10 n=20 p0=0.5", 10, 20, 0.5),
        binomial_case("k=7 n=20 p0=0.5 greater", 7, 20, 0.5, "greater"),
        binomial_case("k=7 n=20 p0=0.5 less", 7, 20, 0.5, "less"),
        binomial_case("k=7 n=20 p0=0.3 level 0.9", 7, 20, 0.3, confidence_level=0.9),
        binomial_case("k=1 n=3 p0=0.7", 1, 3, 0.7),
        binomial_case("k=1130 n=2000 p0=0.55", 1130, 2000, 0.55),
        binomial_case("k=1030 n=2000 p0=0.55 less", 1030, 2000, 0.55, "less"),
        binomial_case("k=0 n=5 p0=0", 0, 5, 0.0),
        binomial_case("k=2 n=5 p0=0", 2, 5, 0.0),
        binomial_case("k=5 n=5 p0=1", 5, 5, 1.0),
        binomial_case("k=4 n=5 p0=1", 4, 5, 1.0),
        binomial_case("trials 0", 0, 0, 0.5),
        binomial_case("successes above trials", 6, 5, 0.5),
        binomial_case("negative successes", -1, 5, 0.5),
        binomial_case("p0 above 1", 2, 5, 1.5),
        binomial_case("p0 below 0", 2, 5, -0.1),
    ]

    corrections = [
        correction_case("ten mixed", list(np.round(rng.uniform(0, 0.2, size=10), 5))),
        correction_case("with ties, zero and one", [0.01, 0.04, 0.04, 0.0, 1.0, 0.03, 0.2, 0.04]),
        correction_case("single", [0.03]),
        correction_case("all large", [0.5, 0.8, 0.9, 0.6]),
        correction_case("fifty", list(rng.uniform(0, 1, size=50) ** 3)),
    ]

    reference = {
        "generated_by": "make_reference.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__,
                     "statsmodels": statsmodels.__version__},
        "spearman": spearman,
        "mann_whitney": mann_whitney,
        "welch_t": welch,
        "binomial": binomial,
        "corrections": corrections,
    }
    reference.update(phase_two(rng, big_x, big_y, likert_x, likert_y, small_x, small_y,
                               tied_x, tied_y))
    with open(os.path.join(HERE, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, sort_keys=True, indent=1, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
