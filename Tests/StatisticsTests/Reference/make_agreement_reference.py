#!/usr/bin/env python3
"""Writes agreement.json: rating tables and the inter-coder agreement that reference libraries
compute for them, for the Statistics agreement tests.

Run from anywhere: `python3 make_agreement_reference.py` (needs numpy 2.4, statsmodels 0.15,
scikit-learn 1.9 and krippendorff 0.9, e.g. `pip install statsmodels==0.15.0 scikit-learn==1.9.1
krippendorff==0.9.0`; other versions may change the last digits). The output is deterministic
(fixed seeds, sorted keys). Versions used are recorded in the JSON.

Each case is a table of ratings (units in rows, coders in columns, null for a missing rating) with
optional integer weights: a weight w means the row stands for w identical units. The libraries do
not take weights, so a weighted case is expanded into w copies of each row before it is handed to
them (scikit-learn's `sample_weight` is checked against that expansion for Cohen's kappa).

Measures and sources:
- percent agreement: the share of units, among units rated by at least two coders, on which every
  coder who rated the unit chose the same category. No library defines exactly this, so it is
  computed here with numpy; for two coders it is also checked against the diagonal of the
  contingency table that statsmodels' Cohen's kappa uses.
- Cohen's kappa: `statsmodels.stats.inter_rater.cohens_kappa` on the contingency table of units
  rated by both coders, checked against `sklearn.metrics.cohen_kappa_score`.
- Fleiss' kappa: `statsmodels.stats.inter_rater.fleiss_kappa` on units rated by every coder.
- Krippendorff's alpha (nominal): `krippendorff.alpha`, checked against the coincidence-matrix
  formulas below, which also give the observed and expected agreement.

A measure is recorded as an error (the Swift code must throw CannotTest) where the library raises
or returns NaN, and where the Swift API's documented coder-count rule excludes it (Cohen's kappa
needs exactly two coders, Fleiss' kappa at least three).
"""

import json
import math
import os
import warnings

import krippendorff
import numpy as np
import sklearn
import statsmodels
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

warnings.simplefilter("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))


def expand(ratings, weights):
    """Each row repeated `weight` times: the unweighted table a weighted one stands for."""
    rows = []
    for row, weight in zip(ratings, weights):
        rows.extend([row] * weight)
    return rows


def categories(rows):
    return sorted({label for row in rows for label in row if label is not None})


def percent_agreement(rows):
    used = [[label for label in row if label is not None] for row in rows]
    used = [labels for labels in used if len(labels) >= 2]
    if not used:
        return {"error": True}
    agreeing = sum(1 for labels in used if len(set(labels)) == 1)
    value = agreeing / len(used)
    return {"value": value, "units": len(used), "observed": value}


def cohen(rows, n_coders, weighted_rows=None, weights=None):
    if n_coders != 2:
        return {"error": True}
    both = [row for row in rows if row[0] is not None and row[1] is not None]
    if not both:
        return {"error": True}
    labels = categories(both)
    index = {label: i for i, label in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for a, b in both:
        table[index[a], index[b]] += 1
    result = cohens_kappa(table)
    kappa = float(result.kappa)
    nobs = table.sum()
    observed = float(np.trace(table) / nobs)
    expected = float((table.sum(1) / nobs) @ (table.sum(0) / nobs))
    sk = cohen_kappa_score([a for a, _ in both], [b for _, b in both])
    if math.isnan(kappa):
        assert math.isnan(sk)
        return {"error": True}
    assert abs(sk - kappa) <= 1e-12 * max(1, abs(kappa)), (sk, kappa)
    assert abs((observed - expected) / (1 - expected) - kappa) <= 1e-12, (observed, expected, kappa)
    if weighted_rows is not None:
        pairs = [(row, w) for row, w in zip(weighted_rows, weights) if row[0] is not None and row[1] is not None]
        skw = cohen_kappa_score([r[0] for r, _ in pairs], [r[1] for r, _ in pairs], sample_weight=[w for _, w in pairs])
        assert abs(skw - kappa) <= 1e-12, (skw, kappa)
    return {"value": kappa, "units": len(both), "observed": observed, "expected": expected}


def fleiss(rows, n_coders):
    if n_coders < 3:
        return {"error": True}
    complete = [row for row in rows if all(label is not None for label in row)]
    if not complete:
        return {"error": True}
    labels = categories(complete)
    index = {label: i for i, label in enumerate(labels)}
    coded = np.array([[index[label] for label in row] for row in complete])
    table, _ = aggregate_raters(coded, n_cat=len(labels))
    kappa = float(fleiss_kappa(table))
    if math.isnan(kappa):
        return {"error": True}
    # statsmodels' own intermediate quantities, restated: mean pairwise agreement per unit and the
    # sum of squared category proportions.
    n = n_coders
    observed = float(((table * table).sum(1) - n).mean() / (n * (n - 1.0)))
    proportions = table.sum(0) / table.sum()
    expected = float((proportions * proportions).sum())
    assert abs((observed - expected) / (1 - expected) - kappa) <= 1e-12
    return {"value": kappa, "units": len(complete), "observed": observed, "expected": expected}


def alpha(rows, n_coders):
    labels = categories(rows)
    index = {label: float(i) for i, label in enumerate(labels)}
    data = np.array(
        [[index[row[c]] if row[c] is not None else np.nan for row in rows] for c in range(n_coders)], dtype=float
    ).reshape(n_coders, len(rows))
    try:
        value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:
        return {"error": True}
    if math.isnan(value):
        return {"error": True}
    # The coincidence matrix of Krippendorff (2011), "Computing Krippendorff's alpha-reliability".
    k = len(labels)
    coincidences = np.zeros((k, k))
    units = 0
    for row in rows:
        values = [int(index[label]) for label in row if label is not None]
        m = len(values)
        if m < 2:
            continue
        units += 1
        for i in range(m):
            for j in range(m):
                if i != j:
                    coincidences[values[i], values[j]] += 1.0 / (m - 1)
    marginals = coincidences.sum(0)
    total = marginals.sum()
    observed = float(np.trace(coincidences) / total)
    expected = float(((marginals * (marginals - 1)).sum()) / (total * (total - 1)))
    restated = 1 - (1 - observed) / (1 - expected)
    assert abs(restated - value) <= 1e-12 * max(1, abs(value)), (restated, value)
    return {"value": value, "units": units, "observed": observed, "expected": expected}


def case(name, coders, ratings, weights=None):
    rows = [list(row) for row in ratings]
    expanded = expand(rows, weights) if weights is not None else rows
    results = {
        "percent_agreement": percent_agreement(expanded),
        "cohens_kappa": cohen(expanded, len(coders), rows if weights is not None else None, weights),
        "fleiss_kappa": fleiss(expanded, len(coders)),
        "krippendorff_alpha": alpha(expanded, len(coders)),
    }
    entry = {"name": name, "coders": coders, "ratings": rows, "expected": results}
    if weights is not None:
        entry["weights"] = weights
    return entry


def random_ratings(rng, units, coders, labels, agreement, missing):
    """Each unit has a true label; each coder reports it with probability `agreement`, otherwise
    a uniformly drawn label; each rating is missing with probability `missing`."""
    rows = []
    for _ in range(units):
        truth = labels[rng.integers(len(labels))]
        row = []
        for _ in range(coders):
            if rng.random() < missing:
                row.append(None)
            elif rng.random() < agreement:
                row.append(truth)
            else:
                row.append(labels[rng.integers(len(labels))])
        rows.append(row)
    return rows


def main():
    rng = np.random.default_rng(20261126)
    cases = []

    # Cohen (1960)-style yes/no example: 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no (kappa 0.4).
    textbook = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15
    cases.append(case("two coders, yes/no textbook table", ["a", "b"], textbook))
    cases.append(case("two coders, five categories", ["a", "b"],
                      random_ratings(rng, 200, 2, ["c1", "c2", "c3", "c4", "c5"], 0.7, 0.0)))
    cases.append(case("two coders, missing ratings", ["a", "b"],
                      random_ratings(rng, 150, 2, ["x", "y", "z"], 0.6, 0.2)))
    cases.append(case("two coders, many categories", ["a", "b"],
                      random_ratings(rng, 400, 2, [f"code{i:02d}" for i in range(25)], 0.5, 0.05)))
    cases.append(case("two coders, perfect agreement", ["a", "b"],
                      [[label, label] for label in ["p", "q", "r", "p", "q", "p", "r", "r"]]))
    cases.append(case("two coders, systematic disagreement", ["a", "b"],
                      [["present", "absent"]] * 12 + [["absent", "present"]] * 12))
    cases.append(case("two coders, one coder uses a single category", ["a", "b"],
                      [["present", "present"], ["present", "absent"], ["present", "present"], ["present", "absent"]]))
    cases.append(case("two coders, every rating the same category", ["a", "b"], [["present", "present"]] * 6))
    cases.append(case("two coders, no unit rated by both", ["a", "b"],
                      [["x", None], [None, "y"], [None, "x"]]))
    cases.append(case("two coders, weighted runs", ["a", "b"],
                      [["present", "present"], ["present", "absent"], ["absent", "absent"], ["absent", "present"],
                       ["absent", None], ["present", "present"]],
                      weights=[120, 7, 3000, 15, 40, 1]))

    # Fleiss (1971) worked example as tabulated on Wikipedia (10 subjects, 14 raters, 5
    # categories, kappa 0.210): each subject's category counts, written out as 14 ratings.
    counts = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]
    fleiss_rows = [[f"cat{j + 1}" for j, c in enumerate(row) for _ in range(c)] for row in counts]
    cases.append(case("fourteen coders, Fleiss 1971 example", [f"r{i + 1:02d}" for i in range(14)], fleiss_rows))

    # Krippendorff (2011) nominal example: 4 coders, 12 units, missing values; alpha 0.743.
    k = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    k_rows = [[None if k[c][u] is None else f"v{k[c][u]}" for c in range(4)] for u in range(12)]
    cases.append(case("four coders, Krippendorff 2011 example", ["A", "B", "C", "D"], k_rows))

    cases.append(case("three coders, four categories", ["a", "b", "c"],
                      random_ratings(rng, 120, 3, ["w", "x", "y", "z"], 0.65, 0.0)))
    cases.append(case("three coders, missing ratings", ["a", "b", "c"],
                      random_ratings(rng, 160, 3, ["w", "x", "y"], 0.6, 0.15)))
    cases.append(case("five coders, many categories, missing", ["a", "b", "c", "d", "e"],
                      random_ratings(rng, 300, 5, [f"k{i}" for i in range(12)], 0.55, 0.1)))
    cases.append(case("three coders, perfect agreement", ["a", "b", "c"],
                      [[label] * 3 for label in ["s", "t", "s", "u", "t", "s"]]))
    cases.append(case("three coders, systematic disagreement", ["a", "b", "c"],
                      [["x", "y", "z"], ["y", "z", "x"], ["z", "x", "y"], ["x", "z", "y"]] * 5))
    cases.append(case("three coders, every rating the same category", ["a", "b", "c"],
                      [["absent", "absent", None], ["absent", "absent", "absent"]] * 4))
    cases.append(case("three coders, only one rating per unit", ["a", "b", "c"],
                      [["x", None, None], [None, "y", None], [None, None, "x"]]))
    cases.append(case("three coders, weighted runs with missing", ["a", "b", "c"],
                      [["present", "present", "present"], ["present", "absent", "present"],
                       ["absent", "absent", "absent"], ["absent", None, "present"],
                       ["present", None, None], ["absent", "present", "absent"]],
                      weights=[250, 31, 9000, 77, 12, 5]))
    cases.append(case("four coders, weighted runs, three categories", ["a", "b", "c", "d"],
                      [["x", "x", "x", "y"], ["y", "y", "y", "y"], ["z", "x", None, "z"], ["z", "z", "z", "z"],
                       ["x", "y", "z", "x"]],
                      weights=[3, 44, 2, 17, 6]))
    cases.append(case("two coders, a unit of weight zero", ["a", "b"],
                      [["x", "y"], ["x", "x"], ["y", "y"], ["y", "x"]], weights=[0, 5, 4, 1]))

    output = {
        "generated_by": "make_agreement_reference.py",
        "versions": {
            "numpy": np.__version__,
            "statsmodels": statsmodels.__version__,
            "scikit-learn": sklearn.__version__,
            "krippendorff": getattr(krippendorff, "__version__", "0.9.0"),
        },
        "cases": cases,
    }
    with open(os.path.join(HERE, "agreement.json"), "w", encoding="utf-8") as f:
        json.dump(output, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
