#!/usr/bin/env python3
"""Import and deduplication at 100,000 records, and dedupe's growth with the size of one group.

Usage: python3 Benchmarks/dedupe_scaling.py BIN [--records 100000] [--runs 1]

(1) The export of review_benchmark.py at 100,000 records (plus 3% duplicates sharing a DOI and
2% sharing title, year and first author): times `paper import` and `paper dedupe` in a new
study, with the peak memory of each process.
(2) Exports of 20,000 records of which G are copies of one record (same title, author and year,
no DOI), for G = 1,000, 2,000, 4,000 and 8,000: `paper dedupe` must grow linearly in G (issue 9:
4,000 such records took 54 s and 1.3 GB when every pair was kept).

Prints figures only; asserts nothing.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from review_benchmark import SETTINGS, generate  # noqa: E402


def timed(binary, args, cwd):
    """Wall-clock seconds and peak resident memory (MB) of one run of `binary args`."""
    start = time.perf_counter()
    process = subprocess.Popen([binary] + args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()[:400]}")
    return elapsed, usage.ru_maxrss / 1024


def study_with(binary, work, name, export):
    study = os.path.join(work, name)
    subprocess.run([binary, "init", study], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(study, "triangulate.yaml"), "a", encoding="utf-8") as f:
        f.write(SETTINGS)
    return study


def copies(path, total, group):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(total):
            title = "Model driven engineering with large language models" if i < group else f"Distinct study number {i} of topic {i % 311}"
            author = "Doe, Jane" if i < group else f"Family{i}, Given"
            f.write("@article{r%06d,\n  author = {%s},\n  title = {%s},\n  year = {2024},\n  journal = {J}\n}\n\n" % (i, author, title))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--records", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="triangulate-dedupe-bench-")
    try:
        export = os.path.join(work, "export.bib")
        total = generate(export, args.records)
        print(f"(1) export: {total:,} records ({os.path.getsize(export) / 1e6:.1f} MB)")
        imports, dedupes = [], []
        for run in range(args.runs):
            study = study_with(binary, work, f"big{run}", export)
            imports.append(timed(binary, ["paper", "import", export, "--database", "scopus"], study))
            dedupes.append(timed(binary, ["paper", "dedupe"], study))
        best_import = min(imports)
        best_dedupe = min(dedupes)
        print(f"    paper import: {best_import[0]:7.2f} s, {best_import[1]:7.0f} MB peak")
        print(f"    paper dedupe: {best_dedupe[0]:7.2f} s, {best_dedupe[1]:7.0f} MB peak")
        print("(2) 20,000 records, G copies of one record:")
        for group in (1000, 2000, 4000, 8000):
            path = os.path.join(work, f"copies{group}.bib")
            copies(path, 20000, group)
            study = study_with(binary, work, f"copies{group}", path)
            timed(binary, ["paper", "import", path, "--database", "scopus"], study)
            seconds, memory = timed(binary, ["paper", "dedupe"], study)
            print(f"    G = {group:5,}: paper dedupe {seconds:6.2f} s, {memory:6.0f} MB peak")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
