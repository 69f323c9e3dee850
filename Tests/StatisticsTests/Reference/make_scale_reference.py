#!/usr/bin/env python3
"""Writes scale.json: statistics at 10 million values and 10^9 counts, for the overflow tests.

Run from anywhere: `python3 make_scale_reference.py` (numpy 2.4, scipy 1.17). Deterministic.

The samples have the shape that broke the integer tie correction (issue 17): a tie group of
millions of zeros, as in the download counts of Hugging Face models. SciPy computes each test on
the full 10M-value arrays; the JSON keeps what the Swift test needs to call the same formulas
directly (rank sums, U, R+, the sizes of every tie group), since ranking 10M values in a debug
test build would take minutes.
"""

import json
import os

import numpy as np
import scipy
import scipy.stats as st

HERE = os.path.dirname(os.path.abspath(__file__))


def tie_sizes(values):
    _, counts = np.unique(values, return_counts=True)
    return [int(c) for c in counts]


def main():
    rng = np.random.default_rng(20261203)
    n1, n2 = 6_000_000, 4_000_000
    # 2.3M zeros in the first sample and 1.53M in the second, the rest integer "downloads" from
    # the same distribution: close to the null, so the p-value is a number worth comparing.
    a = np.concatenate([np.zeros(2_300_000), rng.integers(1, 5000, size=n1 - 2_300_000)]).astype(float)
    b = np.concatenate([np.zeros(1_532_000), rng.integers(1, 5000, size=n2 - 1_532_000)]).astype(float)
    pooled = np.concatenate([a, b])
    ranks = st.rankdata(pooled)
    mw = st.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    mann_whitney = {"n1": n1, "n2": n2, "u": float(mw.statistic), "p_value": float(mw.pvalue),
                    "rank_sum": float(ranks[:n1].sum()), "tie_sizes": tie_sizes(pooled)}

    c = np.concatenate([np.zeros(767_000), rng.integers(1, 5000, size=1_233_000)]).astype(float)
    groups = [a, b, c]
    kw = st.kruskal(*groups)
    pooled3 = np.concatenate(groups)
    ranks3 = st.rankdata(pooled3)
    offsets = np.cumsum([0] + [len(g) for g in groups])
    kruskal = {"sizes": [len(g) for g in groups], "h": float(kw.statistic), "p_value": float(kw.pvalue),
               "rank_sums": [float(ranks3[offsets[i]:offsets[i + 1]].sum()) for i in range(3)],
               "tie_sizes": tie_sizes(pooled3)}

    # Paired differences: 10M, of which 2.5M are +1 and 2.499M are -1 (huge tie groups of |d|).
    d = np.concatenate([np.ones(2_500_000), -np.ones(2_499_000), rng.integers(-300, 301, size=5_001_000)]).astype(float)
    nonzero = d[d != 0]
    r = st.rankdata(np.abs(nonzero))
    wx = st.wilcoxon(d, np.zeros_like(d), alternative="two-sided")
    wilcoxon = {"m": int(len(nonzero)), "r_plus": float(r[nonzero > 0].sum()), "p_value": float(wx.pvalue),
                "statistic": float(wx.statistic), "tie_sizes": tie_sizes(np.abs(nonzero))}

    big = 1_000_000_000
    binomial = [{"successes": k, "trials": big, "p0": p0, "p_value": float(st.binomtest(k, big, p0).pvalue)}
                for k, p0 in [(500_030_000, 0.5), (100_012_000, 0.1), (999_999_000, 0.999999)]]
    table = [[250_000_000, 250_020_000], [250_010_000, 249_970_000]]
    fisher = {"table": table, "p_value": float(st.fisher_exact(table).pvalue),
              "statistic": float(st.fisher_exact(table).statistic)}
    chi2 = st.chi2_contingency(table)
    chi_square = {"table": table, "statistic": float(chi2.statistic), "p_value": float(chi2.pvalue)}
    huge_group = 2_300_000
    kendall_ties = {"sizes": [huge_group, big], "pairs": sum(t * (t - 1) // 2 for t in [huge_group, big]),
                    "v0": float(sum(t * (t - 1) * (t - 2) for t in [huge_group, big])),
                    "v1": float(sum(t * (t - 1) * (2 * t + 5) for t in [huge_group, big]))}
    tie_term = {"sizes": [huge_group, big], "value": float(sum(t ** 3 - t for t in [huge_group, big]))}

    out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__},
           "mann_whitney": mann_whitney, "kruskal_wallis": kruskal, "wilcoxon": wilcoxon, "binomial": binomial,
           "fisher": fisher, "chi_square": chi_square, "kendall_ties": kendall_ties, "tie_term": tie_term}
    with open(os.path.join(HERE, "scale.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
