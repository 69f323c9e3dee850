#!/usr/bin/env python3
"""Benchmark (g), issue 17: 20 claims on 1M and 10M rows, Triangulate against pandas + SciPy and DuckDB + SciPy.

Usage: python3 Benchmarks/speed_benchmark.py PATH/TO/triangulate [--rows 1000000,10000000] [--runs 3] [--jobs N]
       python3 Benchmarks/speed_benchmark.py --baseline pandas|duckdb MODELS_CSV   (one baseline run, JSON p-values)

For each size, generates the 10-column model-metadata CSV of benchmark (a) (generate.py, fixed
seeds, written in 1M-row chunks), makes a study with that file as dataset `bench` and the 20
claims of CLAIMS below (Mann-Whitney, Welch, Student, Kruskal-Wallis, ANOVA, chi-square with
and without counts, Spearman, Pearson, Kendall, binomial with and without counts, Fisher, paired
t), and times, as medians of --runs interleaved runs, each a separate process:

  import         `triangulate dataset import` (two passes, SHA-256, typed table), peak RSS;
                 against DuckDB `CREATE TABLE … AS SELECT * FROM read_csv_auto(…)` into a new file
  matrix cold    `triangulate matrix` with no .triangulate/ (imports, then runs all 20 metrics);
                 against pandas + SciPy and DuckDB + SciPy reading the same CSV and running the
                 same 20 tests (the baselines below, run with --baseline)
  matrix compute `triangulate matrix --no-cache` on a current derived database (queries and tests)
  matrix warm    `triangulate matrix` on the unchanged study (stored results)

and checks that the three agree on every p-value (relative difference ≤ 1e-6, or both below
1e-300). Prints the figures and the ratios; asserts nothing. DuckDB (pip install duckdb) is
used only here, as a baseline.
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

HAS_CARD = "CAST(has_card AS INTEGER)"

# id, test, query (valid in SQLite and DuckDB), options written into the claim file.
CLAIMS = [
    ("C01", "mann-whitney", f"SELECT {HAS_CARD} AS grp, downloads AS value FROM models",
     {"expect": "greater", "groups": "[1, 0]", "sided": "one"}),
    ("C02", "mann-whitney", f"SELECT {HAS_CARD} AS grp, likes AS value FROM models",
     {"expect": "greater", "groups": "[1, 0]"}),
    ("C03", "welch-t", f"SELECT {HAS_CARD} AS grp, size_mb AS value FROM models",
     {"expect": "greater", "groups": "[1, 0]"}),
    ("C04", "student-t", f"SELECT {HAS_CARD} AS grp, created_year AS value FROM models",
     {"expect": "greater", "groups": "[1, 0]"}),
    ("C05", "kruskal-wallis", "SELECT task AS grp, downloads AS value FROM models", {"expect": "different"}),
    ("C06", "kruskal-wallis", "SELECT library AS grp, size_mb AS value FROM models", {"expect": "different"}),
    ("C07", "anova", "SELECT library AS grp, size_mb AS value FROM models", {"expect": "different"}),
    ("C08", "anova", "SELECT created_year AS grp, likes AS value FROM models", {"expect": "different"}),
    ("C09", "chi-square", "SELECT task AS a, library AS b FROM models", {"expect": "different"}),
    ("C10", "chi-square", f"SELECT license AS a, {HAS_CARD} AS b FROM models WHERE license IS NOT NULL",
     {"expect": "different"}),
    ("C11", "chi-square", "SELECT created_year AS a, task AS b, COUNT(*) AS count FROM models GROUP BY created_year, task",
     {"expect": "different"}),
    ("C12", "spearman", "SELECT downloads AS x, likes AS y FROM models", {"expect": "positive"}),
    ("C13", "spearman", "SELECT size_mb AS x, downloads AS y FROM models", {"expect": "positive"}),
    ("C14", "pearson", "SELECT size_mb AS x, created_year AS y FROM models", {"expect": "positive"}),
    ("C15", "pearson", "SELECT likes AS x, downloads AS y FROM models", {"expect": "positive"}),
    ("C16", "kendall", "SELECT created_year AS x, likes AS y FROM models WHERE task = 'translation'", {"expect": "positive"}),
    ("C17", "binomial", f"SELECT {HAS_CARD} AS value FROM models", {"expect": "less", "p0": "0.5"}),
    ("C18", "binomial", f"SELECT SUM({HAS_CARD}) AS successes, COUNT(*) AS trials FROM models WHERE downloads >= 1000",
     {"expect": "greater", "p0": "0.5"}),
    ("C19", "fisher", f"SELECT {HAS_CARD} AS a, CASE WHEN downloads > 0 THEN 1 ELSE 0 END AS b FROM models",
     {"expect": "greater", "groups": "[1, 0]", "levels": "[1, 0]"}),
    ("C20", "paired-t", "SELECT size_mb AS x, likes AS y FROM models", {"expect": "greater"}),
]


# MARK: The baselines: the same 20 tests with SciPy, the data from pandas or from DuckDB.

def scipy_p(test, options, data):
    """The p-value SciPy gives for one claim; `data` holds the query's columns as NumPy arrays."""
    import numpy as np
    from scipy import stats

    sided = options.get("sided", "two")
    alternative = "two-sided" if sided == "two" else ("greater" if options["expect"] in ("greater", "positive") else "less")
    if test in ("mann-whitney", "welch-t", "student-t"):
        grp, value = data["grp"], data["value"]
        keep = ~np.isnan(value)
        a, b = value[keep & (grp == 1)], value[keep & (grp == 0)]
        if test == "mann-whitney":
            return stats.mannwhitneyu(a, b, alternative=alternative).pvalue
        return stats.ttest_ind(a, b, equal_var=test == "student-t", alternative=alternative).pvalue
    if test in ("kruskal-wallis", "anova"):
        grp, value = data["grp"], data["value"]
        keep = ~np.isnan(value)
        grp, value = grp[keep], value[keep]
        order = np.argsort(grp, kind="stable")
        labels, starts = np.unique(grp[order], return_index=True)
        groups = np.split(value[order], starts[1:])
        return (stats.kruskal if test == "kruskal-wallis" else stats.f_oneway)(*groups).pvalue
    if test in ("chi-square", "fisher"):
        a, b = data["a"].astype(str), data["b"].astype(str)
        count = data.get("count", np.ones(len(a)))
        rows, row_index = np.unique(a, return_inverse=True)
        cols, col_index = np.unique(b, return_inverse=True)
        table = np.zeros((len(rows), len(cols)))
        np.add.at(table, (row_index, col_index), count)
        if test == "chi-square":
            return stats.chi2_contingency(table).pvalue
        order = [list(rows).index("1"), list(rows).index("0")], [list(cols).index("1"), list(cols).index("0")]
        table = table[np.ix_(order[0], order[1])].astype(np.int64)
        return stats.fisher_exact(table, alternative=alternative).pvalue
    if test in ("spearman", "pearson", "kendall", "paired-t"):
        x, y = data["x"].astype(float), data["y"].astype(float)
        keep = ~(np.isnan(x) | np.isnan(y))
        x, y = x[keep], y[keep]
        function = {"spearman": stats.spearmanr, "pearson": stats.pearsonr, "kendall": stats.kendalltau,
                    "paired-t": stats.ttest_rel}[test]
        return function(x, y, alternative=alternative).pvalue
    if test == "binomial":
        if "successes" in data:
            k, n = int(data["successes"][0]), int(data["trials"][0])
        else:
            k, n = int(np.sum(data["value"])), len(data["value"])
        return stats.binomtest(k, n, float(options.get("p0", 0.5)), alternative=alternative).pvalue
    raise ValueError(test)


def pandas_columns(models, claim):
    """The columns of a claim's query, computed with pandas (the SQL above, by hand)."""
    import numpy as np
    card = models["has_card"].astype(np.int64).to_numpy()
    cid = claim[0]
    if cid in ("C01", "C02", "C03", "C04"):
        column = {"C01": "downloads", "C02": "likes", "C03": "size_mb", "C04": "created_year"}[cid]
        return {"grp": card, "value": models[column].to_numpy(dtype=float)}
    if cid in ("C05", "C06", "C07", "C08"):
        grp, value = {"C05": ("task", "downloads"), "C06": ("library", "size_mb"), "C07": ("library", "size_mb"),
                      "C08": ("created_year", "likes")}[cid]
        return {"grp": models[grp].to_numpy(), "value": models[value].to_numpy(dtype=float)}
    if cid == "C09":
        return {"a": models["task"].to_numpy(), "b": models["library"].to_numpy()}
    if cid == "C10":
        known = models["license"].notna()
        return {"a": models.loc[known, "license"].to_numpy(), "b": card[known.to_numpy()]}
    if cid == "C11":
        counts = models.groupby(["created_year", "task"]).size().reset_index(name="count")
        return {"a": counts["created_year"].to_numpy(), "b": counts["task"].to_numpy(), "count": counts["count"].to_numpy()}
    if cid in ("C12", "C13", "C14", "C15", "C20"):
        x, y = {"C12": ("downloads", "likes"), "C13": ("size_mb", "downloads"), "C14": ("size_mb", "created_year"),
                "C15": ("likes", "downloads"), "C20": ("size_mb", "likes")}[cid]
        return {"x": models[x].to_numpy(dtype=float), "y": models[y].to_numpy(dtype=float)}
    if cid == "C16":
        subset = models[models["task"] == "translation"]
        return {"x": subset["created_year"].to_numpy(dtype=float), "y": subset["likes"].to_numpy(dtype=float)}
    if cid == "C17":
        return {"value": card}
    if cid == "C18":
        popular = card[models["downloads"].to_numpy() >= 1000]
        return {"successes": [popular.sum()], "trials": [len(popular)]}
    if cid == "C19":
        return {"a": card, "b": (models["downloads"].to_numpy() > 0).astype(np.int64)}
    raise ValueError(cid)


def baseline(kind, csv):
    """Runs the 20 claims with `kind` (pandas or duckdb) + SciPy; prints {id: p} as JSON."""
    import numpy as np
    results = {}
    if kind == "pandas":
        import pandas as pd
        models = pd.read_csv(csv)
        for claim in CLAIMS:
            results[claim[0]] = scipy_p(claim[1], claim[3], pandas_columns(models, claim))
    else:
        import duckdb
        connection = duckdb.connect()
        connection.execute(f"CREATE TABLE models AS SELECT * FROM read_csv_auto('{csv}')")
        for claim in CLAIMS:
            data = connection.execute(claim[2]).fetchnumpy()
            data = {key: (np.asarray(value.filled(np.nan) if np.ma.isMaskedArray(value) and value.dtype.kind == "f" else value))
                    for key, value in data.items()}
            for key in ("value", "x", "y"):
                if key in data and data[key].dtype.kind in "iub":
                    data[key] = data[key].astype(float)
            results[claim[0]] = scipy_p(claim[1], claim[3], data)
    print(json.dumps({key: float(value) for key, value in results.items()}))


# MARK: The benchmark

def write_study(study, binary):
    subprocess.run([binary, "init", study], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    claims = os.path.join(study, "corpus", "claims")
    for cid, test, query, options in CLAIMS:
        lines = [f"id: {cid}", f"statement: Benchmark claim {cid} ({test}).", "metrics:", f"  - id: {cid}a",
                 "    dataset: bench", f"    query: \"{query}\"", f"    test: {test}"]
        lines += [f"    {key}: {value}" for key, value in options.items()]
        with open(os.path.join(claims, f"{cid}.yaml"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")


def measured(command, cwd=None, poll=True):
    """Wall seconds, CPU seconds (user + system, from wait4), peak RSS in MB (VmHWM polled from
    /proc every 10 ms, when `poll`) and stdout of one run."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        peak_kb = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG if poll else 0)
            if pid:
                break
            try:
                with open(f"/proc/{process.pid}/status") as handle:
                    for line in handle:
                        if line.startswith("VmHWM:"):
                            peak_kb = max(peak_kb, int(line.split()[1]))
            except (FileNotFoundError, ProcessLookupError):
                pass
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            sys.exit(f"{' '.join(command)} failed ({process.returncode}): {err.read()[-2000:]}")
        return seconds, usage.ru_utime + usage.ru_stime, peak_kb / 1024, out.read()


def triangulate_p(matrix_json):
    rows = json.loads(matrix_json)["rows"]
    result = {}
    for row in rows:
        if row.get("error"):
            sys.exit(f"{row['id']}: {row['error']}")
        result[row["id"].split("/")[0]] = row["p_raw"]["value"]
    return result


def agree(a, b):
    if a < 1e-300 and b < 1e-300:
        return True
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b)) or abs(a - b) < 1e-15


def read_through(path):
    """Reads a file once, so the next timed reader finds it in the page cache whatever ran
    before (the baselines' 6-7 GB at 10M rows evict it, and the import timed first would
    otherwise read from disk while the one timed after it reads from memory)."""
    with open(path, "rb") as handle:
        while handle.read(8 << 20):
            pass


def run_size(binary, rows, runs, jobs, work):
    from postgres_import_benchmark import write_csv
    folder = os.path.join(work, f"rows-{rows}")
    os.makedirs(folder, exist_ok=True)
    csv = os.path.join(folder, "models.csv")
    if not os.path.exists(csv):
        write_csv(csv, rows)
    size = os.path.getsize(csv)
    study = os.path.join(folder, "study")
    shutil.rmtree(study, ignore_errors=True)
    write_study(study, binary)
    os.makedirs(os.path.join(study, "data"))
    shutil.move(csv, os.path.join(study, "data", "models.csv"))
    csv = os.path.join(study, "data", "models.csv")
    print(f"\n== {rows:,} rows x 10 columns, {size / 1e6:.0f} MB; 20 claims; {runs} runs each, medians ==", flush=True)

    manifest = os.path.join(study, "corpus", "datasets", "bench.yaml")
    jobs_args = ["--jobs", str(jobs)] if jobs else []
    figures = {key: [] for key in ("import", "import_cpu", "import_mb", "duck_import", "duck_import_cpu", "duck_import_mb",
                                   "cold", "cold_cpu", "cold_mb", "compute", "compute_cpu", "warm", "warm_cpu",
                                   "pandas", "pandas_cpu", "pandas_mb", "duckdb", "duckdb_cpu", "duckdb_mb")}

    def record(key, figure):
        figures[key].append(figure[0])
        figures[f"{key}_cpu"].append(figure[1])
        if f"{key}_mb" in figures:
            figures[f"{key}_mb"].append(figure[2])
        return figure[3]

    p_values = {}
    duck_file = os.path.join(folder, "duck.db")
    for run in range(runs):
        shutil.rmtree(os.path.join(study, ".triangulate"), ignore_errors=True)
        if os.path.exists(manifest):
            os.remove(manifest)
        read_through(csv)
        record("import", measured([binary, "dataset", "import", "bench", "data/models.csv", "--table", "models",
                                   "--study", study], cwd=study))
        if os.path.exists(duck_file):
            os.remove(duck_file)
        read_through(csv)
        record("duck_import", measured([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                                        "c.execute(\"CREATE TABLE models AS SELECT * FROM read_csv_auto('\" + sys.argv[2] + \"')\"); c.close()",
                                        duck_file, csv]))
        os.remove(duck_file)

        shutil.rmtree(os.path.join(study, ".triangulate"), ignore_errors=True)
        p_values["triangulate"] = triangulate_p(record("cold", measured([binary, "matrix", "--format", "json", "--study", study] + jobs_args)))
        record("compute", measured([binary, "matrix", "--format", "json", "--no-cache", "--study", study] + jobs_args))
        warm = [measured([binary, "matrix", "--format", "json", "--study", study] + jobs_args, poll=False) for _ in range(5)]
        figures["warm"].append(statistics.median(w[0] for w in warm))
        figures["warm_cpu"].append(statistics.median(w[1] for w in warm))
        out = warm[-1][3]
        if triangulate_p(out) != p_values["triangulate"]:
            sys.exit("the warm matrix differs from the cold one")

        for kind in ("pandas", "duckdb"):
            p_values[kind] = json.loads(record(kind, measured([sys.executable, os.path.abspath(__file__), "--baseline", kind, csv])))
        print(f"  run {run + 1}: import {figures['import'][-1]:.2f} s, matrix cold {figures['cold'][-1]:.2f} s, "
              f"compute {figures['compute'][-1]:.2f} s, warm {figures['warm'][-1] * 1000:.0f} ms, "
              f"pandas {figures['pandas'][-1]:.2f} s, duckdb {figures['duckdb'][-1]:.2f} s", flush=True)

    disagreements = []
    for cid, *_ in CLAIMS:
        ours, pandas_p, duck_p = p_values["triangulate"][cid], p_values["pandas"][cid], p_values["duckdb"][cid]
        if not (agree(ours, pandas_p) and agree(ours, duck_p)):
            disagreements.append(f"{cid}: triangulate {ours!r}, pandas {pandas_p!r}, duckdb {duck_p!r}")
    m = {key: statistics.median(values) for key, values in figures.items()}
    print(f"  p-values: {20 - len(disagreements)}/20 agree between the three" + "".join(f"\n    {d}" for d in disagreements))
    def line(label, ours, others):
        text = f"  {label:<15} triangulate {m[ours]:7.2f} s wall {m[ours + '_cpu']:7.2f} s CPU"
        if ours + "_mb" in m:
            text += f" {m[ours + '_mb']:5.0f} MB"
        for name, key in others:
            text += f" | {name} {m[key]:6.2f} s wall {m[key + '_cpu']:6.2f} s CPU"
            if key + "_mb" in m:
                text += f" {m[key + '_mb']:5.0f} MB"
        if others:
            text += " | ratio wall " + " / ".join(f"{m[ours] / m[key]:.2f}x" for _, key in others)
            text += ", CPU " + " / ".join(f"{m[ours + '_cpu'] / m[key + '_cpu']:.2f}x" for _, key in others)
        print(text)

    line("import", "import", [("DuckDB", "duck_import")])
    line("matrix cold", "cold", [("pandas+SciPy", "pandas"), ("DuckDB+SciPy", "duckdb")])
    line("matrix compute", "compute", [("pandas+SciPy", "pandas"), ("DuckDB+SciPy", "duckdb")])
    print(f"  matrix warm     triangulate {m['warm'] * 1000:7.0f} ms wall {m['warm_cpu'] * 1000:5.0f} ms CPU (unchanged study; target <= 100 ms)")
    shutil.rmtree(folder, ignore_errors=True)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--baseline":
        baseline(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("triangulate", help="the triangulate executable (a release build)")
    parser.add_argument("--rows", default="1000000,10000000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="matrix --jobs (default: the tool's, the core count)")
    parser.add_argument("--work", default=None, help="a folder for the generated data (default: a temporary one)")
    args = parser.parse_args()
    binary = os.path.abspath(args.triangulate)
    work = args.work or tempfile.mkdtemp(prefix="triangulate-speed-")
    try:
        for rows in (int(text) for text in args.rows.split(",")):
            run_size(binary, rows, args.runs, args.jobs, work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
