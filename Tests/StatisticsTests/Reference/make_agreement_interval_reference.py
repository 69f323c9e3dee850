#!/usr/bin/env python3
"""Writes agreement_intervals.json: standard errors and intervals of agreement coefficients, and
the prevalence-robust coefficients, for the Statistics agreement tests.

Run from anywhere: `python3 make_agreement_interval_reference.py` (numpy 2.4, scipy 1.17,
statsmodels 0.15, krippendorff 0.9, irrCAC 0.4.4 — irrCAC pins old numpy/scipy in its metadata;
install it with `pip install --no-deps irrCAC==0.4.4`, it runs on the versions above).
Deterministic: fixed seeds, sorted keys.

Sources, per measure:
- Cohen's kappa with its standard error and Wald interval: `statsmodels.stats.inter_rater.
  cohens_kappa` (std_kappa, Fleiss, Cohen & Everitt 1969) on the units both coders rated; the
  bounds kappa -/+ z * std_kappa, checked against statsmodels' own kappa_low/kappa_upp at 95%.
  At perfect agreement statsmodels' standard error is NaN; its limit 0 is recorded.
  Computed for every pair of coders (the pairwise kappas).
- Fleiss' kappa with Gwet's standard error and t interval: `irrCAC.raw.CAC(...).fleiss()` on the
  units every coder rated (the units Triangulate's and statsmodels' Fleiss' kappa use), checked
  against statsmodels' `fleiss_kappa`.
- Gwet's AC1 and Brennan-Prediger (PABAK for two coders, two categories): `CAC.gwet()`, `CAC.bp()`
  on the units with at least one rating.
- Krippendorff's alpha: the value from `krippendorff.alpha` (nominal), Gwet's standard error and
  interval from `CAC.krippendorff()` (whose value is checked against the package's).
- Alpha's bootstrap interval: percentile bootstrap over units (20,000 resamples, NumPy), for a
  few tables; the Swift stream differs, so those bounds are compared within Monte-Carlo error.
All irrCAC calls use digits=15 (its default rounds to 5 digits).
"""

import json
import math
import os
import warnings

import krippendorff
import numpy as np
import pandas as pd
import scipy
import statsmodels
from irrCAC.raw import CAC
from scipy.special import ndtri
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

from make_agreement_reference import expand, random_ratings

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))


def cohen_pair(rows, i, j, level):
    both = [(r[i], r[j]) for r in rows if r[i] is not None and r[j] is not None]
    if not both:
        return {"error": True}
    labels = sorted({x for pair in both for x in pair})
    if len(labels) < 2:
        return {"error": True}
    index = {label: k for k, label in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for a, b in both:
        table[index[a], index[b]] += 1
    res = cohens_kappa(table)
    if not np.isfinite(res.kappa) or res.kappa_max == 0 and False:
        return {"error": True}
    pe = (table.sum(1) / table.sum()) @ (table.sum(0) / table.sum())
    if pe >= 1:
        return {"error": True}
    z = ndtri(0.5 + level / 2)
    if not np.isfinite(res.std_kappa) and res.kappa == 1:
        # statsmodels' variance is NaN at perfect agreement (it rounds to a tiny negative);
        # the formula's limit, which Triangulate reports, is 0.
        return {"value": 1.0, "standard_error": 0.0, "lower": 1.0, "upper": 1.0}
    if level == 0.95:
        assert abs(res.kappa_low - (res.kappa - z * res.std_kappa)) < 1e-12
    return {"value": float(res.kappa), "standard_error": float(res.std_kappa),
            "lower": float(res.kappa - z * res.std_kappa), "upper": float(res.kappa + z * res.std_kappa)}


def irr(rows, method, level):
    frame = pd.DataFrame(rows, dtype=object).replace({None: np.nan})
    est = getattr(CAC(frame, confidence_level=level, digits=15), method)()["est"]
    low, high = est["confidence_interval"]
    return {"value": float(est["coefficient_value"]), "standard_error": float(est["se"]),
            "lower": float(low), "upper": float(high)}


def measures(rows, n_coders, level):
    out = {}
    out["pairwise"] = [dict(cohen_pair(rows, i, j, level), first=i, second=j)
                       for i in range(n_coders) for j in range(i + 1, n_coders)]
    pairable = [r for r in rows if sum(x is not None for x in r) >= 1]
    labels = sorted({x for r in pairable for x in r if x is not None})
    two_or_more = [r for r in rows if sum(x is not None for x in r) >= 2]
    if len(labels) >= 2 and len(two_or_more) >= 2:
        out["gwet_ac1"] = irr(pairable, "gwet", level)
        out["brennan_prediger"] = irr(pairable, "bp", level)
    else:
        out["gwet_ac1"] = out["brennan_prediger"] = {"error": True}
    complete = [r for r in rows if all(x is not None for x in r)]
    complete_labels = sorted({x for r in complete for x in r})
    if n_coders >= 3 and len(complete) >= 2 and len(complete_labels) >= 2:
        f = irr(complete, "fleiss", level)
        table, _ = aggregate_raters(np.array([[complete_labels.index(x) for x in r] for r in complete]))
        assert abs(f["value"] - fleiss_kappa(table)) < 1e-12, (f["value"], fleiss_kappa(table))
        out["fleiss_kappa"] = f
    else:
        out["fleiss_kappa"] = {"error": True}
    two_labels = sorted({x for r in two_or_more for x in r if x is not None})
    if len(two_labels) >= 2 and len(two_or_more) >= 2:
        k = irr(two_or_more, "krippendorff", level)
        codes = {label: c for c, label in enumerate(two_labels)}
        data = np.array([[np.nan if r[c] is None else codes[r[c]] for r in rows] for c in range(n_coders)], float)
        value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert abs(value - k["value"]) < 1e-12, (value, k["value"])
        k["value"] = float(value)
        out["krippendorff_alpha"] = k
    else:
        out["krippendorff_alpha"] = {"error": True}
    return out


def alpha_from_counts(counts):
    """Nominal alpha from unit-by-category counts (units with >= 2 ratings), vectorized."""
    m = counts.sum(axis=-1)
    n = m.sum(axis=-1)
    diagonal = (counts * (counts - 1)).sum(axis=-1) / (m - 1)
    totals = counts.sum(axis=-2)
    chance = n * n - (totals * totals).sum(axis=-1)
    return 1 - (n - 1) * (n - diagonal.sum(axis=-1)) / chance


def bootstrap_case(name, coders, rows, weights, resamples, level, rng):
    expanded = expand(rows, weights)
    labels = sorted({x for r in expanded for x in r if x is not None})
    counts = np.array([[sum(x == label for x in r) for label in labels] for r in expanded
                       if sum(x is not None for x in r) >= 2], float)
    point = float(alpha_from_counts(counts))
    draws = rng.integers(0, len(counts), size=(resamples, len(counts)))
    values = alpha_from_counts(counts[draws])
    values = values[np.isfinite(values)]
    tail = (1 - level) / 2
    return {"name": name, "coders": coders, "ratings": rows, "weights": weights, "confidence_level": level,
            "resamples": resamples, "value": point,
            "lower": float(np.percentile(values, 100 * tail)), "upper": float(np.percentile(values, 100 * (1 - tail))),
            "standard_error": float(values.std(ddof=1))}


def main():
    rng = np.random.default_rng(20261202)
    levels = [0.95, 0.9, 0.99]
    cases = []
    shapes = [(2, 2), (2, 3), (2, 4), (3, 2), (3, 3), (4, 2), (4, 4), (5, 3), (6, 2), (3, 5)]
    i = 0
    for coders, k in shapes:
        for units, agreement, missing in [(12, 0.7, 0.0), (60, 0.5, 0.15), (250, 0.85, 0.05), (30, 0.95, 0.3)]:
            labels = [f"c{j}" for j in range(k)]
            rows = random_ratings(rng, units, coders, labels, agreement, missing)
            names = [f"coder{j + 1}" for j in range(coders)]
            level = levels[i % 3]
            cases.append({"name": f"{coders} coders, {k} categories, {units} units, agreement {agreement}, missing {missing}",
                          "coders": names, "ratings": rows, "confidence_level": level,
                          "expected": measures(rows, coders, level)})
            i += 1
    # A rare code: 97.5% agreement, kappa 0, AC1 and PABAK high (the example shape).
    rare = [["absent", "absent"]] * 39 + [["present", "absent"]]
    cases.append({"name": "rare code, 40 units", "coders": ["a", "b"], "ratings": rare, "confidence_level": 0.95,
                  "expected": measures(rare, 2, 0.95)})
    # Weighted (compressed) tables, as the agreement report builds them.
    for name, coders, rows, weights in [
        ("weighted binary, two coders", ["a", "b"],
         [["present", "present"], ["present", "absent"], ["absent", "present"], ["absent", "absent"]], [40, 7, 5, 948]),
        ("weighted binary, three coders with missing", ["a", "b", "c"],
         [["present", "present", "present"], ["present", "absent", None], ["absent", "absent", "absent"],
          ["absent", "present", "absent"], [None, "absent", "absent"]], [30, 6, 400, 9, 25]),
    ]:
        expanded = expand(rows, weights)
        cases.append({"name": name, "coders": coders, "ratings": rows, "weights": weights, "confidence_level": 0.95,
                      "expected": measures(expanded, len(coders), 0.95)})

    bootstrap = [
        bootstrap_case("binary, two coders", ["a", "b"],
                       [["present", "present"], ["present", "absent"], ["absent", "present"], ["absent", "absent"]],
                       [40, 7, 5, 148], 20000, 0.95, rng),
        bootstrap_case("three coders, three categories, missing", ["a", "b", "c"],
                       random_ratings(rng, 80, 3, ["x", "y", "z"], 0.6, 0.1), [1] * 80, 20000, 0.9, rng),
        bootstrap_case("four coders, binary", ["a", "b", "c", "d"],
                       random_ratings(rng, 120, 4, ["yes", "no"], 0.75, 0.0), [1] * 120, 20000, 0.95, rng),
    ]
    out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__,
                        "krippendorff": getattr(krippendorff, "__version__", "0.9"), "irrCAC": "0.4.4"},
           "cases": cases, "bootstrap": bootstrap}
    with open(os.path.join(HERE, "agreement_intervals.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(len(cases), "configurations,", len(bootstrap), "bootstrap tables")


if __name__ == "__main__":
    main()
