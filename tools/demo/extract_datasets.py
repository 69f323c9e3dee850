#!/usr/bin/env python3
"""Derive the demo study's dataset files from the seed papers' real data.

Reads (from the shared data folder beside the repository, ../shared/data by default,
or the folder given as the first argument):
  hf/liang2024-model-info/model_info.csv
      74,970 Hugging Face models (about Oct 2022), Liang et al. 2024.
  hf/esem2024-ptm-quantify/number_of_direct_descendant_models_per_download.csv
      3,471 base models (downloads, direct descendants), Jones et al. 2024.

Writes (relative to the repository root):
  corpus/datasets/hf-2022/models.csv
      has_card,downloads,created_year -- one row per model, input order kept.
      No model ids, no authors: only derived numbers.
      created_year is empty where the upstream creation_time is missing (173 rows).
  corpus/datasets/hf-descendants/base_models.csv
      downloads,descendants -- one row per base model, input order kept. No names.

Prints each output's path, row count and SHA-256, the values that the manifests
corpus/datasets/hf-2022.yaml and corpus/datasets/hf-descendants.yaml must carry.
Run by hand (python3 tools/demo/extract_datasets.py); never run at build or run time.
Standard library only.
"""

import csv
import hashlib
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def integral(text, what, line):
    """Parse a float-formatted count such as '31924518.0' as an exact integer."""
    value = float(text)
    if value != int(value) or value < 0:
        sys.exit(f"{what} line {line}: expected a non-negative whole number, found {text!r}")
    return int(value)


def write_rows(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    rel = os.path.relpath(path, REPO)
    print(f"{rel}: rows={len(rows)} bytes={os.path.getsize(path)} sha256={digest}")


def models(shared):
    source = os.path.join(shared, "hf/liang2024-model-info/model_info.csv")
    rows = []
    with open(source, encoding="utf-8", newline="") as f:
        for line, record in enumerate(csv.DictReader(f), start=2):
            card = {"True": 1, "False": 0}.get(record["has_modelcard"])
            if card is None:
                sys.exit(f"{source} line {line}: has_modelcard must be True or False, found {record['has_modelcard']!r}")
            downloads = integral(record["downloads"], source, line)
            created = record["creation_time"].strip()
            year = created[:4] if created else ""
            if year and not year.isdigit():
                sys.exit(f"{source} line {line}: creation_time does not start with a year: {created!r}")
            rows.append((card, downloads, year))
    if len(rows) != 74970:
        sys.exit(f"{source}: expected 74,970 models, found {len(rows)}")
    write_rows(os.path.join(REPO, "corpus/datasets/hf-2022/models.csv"),
               ("has_card", "downloads", "created_year"), rows)


def descendants(shared):
    source = os.path.join(shared, "hf/esem2024-ptm-quantify/number_of_direct_descendant_models_per_download.csv")
    rows = []
    with open(source, encoding="utf-8", newline="") as f:
        for line, record in enumerate(csv.DictReader(f), start=2):
            rows.append((integral(record["downloads"], source, line), integral(record["count"], source, line)))
    if len(rows) != 3471:
        sys.exit(f"{source}: expected 3,471 base models, found {len(rows)}")
    write_rows(os.path.join(REPO, "corpus/datasets/hf-descendants/base_models.csv"),
               ("downloads", "descendants"), rows)


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(REPO), "shared/data")
    models(shared)
    descendants(shared)


if __name__ == "__main__":
    main()
