"""Loads `triangulate matrix --format json` (path in argv[1]) with pandas.json_normalize and checks
that it gives one row per metric whose statistics are numbers, as issue 14 asks.

Prints a JSON summary on success; exits with status 1 and a message otherwise, 77 when pandas is
not installed (the Swift test then skips)."""
import json
import sys

try:
    import pandas as pd
except ImportError:
    sys.exit(77)

with open(sys.argv[1], encoding="utf-8") as handle:
    document = json.load(handle)
frame = pd.json_normalize(document["rows"])
tested = frame[frame["p_adjusted"].notna()]
numeric = [
    "n", "p_adjusted", "p_raw.value", "p_raw.log10", "alpha", "statistic.value", "effect.value", "effect.lower",
    "effect.upper",
]
problems = []
for column in numeric:
    if column not in frame.columns:
        problems.append(f"no column {column}")
    elif not pd.api.types.is_numeric_dtype(tested[column]):
        problems.append(f"column {column} is {tested[column].dtype}, not numeric")
if tested["p_raw.log10"].isna().any():
    problems.append("a tested row has no log10 p")
descriptive = [c for c in frame.columns if c.startswith("descriptives.") and not c.endswith(".name")]
for column in descriptive:
    if not pd.api.types.is_numeric_dtype(frame[column]):
        problems.append(f"column {column} is {frame[column].dtype}, not numeric")
if problems:
    print("; ".join(problems))
    sys.exit(1)
print(json.dumps({
    "rows": int(len(frame)),
    "tested": int(len(tested)),
    "ids": sorted(frame["id"].tolist()),
    "min_log10_p": float(tested["p_raw.log10"].min()),
    "descriptive_columns": len(descriptive),
}))
