#!/usr/bin/env python3
"""Benchmark (a): `triangulate dataset import` of a 1M-row, 10-column CSV against sqlite3's `.import`.

Usage: python3 Benchmarks/import_benchmark.py PATH/TO/triangulate [--rows N] [--runs R]

Prints the best of R wall-clock times for each tool and their ratio; asserts nothing. sqlite3 is
timed twice: `.import` into a new table (every column TEXT, no checks), and `.import` into a table
declared with the same column types Triangulate infers (SQLite then converts each value). The
Triangulate time includes what `.import` does not do: a first pass that checks UTF-8 and field
counts and infers types, the SHA-256 of the file, and the manifest it writes.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import model_metadata  # noqa: E402

TYPED_SCHEMA = """CREATE TABLE models (model_id TEXT, author TEXT, task TEXT, library TEXT, downloads INTEGER,
likes INTEGER, has_card TEXT, created_year INTEGER, size_mb REAL, license TEXT);"""


def best_of(runs, setup, command, **kwargs):
    times = []
    for _ in range(runs):
        setup()
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("triangulate", help="the triangulate executable (a release build)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.triangulate)
    sqlite3 = shutil.which("sqlite3") or sys.exit("sqlite3 is not on PATH")

    with tempfile.TemporaryDirectory(prefix="triangulate-bench-") as work:
        study = os.path.join(work, "study")
        subprocess.run([binary, "init", study], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        data = os.path.join(study, "models.csv")
        model_metadata(args.rows).to_csv(data, index=False)
        size = os.path.getsize(data)
        print(f"input: {args.rows:,} rows x 10 columns, {size / 1e6:.1f} MB")

        def reset_study():
            shutil.rmtree(os.path.join(study, ".triangulate"), ignore_errors=True)
            manifest = os.path.join(study, "corpus", "datasets", "bench.yaml")
            if os.path.exists(manifest):
                os.remove(manifest)

        ours = best_of(args.runs, reset_study,
                       [binary, "dataset", "import", "bench", "models.csv", "--table", "models", "--study", study],
                       cwd=study, stderr=subprocess.DEVNULL)

        database = os.path.join(work, "sqlite.db")

        def reset_database(schema=None):
            def reset():
                if os.path.exists(database):
                    os.remove(database)
                if schema:
                    subprocess.run([sqlite3, database, schema], check=True)
            return reset

        plain = best_of(args.runs, reset_database(), [sqlite3, database, "-cmd", ".mode csv", f".import {data} models"])
        typed = best_of(args.runs, reset_database(TYPED_SCHEMA),
                        [sqlite3, database, "-cmd", ".mode csv", f".import --skip 1 {data} models"])

    print(f"triangulate dataset import: {ours:.2f} s")
    print(f"sqlite3 .import (all TEXT): {plain:.2f} s   ratio {ours / plain:.2f}x")
    print(f"sqlite3 .import (typed):    {typed:.2f} s   ratio {ours / typed:.2f}x")
    print("target: ratio <= 1.5x")


if __name__ == "__main__":
    main()
