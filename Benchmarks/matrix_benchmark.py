#!/usr/bin/env python3
"""Benchmark (b): `triangulate matrix` for claims C1, C3, C4 on a 1M-row hf-2022 against pandas + SciPy.

Usage: python3 Benchmarks/matrix_benchmark.py PATH/TO/triangulate [--rows N] [--runs R]

Builds a temporary copy of the demo study (triangulate.yaml, codebooks, corpus) whose hf-2022
`models.csv` is replaced by N generated rows and whose claims are only C1, C3 and C4, then times
`triangulate matrix` cold (the dataset is imported first: two passes, SHA-256, typed table) and
warm (the derived database is current), against `matrix_pandas.py` on the same CSV. Prints the
best of R runs of each and the ratios; asserts nothing.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from generate import hf_models  # noqa: E402


def timed(command, **kwargs):
    start = time.perf_counter()
    result = subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("triangulate", help="the triangulate executable (a release build)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.triangulate)

    with tempfile.TemporaryDirectory(prefix="triangulate-matrix-bench-") as work:
        study = os.path.join(work, "study")
        os.makedirs(study)
        shutil.copy(os.path.join(REPO, "triangulate.yaml"), study)
        shutil.copytree(os.path.join(REPO, "codebooks"), os.path.join(study, "codebooks"))
        shutil.copytree(os.path.join(REPO, "corpus"), os.path.join(study, "corpus"))
        for claim in os.listdir(os.path.join(study, "corpus", "claims")):
            if claim not in ("C1.yaml", "C3.yaml", "C4.yaml"):
                os.remove(os.path.join(study, "corpus", "claims", claim))
        data = os.path.join(study, "corpus", "datasets", "hf-2022", "models.csv")
        hf_models(args.rows).to_csv(data, index=False)
        manifest = os.path.join(study, "corpus", "datasets", "hf-2022.yaml")
        with open(manifest, encoding="utf-8") as handle:
            text = handle.read()
        text = re.sub(r"\n\s+(sha256|rows): \S+", "", text)
        with open(manifest, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"input: {args.rows:,} rows (has_card, downloads, created_year), {os.path.getsize(data) / 1e6:.1f} MB")

        cold, warm, pandas = [], [], []
        output = ""
        for _ in range(args.runs):
            shutil.rmtree(os.path.join(study, ".triangulate"), ignore_errors=True)
            seconds, output = timed([binary, "matrix", "--study", study])
            cold.append(seconds)
            warm.append(timed([binary, "matrix", "--study", study])[0])
            pandas.append(timed([sys.executable, os.path.join(HERE, "matrix_pandas.py"), data])[0])

    print(output.strip())
    print(f"triangulate matrix, cold (imports the dataset): {min(cold):.2f} s")
    print(f"triangulate matrix, warm (dataset current):     {min(warm):.2f} s")
    print(f"pandas + SciPy (reads the CSV):                 {min(pandas):.2f} s")
    print(f"ratio cold / pandas: {min(cold) / min(pandas):.2f}x; warm / pandas: {min(warm) / min(pandas):.2f}x")


if __name__ == "__main__":
    main()
