#!/usr/bin/env python3
"""Writes bootstrap.json: data and SciPy's percentile-bootstrap intervals for the Statistics tests.

Run from anywhere: `python3 make_bootstrap_reference.py` (needs numpy 2.4 and scipy 1.17). The
output is deterministic (fixed seeds, sorted keys); versions used are recorded in the JSON.

Three parts:
- "percentiles": fixed vectors with `np.percentile` (default "linear" rule) at several levels,
  for an exact check of the Swift percentile rule;
- "generator": the first outputs of SplitMix64-seeded xoshiro256** and of Lemire's bounded draw,
  from the reference algorithms written out below, for an exact check of the Swift generator;
- "kruskal_wallis", "one_way_anova", "chi_square": data of n = 300 with
  `scipy.stats.bootstrap(method="percentile", n_resamples=20000)` bounds for epsilon squared,
  eta squared and Cramer's V, resampling within groups (SciPy resamples each sample separately)
  or the cases of a table (one paired sample of row and column labels). Swift's own stream
  differs from NumPy's, so the tests compare these bounds within a Monte-Carlo tolerance.
"""

import json
import os

import numpy as np
import scipy
import scipy.stats as st

HERE = os.path.dirname(os.path.abspath(__file__))
MASK = (1 << 64) - 1
N_RESAMPLES = 20000
LEVEL = 0.95


# Generator ----------------------------------------------------------------------------------------

def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256StarStar:
    """Blackman & Vigna's xoshiro256** (prng.di.unimi.it), state from four SplitMix64 outputs."""

    def __init__(self, seed):
        self.s = []
        state = seed
        for _ in range(4):
            state, out = splitmix64(state)
            self.s.append(out)

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def index_below(self, bound):
        """Lemire (2019), "Fast random integer generation in an interval"."""
        product = self.next() * bound
        low = product & MASK
        if low < bound:
            threshold = ((1 << 64) - bound) % bound
            while low < threshold:
                product = self.next() * bound
                low = product & MASK
        return product >> 64


def generator_case(seed, bound, count=12):
    raw = Xoshiro256StarStar(seed)
    bounded = Xoshiro256StarStar(seed)
    # Decimal strings: JSON numbers lose precision above 2^53.
    return {"seed": str(seed), "next": [str(raw.next()) for _ in range(count)],
            "bound": bound, "index_below": [bounded.index_below(bound) for _ in range(count)]}


# Statistics, as the Swift module defines them -----------------------------------------------------

def epsilon_squared(*groups):
    n = sum(len(g) for g in groups)
    return st.kruskal(*groups).statistic / (n - 1)


def eta_squared(*groups):
    flat = np.concatenate(groups)
    ss_total = ((flat - flat.mean()) ** 2).sum()
    ss_within = sum(((g - g.mean()) ** 2).sum() for g in groups)
    return (ss_total - ss_within) / ss_total


def cramers_v(rows, columns, shape):
    table = np.zeros(shape, dtype=np.int64)
    np.add.at(table, (rows.astype(int), columns.astype(int)), 1)
    return st.contingency.association(table, method="cramer")


def interval(data, statistic, seed, paired=False):
    res = st.bootstrap(data, statistic, n_resamples=N_RESAMPLES, method="percentile",
                       confidence_level=LEVEL, vectorized=False, paired=paired,
                       rng=np.random.default_rng(seed))
    return {"lower": float(res.confidence_interval.low),
            "upper": float(res.confidence_interval.high),
            "standard_error": float(res.standard_error)}


def main():
    rng = np.random.default_rng(20261127)

    vectors = [
        [3.5],
        [2.0, -1.0],
        list(np.round(rng.normal(size=7), 3)),
        [1.0, 2.0, 2.0, 2.0, 3.0, 5.0, 5.0, 8.0, 13.0, 21.0],
        list(rng.normal(size=2000)),
    ]
    fractions = [0.0, 0.025, 0.05, 0.1, 1 / 3, 0.5, 0.9, 0.95, 0.975, 1.0]
    percentiles = [{"values": sorted(float(v) for v in vector), "fractions": fractions,
                    "expected": [float(np.percentile(vector, 100 * f)) for f in fractions]}
                   for vector in vectors]

    groups = [np.round(rng.normal(loc=0.0, scale=1.0, size=100), 2),
              np.round(rng.normal(loc=0.35, scale=1.2, size=110), 2),
              np.round(rng.normal(loc=0.7, scale=0.9, size=90), 2)]
    group_lists = [[float(v) for v in g] for g in groups]
    kruskal = {"groups": group_lists, "effect": float(epsilon_squared(*groups)),
               **interval(groups, epsilon_squared, 1)}
    anova = {"groups": group_lists, "effect": float(eta_squared(*groups)),
             **interval(groups, eta_squared, 2)}

    table = rng.multinomial(300, [0.14, 0.09, 0.07, 0.08, 0.12, 0.13, 0.11, 0.10, 0.16]).reshape(3, 3)
    rows = np.repeat(np.arange(3), table.sum(axis=1))
    columns = np.concatenate([np.repeat(np.arange(3), r) for r in table])
    chi2 = {"table": table.tolist(),
            "effect": float(st.contingency.association(table, method="cramer")),
            **interval((rows, columns), lambda r, c: cramers_v(r, c, table.shape), 3, paired=True)}

    reference = {
        "generated_by": "make_bootstrap_reference.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
        "n_resamples": N_RESAMPLES,
        "confidence_level": LEVEL,
        "percentiles": percentiles,
        "generator": [generator_case(20240601, 7), generator_case(0, 300),
                      generator_case(MASK, 1_000_003)],
        "kruskal_wallis": kruskal,
        "one_way_anova": anova,
        "chi_square": chi2,
    }
    with open(os.path.join(HERE, "bootstrap.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, sort_keys=True, indent=1, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
