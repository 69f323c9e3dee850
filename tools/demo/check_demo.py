#!/usr/bin/env python3
"""Check the demo study at the repository root for consistency, and print the figures it yields.

Reads: triangulate.yaml, codebooks/*.yaml, corpus/participants.csv, corpus/transcripts/*.docx,
corpus/codings/*.jsonl, corpus/literature/*.bib, corpus/claims/*.yaml, corpus/datasets/*.yaml
and the data files the manifests name. Writes nothing.

Checks that every YAML file parses; code ids are well formed and unique; every participant has a
transcript and every transcript a participant; every coding is a case-level coding of a known
participant with a known code, by the coder its file is named after; claim
papers exist in the .bib and claim codes in the codebook; every metric query runs (in an
in-memory SQLite database built from the manifests) and returns the columns its test needs;
manifests' sha256 and row counts match their files. Then prints the test results computed with
SciPy (when installed), for cross-checking the matrix that `triangulate matrix` prints.
Exits with status 1 and a list of problems if any check fails. Run by hand:
python3 tools/demo/check_demo.py
"""

import csv
import glob
import hashlib
import json
import os
import re
import sqlite3
import sys

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROBLEMS = []


def problem(message):
    PROBLEMS.append(message)


def load_yaml(relative):
    with open(os.path.join(REPO, relative), encoding="utf-8") as f:
        return yaml.safe_load(f)


def check_settings():
    settings = load_yaml("triangulate.yaml")
    for key in ("title", "alpha", "correction", "coders", "interviewer"):
        if key not in settings:
            problem(f"triangulate.yaml: missing {key}")
    if settings.get("correction") not in ("holm", "bonferroni", "benjamini-hochberg", "none"):
        problem("triangulate.yaml: unknown correction")
    return settings


def check_codebooks():
    ids = set()
    pattern = re.compile(r"^[a-z0-9_-]+$")

    def walk(codes, prefix, where):
        for code in codes or []:
            for key in ("id", "name", "definition"):
                if key not in code:
                    problem(f"{where}: code under {prefix or 'root'} lacks {key}")
            if not pattern.match(str(code.get("id", ""))):
                problem(f"{where}: bad code id {code.get('id')!r}")
            full = prefix + str(code.get("id"))
            if full in ids:
                problem(f"{where}: duplicate code {full}")
            ids.add(full)
            walk(code.get("codes"), full + "/", where)

    for path in sorted(glob.glob(os.path.join(REPO, "codebooks/*.yaml"))):
        book = load_yaml(os.path.relpath(path, REPO))
        walk(book.get("codes"), "", os.path.relpath(path, REPO))
    print(f"codebook: {len(ids)} codes")
    return ids


def check_transcripts(settings):
    with open(os.path.join(REPO, "corpus/participants.csv"), encoding="utf-8", newline="") as f:
        people = [row["id"] for row in csv.DictReader(f)]
    stems = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(REPO, "corpus/transcripts/*.docx")))
    if stems != sorted(people):
        problem(f"transcripts {stems} do not match participants {sorted(people)}")
    print(f"participants: {len(people)}, transcripts: {len(stems)}")
    return people


def check_codings(settings, codes, people):
    by_coder = {}
    for path in sorted(glob.glob(os.path.join(REPO, "corpus/codings/*.jsonl"))):
        coder = os.path.splitext(os.path.basename(path))[0]
        if coder not in settings["coders"]:
            problem(f"{coder}.jsonl: coder not declared in triangulate.yaml")
        rows = []
        with open(path, encoding="utf-8") as f:
            for line_number, line in enumerate(f, start=1):
                where = f"{coder}.jsonl:{line_number}"
                row = json.loads(line)
                if list(row) != ["kind", "participant", "code", "coder"] or row["kind"] != "case":
                    problem(f"{where}: expected a case-level coding, found keys {list(row)}")
                if row["coder"] != coder:
                    problem(f"{where}: coder {row['coder']} in {coder}.jsonl")
                if row["code"] not in codes:
                    problem(f"{where}: unknown code {row['code']}")
                if row["participant"] not in people:
                    problem(f"{where}: unknown participant {row['participant']}")
                rows.append(row)
        by_coder[coder] = rows
        print(f"codings: {coder} {len(rows)}")
    return by_coder


def bib_keys():
    keys = set()
    for path in glob.glob(os.path.join(REPO, "corpus/literature/*.bib")):
        with open(path, encoding="utf-8") as f:
            for kind, key in re.findall(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", f.read()):
                if kind.lower() not in ("string", "preamble", "comment"):
                    keys.add(key)
    print(f"bibliography: {sorted(keys)}")
    return keys


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def load_datasets():
    databases = {}
    for path in sorted(glob.glob(os.path.join(REPO, "corpus/datasets/*.yaml"))):
        manifest = load_yaml(os.path.relpath(path, REPO))
        name = manifest["name"]
        if name != os.path.splitext(os.path.basename(path))[0]:
            problem(f"{path}: name {name} differs from the file name")
        database = sqlite3.connect(":memory:")
        for entry in manifest["files"]:
            data = os.path.join(REPO, entry["path"])
            if sha256(data) != entry["sha256"]:
                problem(f"{name}: sha256 of {entry['path']} does not match the manifest")
            with open(data, encoding="utf-8", newline="") as f:
                reader = csv.reader(f)
                header = next(reader)
                # Whole numbers as integers; text (turnover's registry, snapshot and hashed names) as text.
                rows = [[None if v == "" else int(v) if re.fullmatch(r"-?\d+", v) else v for v in row] for row in reader]
            if len(rows) != entry["rows"]:
                problem(f"{name}: {entry['path']} has {len(rows)} rows, manifest says {entry['rows']}")
            columns = ", ".join(header)
            database.execute(f"CREATE TABLE {entry['table']} ({columns})")
            database.executemany(f"INSERT INTO {entry['table']} VALUES ({', '.join('?' * len(header))})", rows)
            print(f"dataset {name}: {entry['table']} {len(rows)} rows, sha256 ok")
        databases[name] = database
    return databases


COLUMNS = {"spearman": [{"x", "y"}], "mann-whitney": [{"grp", "value"}], "welch-t": [{"grp", "value"}],
           "binomial": [{"successes", "trials"}, {"value"}]}
EXPECT = {"spearman": {"positive", "negative", "different"}, "mann-whitney": {"greater", "less", "different"},
          "welch-t": {"greater", "less", "different"}, "binomial": {"greater", "less", "different"}}


def check_claims(codes, keys, databases):
    results = []
    for path in sorted(glob.glob(os.path.join(REPO, "corpus/claims/*.yaml"))):
        claim = load_yaml(os.path.relpath(path, REPO))
        cid = claim["id"]
        if cid != os.path.splitext(os.path.basename(path))[0]:
            problem(f"{path}: id {cid} differs from the file name")
        if not claim.get("sources"):
            problem(f"{cid}: no sources")
        for source in claim.get("sources", []):
            if source["paper"] not in keys:
                problem(f"{cid}: paper {source['paper']} not in the bibliography")
            if "quote" not in source and "note" not in source:
                problem(f"{cid}: a source has neither quote nor note")
        for code in claim.get("codes", []):
            if code not in codes:
                problem(f"{cid}: unknown code {code}")
        if "metrics" not in claim:
            print(f"claim {cid}: not tested (no metrics)")
            continue
        for metric in claim["metrics"]:
            mid, test = metric["id"], metric["test"]
            if metric["dataset"] not in databases:
                problem(f"{mid}: unknown dataset {metric['dataset']}")
                continue
            if metric["expect"] not in EXPECT[test]:
                problem(f"{mid}: expect {metric['expect']} does not fit {test}")
            cursor = databases[metric["dataset"]].execute(metric["query"])
            names = {d[0] for d in cursor.description}
            rows = cursor.fetchall()
            if names not in COLUMNS[test]:
                problem(f"{mid}: query returns {sorted(names)}, {test} needs one of {COLUMNS[test]}")
                continue
            if test in ("mann-whitney", "welch-t") and len(metric.get("groups", [])) != 2:
                problem(f"{mid}: two-group test without two groups")
            if test == "binomial" and "p0" not in metric:
                problem(f"{mid}: binomial test without p0")
            results.append((mid, test, metric, [dict(zip([d[0] for d in cursor.description], r)) for r in rows]))
    return results


def report(results):
    try:
        from scipy import stats
    except ImportError:
        print("SciPy not installed: test figures not computed")
        return
    for mid, test, metric, rows in results:
        if test == "mann-whitney":
            first, second = metric["groups"]
            a = [r["value"] for r in rows if r["grp"] == first]
            b = [r["value"] for r in rows if r["grp"] == second]
            alternative = {"greater": "greater", "less": "less", "different": "two-sided"}[metric["expect"]]
            result = stats.mannwhitneyu(a, b, alternative=alternative)
            delta = 2 * result.statistic / (len(a) * len(b)) - 1
            print(f"{mid}: n={len(a)}+{len(b)} U={result.statistic:.0f} rank-biserial={delta:.4f} p={result.pvalue:.3g}")
        elif test == "spearman":
            result = stats.spearmanr([r["x"] for r in rows], [r["y"] for r in rows])
            print(f"{mid}: n={len(rows)} rho={result.statistic:.4f} p={result.pvalue:.3g}")
        elif test == "binomial":
            if "successes" in rows[0]:
                k, n = rows[0]["successes"], rows[0]["trials"]
            else:
                k, n = sum(r["value"] for r in rows), len(rows)
            alternative = {"greater": "greater", "less": "less", "different": "two-sided"}[metric["expect"]]
            result = stats.binomtest(k, n, metric["p0"], alternative=alternative)
            print(f"{mid}: k={k} n={n} proportion={k / n:.4f} p0={metric['p0']} p={result.pvalue:.3g}")


def main():
    settings = check_settings()
    codes = check_codebooks()
    people = check_transcripts(settings)
    check_codings(settings, codes, people)
    keys = bib_keys()
    databases = load_datasets()
    results = check_claims(codes, keys, databases)
    report(results)
    if PROBLEMS:
        print(f"\n{len(PROBLEMS)} problem(s):")
        for message in PROBLEMS:
            print("  " + message)
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
