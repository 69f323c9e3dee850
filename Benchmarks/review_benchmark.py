#!/usr/bin/env python3
"""Literature-review speed at 15,000 and 100,000 records: import, deduplication, screening.

Usage: python3 Benchmarks/review_benchmark.py BIN [--records 15000 100000] [--runs 3]

For each size, generates (fixed seed) a BibTeX file of that many records whose titles and
abstracts draw on a 30,000-word vocabulary with a Zipf-like distribution, with 3% planted
duplicates (same DOI) and 2% near-duplicates (same title, year and first author, no DOI); then,
in a new study, times the release `triangulate` end to end:

  paper import FILE                  target <= 2 s at 15,000
  paper dedupe                       target <= 5 s at 15,000 (must not be quadratic)
  paper next (after 20 decisions)    target <= 1 s at 15,000
  paper screen --from (ASReview CSV of a tenth of the records, matched by DOI)
  paper next --stats
  status, nothing changed            target <= 100 ms at 15,000 and 100,000

Runs above 50,000 records are timed once (each takes minutes on two cores). Prints figures
only; asserts nothing.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import tempfile
import time

SETTINGS = """
screening:
  stages: [title-abstract, full-text]
  include: [{id: I1, text: Relevant}]
  exclude: [{id: E1, text: Not relevant}]
"""


def generate(path, count, seed=11):
    rng = random.Random(seed)
    syllables = "ka lo mi ne ru ta po se vi da ge hu zo fe bi wa ny ch st pr".split()
    vocabulary = list({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(30000)})
    weights = [1 / (i + 1) for i in range(len(vocabulary))]

    def words(n):
        return rng.choices(vocabulary, weights=weights, k=n)

    records = []
    for i in range(count):
        records.append({"key": f"rec{i:05d}", "author": f"Family{i}, Given and Other{i % 97}, A.",
                        "title": " ".join(words(9)).title(), "year": 2000 + i % 25, "doi": f"10.1000/r{i:05d}",
                        "abstract": " ".join(words(150))})
    for i in range(int(count * 0.03)):
        twin = dict(records[rng.randrange(len(records))], key=f"dup{i:05d}")
        records.append(twin)
    for i in range(int(count * 0.02)):
        near = dict(records[rng.randrange(count)], key=f"near{i:05d}")
        near.pop("doi")
        records.append(near)
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write("@article{%s,\n" % r["key"])
            for field in ("author", "title", "year", "doi", "abstract"):
                if field in r:
                    f.write("  %s = {%s},\n" % (field, r[field]))
            f.write("  journal = {Journal of Studies}\n}\n\n")
    return len(records)


def timed(binary, args, cwd, check=True):
    start = time.perf_counter()
    result = subprocess.run([binary] + args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if check and result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr.decode()[:400]}")
    return time.perf_counter() - start


def decisions_file(path, count, seed=5):
    """An ASReview-style export of a tenth of the records: title, year, doi, included."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        f.write("record_id,title,year,doi,included\n")
        for i in range(0, count, 10):
            f.write(f"{i},,{2000 + i % 25},10.1000/r{i:05d},{1 if rng.random() < 0.05 else 0}\n")


def run_size(binary, work, records, runs):
    export = os.path.join(work, f"export{records}.bib")
    total = generate(export, records)
    decisions = os.path.join(work, f"decisions{records}.csv")
    decisions_file(decisions, records)
    print(f"\nexport: {total:,} records ({os.path.getsize(export) / 1e6:.1f} MB)")
    figures = {name: [] for name in ("import", "dedupe", "next", "from", "stats", "status")}
    for run in range(runs if records <= 50000 else 1):
        study = os.path.join(work, f"study{records}-{run}")
        subprocess.run([binary, "init", study], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(study, "triangulate.yaml"), "a", encoding="utf-8") as f:
            f.write(SETTINGS)
        figures["import"].append(timed(binary, ["paper", "import", export, "--name", "export.bib", "--database", "scopus"], study))
        figures["dedupe"].append(timed(binary, ["paper", "dedupe"], study))
        listed = subprocess.run([binary, "paper", "list", "--status", "unscreened", "--format", "json"], cwd=study,
                                check=True, capture_output=True)
        unscreened = [row["id"] for row in json.loads(listed.stdout)]
        for i in range(20):
            decision = ["--include"] if i % 2 == 0 else ["--exclude", "E1"]
            subprocess.run([binary, "paper", "screen", unscreened[i * 7], "--reviewer", "ana"] + decision,
                           cwd=study, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        figures["next"].append(timed(binary, ["paper", "next", "--limit", "10"], study))
        figures["from"].append(timed(binary, ["paper", "screen", "--from", decisions, "--reviewer", "ben",
                                              "--unexplained-exclusion", "E1", "--partial"], study))
        figures["stats"].append(timed(binary, ["paper", "next", "--stats"], study))
        # status with nothing changed: the review's statuses come from the index.
        subprocess.run([binary, "status"], cwd=study, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        figures["status"].append(min(timed(binary, ["status"], study, check=False) for _ in range(5)))
    print(f"paper import:              {min(figures['import']):7.2f} s")
    print(f"paper dedupe:              {min(figures['dedupe']):7.2f} s")
    print(f"paper next (20 decisions): {min(figures['next']):7.2f} s")
    print(f"paper screen --from ({records // 10:,} rows): {min(figures['from']):7.2f} s")
    print(f"paper next --stats:        {min(figures['stats']):7.2f} s")
    print(f"status, nothing changed:   {min(figures['status']) * 1000:7.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--records", type=int, nargs="+", default=[15000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="triangulate-review-bench-")
    try:
        for records in args.records:
            run_size(binary, work, records, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
