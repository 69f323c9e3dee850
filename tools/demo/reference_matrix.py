#!/usr/bin/env python3
"""SciPy's numbers for every metric of the demo study, for StudyTests to compare the matrix with.

Reads:  triangulate.yaml, corpus/claims/*.yaml, corpus/datasets/*.yaml and their CSV files.
Writes: Tests/StudyTests/Fixtures/demo-reference.json

Each metric's query runs on an in-memory SQLite database loaded from the dataset's CSV files
(integers as INTEGER, other numbers as REAL, empty as NULL), then the test runs through the same
SciPy reference functions as the Statistics tests (Tests/StatisticsTests/Reference), and the
p-values are adjusted across the matrix with statsmodels. Run it by hand when the demo changes.
"""
import csv
import glob
import json
import os
import sqlite3
import sys

import yaml
from statsmodels.stats.multitest import multipletests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "StatisticsTests", "Reference"))
import make_reference as ref  # noqa: E402


def value(text):
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def load_dataset(name):
    with open(os.path.join(ROOT, "corpus", "datasets", name + ".yaml"), encoding="utf-8") as f:
        manifest = yaml.safe_load(f)
    db = sqlite3.connect(":memory:")
    for item in manifest["files"]:
        with open(os.path.join(ROOT, item["path"]), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        # Type overrides in the manifest win, as in triangulate's import (hashed names like
        # "123e4567890abcde" must stay text, not become numbers).
        text_columns = {name for name, kind in (item.get("columns") or {}).items() if kind == "text"}
        db.execute(f'CREATE TABLE "{item["table"]}" ({", ".join(chr(34) + c + chr(34) for c in header)})')
        db.executemany(f'INSERT INTO "{item["table"]}" VALUES ({", ".join("?" * len(header))})',
                       [[v if header[i] in text_columns else value(v) for i, v in enumerate(row)] for row in body])
    return db


def evaluate(metric, db):
    cursor = db.execute(metric["query"])
    columns = [d[0].lower() for d in cursor.description]
    rows = cursor.fetchall()
    test = metric["test"]
    alternative = "two-sided" if metric.get("sided", "two") == "two" else (
        "greater" if metric["expect"] in ("greater", "positive") else "less")
    if test == "spearman":
        pairs = [(r[columns.index("x")], r[columns.index("y")]) for r in rows]
        pairs = [p for p in pairs if p[0] is not None and p[1] is not None]
        case = ref.spearman_case(metric["id"], [p[0] for p in pairs], [p[1] for p in pairs], alternative)
    elif test in ("mann-whitney", "welch-t"):
        first, second = (str(g) for g in metric["groups"])
        g, v = columns.index("grp"), columns.index("value")
        a = [r[v] for r in rows if r[v] is not None and str(r[g]) == first]
        b = [r[v] for r in rows if r[v] is not None and str(r[g]) == second]
        case = (ref.mwu_case if test == "mann-whitney" else ref.welch_case)(metric["id"], a, b, alternative)
    elif test == "fisher":
        rows_, cols_ = [str(g) for g in metric["groups"]], [str(l) for l in metric["levels"]]
        table = [[0, 0], [0, 0]]
        for r in rows:
            a, b = str(r[columns.index("a")]), str(r[columns.index("b")])
            count = r[columns.index("count")] if "count" in columns else 1
            if a in rows_ and b in cols_:
                table[rows_.index(a)][cols_.index(b)] += count
        case = ref.fisher_case(metric["id"], table, alternative)
    else:
        if "successes" in columns:
            k, n = rows[0][columns.index("successes")], rows[0][columns.index("trials")]
        else:
            values = [r[columns.index("value")] for r in rows if r[columns.index("value")] is not None]
            k, n = int(sum(values)), len(values)
        case = ref.binomial_case(metric["id"], k, n, metric.get("p0", 0.5), alternative)
    expected = case["expected"]
    return {key: expected[key] for key in ("n", "statistic", "p_value", "effect", "lower", "upper")}


def main():
    with open(os.path.join(ROOT, "triangulate.yaml"), encoding="utf-8") as f:
        settings = yaml.safe_load(f)
    datasets, results = {}, {}
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "claims", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            claim = yaml.safe_load(f)
        for metric in claim.get("metrics") or []:
            name = metric["dataset"]
            if name not in datasets:
                datasets[name] = load_dataset(name)
            results[f'{claim["id"]}/{metric["id"]}'] = evaluate(metric, datasets[name])
    keys = sorted(results)
    method = {"holm": "holm", "bonferroni": "bonferroni", "benjamini-hochberg": "fdr_bh"}[settings.get("correction", "holm")]
    adjusted = multipletests([results[k]["p_value"] for k in keys], method=method)[1]
    for key, p in zip(keys, adjusted):
        results[key]["p_adjusted"] = ref.num(p)
    out = os.path.join(ROOT, "Tests", "StudyTests", "Fixtures", "demo-reference.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"generated_by": "tools/demo/reference_matrix.py", "metrics": results}, f, sort_keys=True, indent=1)
        f.write("\n")
    print(json.dumps(results, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
