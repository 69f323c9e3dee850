#!/usr/bin/env python3
"""Reference turnover figures for TurnoverSQLTests, computed with pandas.

The definitions are those of Jones et al. (ESEM 2024), turnover.ipynb in
PurdueDualityLab/ptm-quantify-esem-2024: in each snapshot after the first, the top K splits into
names that remained (in the previous top K), returning names (not in the previous top K but in an
earlier one) and newcomers (never in the top K before); in the first snapshot all are newcomers;
ever_in_top_k counts the distinct names seen so far. Ranking as TurnoverSQL documents it: by
downloads (missing last) or by a rank column, then by name; a name listed twice in a snapshot
counts once, at its best row; rows without a name are ignored.

Inputs: turnover_fixture.csv (beside this script; ties, duplicates, missing downloads and names,
a returning name) and corpus/datasets/turnover/snapshots.csv of the repository (the demo, ranked
by its rank column, K = 1000). Output: turnover_reference.json beside this script.
Run by hand: python3 Tests/DatasetsTests/Reference/turnover_reference.py (needs pandas).
"""

import json
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def top_k(frame, k, key, ascending):
    """The top-k names of each (registry, snapshot) as a dict of sets."""
    frame = frame[frame["name"].notna()]
    ordered = frame.sort_values([key, "name"], ascending=[ascending, True], na_position="last", kind="mergesort")
    unique = ordered.drop_duplicates(["registry", "snapshot", "name"], keep="first")
    result = {}
    for (registry, snapshot), group in unique.groupby(["registry", "snapshot"], sort=True):
        result.setdefault(registry, {})[snapshot] = list(group["name"].head(k))
    return result


def turnover(tops):
    rows = []
    for registry in sorted(tops):
        ever = set()
        previous_name, previous = None, None
        for snapshot in sorted(tops[registry]):
            current = set(tops[registry][snapshot])
            if previous is None:
                newcomers, returning, remained, departed = len(current), 0, 0, None
            else:
                entered = current - previous
                returning = len(entered & ever)
                newcomers = len(entered - ever)
                remained = len(current & previous)
                departed = len(previous - current)
            ever |= current
            rows.append({"registry": registry, "from_snapshot": previous_name, "snapshot": snapshot, "top_k": len(current),
                         "newcomers": newcomers, "returning": returning, "remained": remained, "departed": departed,
                         "ever_in_top_k": len(ever)})
            previous_name, previous = snapshot, current
    return rows


def main():
    fixture = pd.read_csv(os.path.join(HERE, "turnover_fixture.csv"), dtype={"name": str, "snapshot": str})
    demo = pd.read_csv(os.path.join(REPO, "corpus/datasets/turnover/snapshots.csv"), dtype={"name": str, "snapshot": str},
                       keep_default_na=False, na_values={"downloads": [""]})
    reference = {
        "fixture": {str(k): turnover(top_k(fixture, k, "downloads", False)) for k in (1, 2, 3)},
        "demo_k1000_by_rank": turnover(top_k(demo, 1000, "rank", True)),
    }
    with open(os.path.join(HERE, "turnover_reference.json"), "w", encoding="utf-8") as handle:
        json.dump(reference, handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
