#!/usr/bin/env python3
"""Literature-review speed at 15,000 records: import, deduplication, prioritised screening.

Usage: python3 Benchmarks/review_benchmark.py BIN [--records 15000] [--runs 3]

Generates (fixed seed) a BibTeX file of 15,000 records whose titles and abstracts draw on a
30,000-word vocabulary with a Zipf-like distribution, with 3% planted duplicates (same DOI) and 2%
near-duplicates (same title, year and first author, no DOI); then, in a new study, times the
release `triangulate` end to end:

  paper import FILE                  target <= 2 s
  paper dedupe                       target <= 5 s
  paper next (after 20 decisions)    target <= 1 s

Prints figures only; asserts nothing.
"""
import argparse
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--records", type=int, default=15000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="triangulate-review-bench-")
    try:
        export = os.path.join(work, "export.bib")
        total = generate(export, args.records)
        print(f"export: {total:,} records ({os.path.getsize(export) / 1e6:.1f} MB)")
        imports, dedupes, nexts, statuses = [], [], [], []
        for run in range(args.runs):
            study = os.path.join(work, f"study{run}")
            subprocess.run([binary, "init", study], check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(study, "triangulate.yaml"), "a", encoding="utf-8") as f:
                f.write(SETTINGS)
            imports.append(timed(binary, ["paper", "import", export, "--database", "scopus"], study))
            dedupes.append(timed(binary, ["paper", "dedupe"], study))
            for i in range(20):
                decision = ["--include"] if i % 2 == 0 else ["--exclude", "E1"]
                subprocess.run([binary, "paper", "screen", f"export.bib#rec{i * 7:05d}", "--reviewer", "ana"] + decision,
                               cwd=study, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            nexts.append(timed(binary, ["paper", "next", "--limit", "10"], study))
            # status with nothing changed: the review's statuses come from the index.
            subprocess.run([binary, "status"], cwd=study, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            statuses.append(min(timed(binary, ["status"], study, check=False) for _ in range(5)))
        print(f"paper import:              {min(imports):6.2f} s   target <= 2 s")
        print(f"paper dedupe:              {min(dedupes):6.2f} s   target <= 5 s")
        print(f"paper next (20 decisions): {min(nexts):6.2f} s   target <= 1 s")
        print(f"status, nothing changed:   {min(statuses) * 1000:6.1f} ms  target <= 100 ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
