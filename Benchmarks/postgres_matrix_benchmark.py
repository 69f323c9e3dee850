#!/usr/bin/env python3
"""Benchmark (e), the matrix: the 20 claims of speed_benchmark.py on 10M rows, the dataset on PostgreSQL.

Usage: python3 Benchmarks/postgres_matrix_benchmark.py PATH/TO/triangulate \
           [--rows N] [--runs 1] [--jobs N] [--connection "host=… dbname=… user=…"] [--schema S] [--work DIR]

The connection defaults to $TRIANGULATE_TEST_POSTGRES (the password from PGPASSWORD, PGPASSFILE or
~/.pgpass); that role loads the table, and the script creates a SELECT-only reading role for the
manifest, with its password in a passfile of its own. It takes the claims, the study writer and
the p-value reader from speed_benchmark.py (imported, not copied) and the CSV generator of
postgres_import_benchmark.py (the 10-column model metadata of benchmark (a), fixed seeds), then:

  1. imports the CSV into SQLite (`dataset import`) and runs `matrix --no-cache`: the reference;
  2. imports it into PostgreSQL (`dataset import … --into postgres`, COPY);
  3. runs `matrix` cold (no .triangulate/: no stored results and no cached file hashes, so the
     read also hashes the CSV to check it is the one the manifest records) and `matrix --no-cache`
     (every metric queried and tested again), each --runs times, and `matrix` once more (warm:
     the result cache is not used for a PostgreSQL dataset, so this queries again);
  4. runs the same 20 tests in pandas + SciPy and in DuckDB + SciPy on the same CSV
     (`speed_benchmark.py --baseline`), each as its own process (skipped with --no-baselines);
  5. checks that the PostgreSQL matrix equals the SQLite one apart from provenance (every key of
     the JSON but `provenance`) and that every p-value is equal. A query without ORDER BY may
     return its rows in another order on PostgreSQL (C11's GROUP BY: SQLite hands the groups over
     sorted, PostgreSQL in hash order); the tests do not depend on it, but a test's descriptives
     list groups in the order the rows first show them, so such rows are compared in any group
     order and named.

Prints wall time, the client's CPU time (user + system, wait4) and peak RSS (VmHWM), and, for a
server on this machine, the server's CPU time (see postgres_import_benchmark.ServerCPU). Drops the
schema and the reading role at the end; asserts nothing but the equality of the matrices.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from postgres_import_benchmark import ServerCPU, run_measured, write_csv  # noqa: E402
from speed_benchmark import CLAIMS, agree, triangulate_p, write_study  # noqa: E402


def measured(command, server=None, cwd=None):
    """(wall s, client CPU s, peak RSS MB, server CPU s or None, stdout) of one run."""
    with tempfile.NamedTemporaryFile("w+", delete=False) as out:
        path = out.name
    try:
        wrapped = ["/bin/sh", "-c", 'exec "$@" > "$0"', path] + command
        # The shell execs the program, so wait4 and VmHWM are the program's own.
        wall, cpu, peak, server_cpu = run_measured(wrapped, cwd=cwd, server=server)
        with open(path, encoding="utf-8") as handle:
            return wall, cpu, peak, server_cpu, handle.read()
    finally:
        os.remove(path)


def without_provenance(matrix_json):
    matrix = json.loads(matrix_json)
    matrix.pop("provenance", None)
    return matrix


def in_any_group_order(value):
    """The value with each mapping of numbered groups or levels (`group_1`, `level_1`, …, which a
    test lists in the order the rows first show them) turned into a sorted list: what remains equal
    when only the row order of a query without ORDER BY differs."""
    if isinstance(value, dict):
        items = {key: in_any_group_order(item) for key, item in value.items()}
        numbered = [key for key in items if key.startswith(("group_", "level_"))]
        if not numbered:
            return items
        rest = {key: item for key, item in items.items() if key not in numbered}
        rest["numbered in any order"] = sorted((items[key] for key in numbered), key=lambda item: json.dumps(item, sort_keys=True))
        return rest
    if isinstance(value, list):
        return [in_any_group_order(item) for item in value]
    return value


def compare(reference, output):
    """'equal', or the ids of the rows that differ only in group order; exits on any other difference."""
    ours = without_provenance(output)
    if ours == reference:
        return "equal"
    for key in reference:
        if key != "rows" and ours.get(key) != reference[key]:
            sys.exit(f"the PostgreSQL matrix differs from the SQLite matrix in '{key}'")
    reordered = []
    for mine, theirs in zip(ours["rows"], reference["rows"]):
        if mine == theirs:
            continue
        if in_any_group_order(mine) != in_any_group_order(theirs):
            for key in theirs:
                if mine.get(key) != theirs[key]:
                    print(f"  {theirs['id']} {key}: SQLite {theirs[key]!r}, PostgreSQL {mine.get(key)!r}")
            sys.exit("the PostgreSQL matrix differs from the SQLite matrix")
        reordered.append(mine["id"])
    if len(ours["rows"]) != len(reference["rows"]):
        sys.exit("the PostgreSQL matrix has other rows than the SQLite matrix")
    return reordered


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("triangulate", help="the triangulate executable (a release build)")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None, help="matrix --jobs (default: the tool's, the core count)")
    parser.add_argument("--connection", default=os.environ.get("TRIANGULATE_TEST_POSTGRES"))
    parser.add_argument("--schema", default="triangulate_matrix_bench")
    parser.add_argument("--work", default=None, help="a folder for the generated data (default: a temporary one)")
    parser.add_argument("--no-baselines", action="store_true", help="skip pandas + SciPy and DuckDB + SciPy")
    args = parser.parse_args()
    if not args.connection:
        sys.exit("give --connection or set TRIANGULATE_TEST_POSTGRES")
    binary = os.path.abspath(args.triangulate)
    psql = shutil.which("psql") or sys.exit("psql is not on PATH")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []

    def sql(statement):
        subprocess.run([psql, args.connection, "-v", "ON_ERROR_STOP=1", "-qc", statement], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    server = ServerCPU(psql, args.connection)
    if server.postmaster is None:
        server = None
        print("(the server's CPU time is not measured: its postmaster is not readable here)")
    reader = f"{args.schema}_reader"
    reader_password = os.urandom(12).hex()
    work = args.work or tempfile.mkdtemp(prefix="triangulate-pg-matrix-")
    os.makedirs(work, exist_ok=True)
    study = os.path.join(work, "study")
    shutil.rmtree(study, ignore_errors=True)
    passfile = os.path.join(work, "pgpass")
    with open(passfile, "w") as handle:
        handle.write(f"*:*:*:{reader}:{reader_password}\n")
    os.chmod(passfile, 0o600)
    reading = f"{args.connection} user={reader} passfile='{passfile}'"
    figures = {}

    def report(label, figure):
        figures.setdefault(label, []).append(figure)
        server_text = f", server {figure[3]:7.2f} s CPU" if figure[3] is not None else ""
        print(f"  {label:<26} {figure[0]:7.2f} s wall {figure[1]:7.2f} s CPU {figure[2]:6.0f} MB{server_text}", flush=True)
        return figure[4]

    try:
        write_study(study, binary)
        os.makedirs(os.path.join(study, "data"))
        csv = os.path.join(study, "data", "models.csv")
        write_csv(csv, args.rows)
        print(f"== {args.rows:,} rows x 10 columns, {os.path.getsize(csv) / 1e6:.0f} MB; {len(CLAIMS)} claims ==", flush=True)
        manifest = os.path.join(study, "corpus", "datasets", "bench.yaml")
        matrix = [binary, "matrix", "--format", "json", "--study", study] + jobs

        report("SQLite import", measured([binary, "dataset", "import", "bench", "data/models.csv", "--table", "models",
                                          "--study", study], cwd=study))
        on_sqlite = [report("SQLite matrix --no-cache", measured(matrix + ["--no-cache"])) for _ in range(args.runs)][-1]

        sql(f"DROP SCHEMA IF EXISTS {args.schema} CASCADE")
        sql(f"DROP ROLE IF EXISTS {reader}")
        sql(f"CREATE ROLE {reader} LOGIN NOINHERIT PASSWORD '{reader_password}'")
        report("PostgreSQL import", measured([binary, "dataset", "import", "bench", "data/models.csv", "--table", "models",
                                              "--into", "postgres", "--replace", "--connection", reading,
                                              "--load-connection", args.connection, "--schema", args.schema,
                                              "--study", study], server=server, cwd=study))
        with open(manifest, encoding="utf-8") as handle:
            if f"schema: {args.schema}" not in handle.read():
                sys.exit("the manifest does not name the server")
        outputs = []
        for _ in range(args.runs):
            shutil.rmtree(os.path.join(study, ".triangulate"), ignore_errors=True)
            outputs.append(report("PostgreSQL matrix cold", measured(matrix, server=server)))
            outputs.append(report("PostgreSQL matrix --no-cache", measured(matrix + ["--no-cache"], server=server)))
        # The result cache keys on a local manifest's files, so a PostgreSQL dataset's metrics run
        # again: the "warm" run shows it.
        outputs.append(report("PostgreSQL matrix warm", measured(matrix, server=server)))

        reference = without_provenance(on_sqlite)
        p_reference = triangulate_p(on_sqlite)
        reordered = set()
        for output in outputs:
            outcome = compare(reference, output)
            if outcome != "equal":
                reordered.update(outcome)
            if triangulate_p(output) != p_reference:
                sys.exit("a p-value differs between the engines")
        if reordered:
            print(f"  the PostgreSQL matrix equals the SQLite one apart from provenance and the order in which "
                  f"{', '.join(sorted(reordered))} list their groups (a GROUP BY without ORDER BY: SQLite returns the groups sorted, "
                  f"PostgreSQL in hash order); {len(p_reference)}/{len(CLAIMS)} p-values equal")
        else:
            print(f"  the PostgreSQL matrix equals the SQLite one apart from provenance; {len(p_reference)}/{len(CLAIMS)} p-values equal")
        if not args.no_baselines:
            speed = os.path.join(HERE, "speed_benchmark.py")
            for kind, label in (("pandas", "pandas + SciPy"), ("duckdb", "DuckDB + SciPy")):
                output = report(label, measured([sys.executable, speed, "--baseline", kind, csv]))
                theirs = json.loads(output)
                differing = [cid for cid, *_ in CLAIMS if not agree(p_reference[cid], theirs[cid])]
                if differing:
                    sys.exit(f"{label} differs from triangulate on {', '.join(differing)}")
                print(f"  {label}: {len(CLAIMS)}/{len(CLAIMS)} p-values agree with triangulate's (both engines)")
        provenance = json.loads(outputs[0])["provenance"]
        print(f"  provenance on PostgreSQL: {provenance.get('dataset_bench')}")
        if args.runs > 1:
            for label, values in figures.items():
                print(f"  median {label:<26} {statistics.median(v[0] for v in values):7.2f} s wall "
                      f"{statistics.median(v[1] for v in values):7.2f} s CPU")
    finally:
        sql(f"DROP SCHEMA IF EXISTS {args.schema} CASCADE")
        sql(f"DROP ROLE IF EXISTS {reader}")
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
