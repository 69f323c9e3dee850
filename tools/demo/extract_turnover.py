#!/usr/bin/env python3
"""Derive the turnover demo dataset: the top 1,000 of npm, PyPI and Hugging Face snapshots.

Reads (from the shared data folder beside the repository, ../shared/data by default, or the
folder given as the first argument):
  registries/pypi-top-packages-monthly/top_pypi_packages_30d_history_top4000.csv
      hugovk/top-pypi-packages, monthly top 4,000 by 30-day downloads (no licence stated).
  registries/npm-high-impact-history/npm_top_download_history.csv
      wooorm/npm-high-impact (MIT), ranked by downloads, no counts.
  hf/esem2024-ptm-quantify/PeaTMOSS_ANCIENT.db      HF, about June 2022 (no licence stated).
  hf/liang2024-model-info/model_info.csv            HF, about October 2022 (no licence stated).

The ESEM 2024 paper (Jones et al., turnover.ipynb) used four snapshots per registry: HF Jun 2022,
May 2023, Oct 2023, Apr 2024; npm and PyPI 2023-08-08, 2023-10-22, 2023-11-09, 2024-03-01 (from
ecosyste.ms). The snapshots chosen here are the nearest this data holds (see SNAPSHOTS); only two
HF snapshots exist in it.

Writes (relative to the repository root):
  corpus/datasets/turnover/snapshots.csv
      registry,snapshot,name,downloads,rank -- the top 1,000 of each snapshot, ordered by
      registry, snapshot, rank. `name` is the first 16 hex digits of the SHA-256 of the package
      or model id (identity is all turnover needs; none of the sources licenses redistribution
      of its lists except npm's MIT, and hashing everything keeps one rule). `downloads` is empty
      for npm, whose lists carry ranks only; `rank` is the published rank (npm, PyPI) or the rank
      by downloads, descending, ties by hashed name (HF).
  corpus/datasets/turnover/pandas_reference.json
      the turnover figures computed here with pandas, for the SQL templates to be checked against.

Prints the file's SHA-256 and row count (for corpus/datasets/turnover.yaml) and the figures.
Run by hand: python3 tools/demo/extract_turnover.py. Needs pandas.
"""

import hashlib
import json
import os
import sqlite3
import sys

import pandas as pd

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
K = 1000

# registry -> list of (snapshot label written to the CSV, selector in the source).
SNAPSHOTS = {
    "hf": [("2022-06", "PeaTMOSS_ANCIENT.db"), ("2022-10", "model_info.csv")],
    "npm": [
        ("2023-05-29", "2023-05-29T09:42:39+02:00"),
        ("2023-08-24", "2023-08-24T10:10:41+02:00"),
        ("2023-11-22", "2023-11-22T15:32:46+01:00"),
        ("2024-02-20", "2024-02-20T12:09:17+01:00"),
    ],
    "pypi": [
        ("2023-08-01", "2023-08-01 08:13:19"),
        ("2023-10-01", "2023-10-01 08:13:22"),
        ("2023-11-01", "2023-11-01 09:13:19"),
        ("2024-03-01", "2024-03-01 09:13:24"),
    ],
}

# Two-snapshot comparison at the HF dates (June and October 2022): PyPI has both months;
# npm's history starts in November 2022, so its first two versions stand in.
PAIRED = {
    "hf": ["2022-06", "2022-10"],
    "pypi": ["2022-06-01 08:13:22", "2022-10-01 08:13:20"],
    "npm": ["2022-11-03T18:57:02+01:00", "2023-02-06T10:48:35+01:00"],
}


def hashed(name):
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def top_by_downloads(frame):
    """Top K by downloads (missing last), ties by hashed name, with 1-based rank."""
    frame = frame.assign(name=frame["id"].map(hashed))
    frame = frame.sort_values(["downloads", "name"], ascending=[False, True], na_position="last", kind="mergesort")
    frame = frame.head(K).copy()
    frame["rank"] = range(1, len(frame) + 1)
    return frame[["name", "downloads", "rank"]]


def pypi_snapshot(pypi, selector):
    rows = pypi[pypi["last_update"] == selector].sort_values("rank").head(K)
    if len(rows) != K:
        sys.exit(f"PyPI snapshot {selector}: expected {K} rows, found {len(rows)}")
    return pd.DataFrame({"name": rows["project"].map(hashed), "downloads": rows["download_count"], "rank": rows["rank"]})


def npm_snapshot(npm, selector):
    rows = npm[npm["commit_date"] == selector].sort_values("rank").head(K)
    if len(rows) != K or list(rows["rank"]) != list(range(1, K + 1)):
        sys.exit(f"npm version {selector}: expected ranks 1..{K}")
    return pd.DataFrame({"name": rows["package"].map(hashed), "downloads": pd.NA, "rank": rows["rank"]})


def hf_snapshot(shared, selector):
    if selector.endswith(".db"):
        path = os.path.join(shared, "hf/esem2024-ptm-quantify", selector)
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            frame = pd.read_sql("SELECT modelId AS id, downloads_last_month AS downloads FROM PeaTMOSS_ANCIENT", connection)
    else:
        frame = pd.read_csv(os.path.join(shared, "hf/liang2024-model-info", selector), usecols=["modelId", "downloads"],
                            dtype={"modelId": str}, keep_default_na=False, na_values={"downloads": [""]})
        frame = frame.rename(columns={"modelId": "id"})
    return top_by_downloads(frame)


def turnover(frame):
    """Ever-in-top-K and consecutive retention per registry, computed with pandas."""
    result = {}
    for registry, group in frame.groupby("registry", sort=True):
        snapshots = sorted(group["snapshot"].unique())
        members = {s: set(group.loc[(group["snapshot"] == s) & (group["rank"] <= K), "name"]) for s in snapshots}
        retention = [
            {"from": a, "to": b, "retained": len(members[a] & members[b]), "retention": len(members[a] & members[b]) / len(members[a])}
            for a, b in zip(snapshots, snapshots[1:])
        ]
        result[registry] = {
            "snapshots": snapshots,
            "ever_in_top_k": len(set().union(*members.values())),
            "retention": retention,
        }
    return result


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(REPO), "shared", "data")
    # Package names such as "null" and "nan" exist: read names as text, never as missing values.
    pypi = pd.read_csv(os.path.join(shared, "registries/pypi-top-packages-monthly/top_pypi_packages_30d_history_top4000.csv"),
                       dtype={"project": str, "last_update": str}, keep_default_na=False)
    npm = pd.read_csv(os.path.join(shared, "registries/npm-high-impact-history/npm_top_download_history.csv"),
                      dtype={"package": str, "commit_date": str}, keep_default_na=False)

    parts = []
    for label, selector in SNAPSHOTS["hf"]:
        parts.append(hf_snapshot(shared, selector).assign(registry="hf", snapshot=label))
    for label, selector in SNAPSHOTS["npm"]:
        parts.append(npm_snapshot(npm, selector).assign(registry="npm", snapshot=label))
    for label, selector in SNAPSHOTS["pypi"]:
        parts.append(pypi_snapshot(pypi, selector).assign(registry="pypi", snapshot=label))
    frame = pd.concat(parts, ignore_index=True)[["registry", "snapshot", "name", "downloads", "rank"]]
    frame["downloads"] = frame["downloads"].astype("Int64")
    frame = frame.sort_values(["registry", "snapshot", "rank"], kind="mergesort")

    out_dir = os.path.join(REPO, "corpus", "datasets", "turnover")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, "snapshots.csv")
    frame.to_csv(out, index=False, lineterminator="\n")
    with open(out, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()

    paired_parts = [
        frame[frame["registry"] == "hf"],
        pd.concat([pypi_snapshot(pypi, s).assign(registry="pypi", snapshot=s) for s in PAIRED["pypi"]]),
        pd.concat([npm_snapshot(npm, s).assign(registry="npm", snapshot=s) for s in PAIRED["npm"]]),
    ]
    reference = {
        "k": K,
        "design": {registry: [label for label, _ in chosen] for registry, chosen in SNAPSHOTS.items()},
        "four_snapshot_design": turnover(frame),
        "two_snapshots_2022": turnover(pd.concat(paired_parts, ignore_index=True)),
        "paper_ever_in_top_1000": {"npm": 1127, "pypi": 1429, "hf": 2535},
    }
    with open(os.path.join(out_dir, "pandas_reference.json"), "w", encoding="utf-8") as handle:
        json.dump(reference, handle, indent=2, sort_keys=True)
        handle.write("\n")

    print(f"{os.path.relpath(out, REPO)}: {len(frame)} rows, sha256 {digest}")
    for design in ["four_snapshot_design", "two_snapshots_2022"]:
        print(design)
        for registry, figures in reference[design].items():
            rates = ", ".join(f"{r['retention']:.3f}" for r in figures["retention"])
            print(f"  {registry}: {len(figures['snapshots'])} snapshots, ever in top {K}: {figures['ever_in_top_k']}; retention {rates}")


if __name__ == "__main__":
    main()
