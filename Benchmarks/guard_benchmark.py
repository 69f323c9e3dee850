#!/usr/bin/env python3
"""Benchmark (e): what the query guard costs a metric query, against SQLite without it.

Usage: python3 Benchmarks/guard_benchmark.py PATH/TO/triangulate [--rows N] [--runs R]

Imports N generated hf-2022 rows into a new study, then times, as `triangulate dataset query`
(process start, manifest, a guarded connection: allow-list authorizer, defensive mode, untrusted
schema, limits), three queries against the same SQL run by the `sqlite3` shell on the same derived
database with no guard:

- `SELECT 1`: the fixed cost of a command and of opening one guarded connection;
- a grouped aggregate over every row: the cost while SQLite steps (the authorizer runs only while a
  statement compiles, so it should be nil);
- a metric that streams every row (`grp`, `value`) to the caller, the shape the matrix reads.

Prints the best of R runs of each and the differences; asserts nothing.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from generate import hf_models  # noqa: E402

QUERIES = [
    ("open + SELECT 1", "SELECT 1"),
    ("aggregate over all rows", "SELECT has_card, COUNT(*), AVG(downloads), MAX(created_year) FROM models GROUP BY has_card"),
    ("stream all rows", "SELECT has_card AS grp, downloads AS value FROM models"),
]


def best(command, runs, **kwargs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("triangulate", help="the triangulate executable (a release build)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    binary = os.path.abspath(args.triangulate)
    if shutil.which("sqlite3") is None:
        sys.exit("needs the sqlite3 shell on the PATH")

    with tempfile.TemporaryDirectory(prefix="triangulate-guard-bench-") as study:
        shutil.copy(os.path.join(REPO, "triangulate.yaml"), study)
        data = os.path.join(study, "models.csv")
        hf_models(args.rows).to_csv(data, index=False)
        subprocess.run([binary, "dataset", "import", "bench", data, "--table", "models", "--study", study],
                       check=True, capture_output=True)
        database = os.path.join(study, ".triangulate", "datasets", "bench.sqlite")
        print(f"input: {args.rows:,} rows; best of {args.runs} runs each")
        print(f"{'query':<26}{'guarded (triangulate)':>24}{'sqlite3, no guard':>20}{'difference':>12}")
        for label, sql in QUERIES:
            guarded = best([binary, "dataset", "query", "bench", sql, "--limit", "0", "--format", "csv", "--study", study],
                           args.runs)
            plain = best(["sqlite3", "-readonly", "-csv", database, sql], args.runs)
            print(f"{label:<26}{guarded:>22.3f} s{plain:>18.3f} s{guarded - plain:>+10.3f} s")


if __name__ == "__main__":
    main()
