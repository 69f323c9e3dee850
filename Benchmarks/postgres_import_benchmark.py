#!/usr/bin/env python3
"""Benchmark (e): `triangulate dataset import` of a 10M-row CSV into SQLite and `--into postgres`, with peak memory.

Usage: python3 Benchmarks/postgres_import_benchmark.py PATH/TO/triangulate \
           [--rows N] [--connection "host=… dbname=… user=…"] [--schema bench]

The connection defaults to $TRIANGULATE_TEST_POSTGRES (the password from PGPASSWORD, PGPASSFILE or
~/.pgpass); that role loads (it must be allowed to create the schema and roles), and the script
creates a SELECT-only reading role for the manifest, with its password in a passfile of its own.
Generates a 10-column CSV of model metadata (fixed seeds, in 1M-row chunks so the generator itself
stays small), then times the import at a tenth of the rows and at all of them, into the derived
SQLite database and into PostgreSQL, printing the wall-clock time and the peak resident memory of
the triangulate process (its VmHWM, Linux): memory must not grow with the rows. For comparison it
times psql's `\\copy` of the same file into a table declared with the same types (no checks, no
type inference, no SHA-256). CPU time is reported beside wall time: the client's user + system
time (wait4), and, when the server runs on this machine and its postmaster's /proc entry is
readable, the server's (its processes' time, the backends that ended included, through the
postmaster's cutime/cstime). Drops the schema and the role at the end; asserts nothing.
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

TYPED_TABLE = """CREATE TABLE {schema}.copied (model_id TEXT COLLATE "C", author TEXT COLLATE "C", task TEXT COLLATE "C",
library TEXT COLLATE "C", downloads BIGINT, likes BIGINT, has_card TEXT COLLATE "C", created_year BIGINT, size_mb DOUBLE PRECISION,
license TEXT COLLATE "C")"""


def write_csv(path, rows):
    chunk = 1_000_000
    written = 0
    index = 0
    while written < rows:
        count = min(chunk, rows - written)
        frame = model_metadata(count, seed=20240601 + index)
        frame.to_csv(path, index=False, header=(index == 0), mode="w" if index == 0 else "a")
        written += count
        index += 1


def run_measured(command, cwd=None, server=None):
    """Runs a command; returns (wall seconds, CPU seconds, peak RSS in MB, server CPU seconds or
    None) of that program alone.

    The CPU time is the child's user + system time from wait4. The peak is the kernel's
    high-water mark (VmHWM) of the process, read from /proc while it runs: it starts at exec,
    whereas ru_maxrss of a forked child also counts this Python process's pages from before the
    exec (the generated DataFrame), which would hide the program's own figure.
    """
    server_before = server.cpu() if server else None
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    peak_kb = 0
    status_path = f"/proc/{process.pid}/status"
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        try:
            with open(status_path) as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError):
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{command[0]} failed with status {process.returncode}")
    server_seconds = server.cpu() - server_before if server_before is not None else None
    return seconds, usage.ru_utime + usage.ru_stime, peak_kb / 1024, server_seconds


class ServerCPU:
    """The CPU time of a PostgreSQL server on this machine: its postmaster's own time, its
    children's (the backends, the writer, …) and the time of the children it has reaped."""

    def __init__(self, psql, connection):
        self.postmaster = None
        try:
            directory = subprocess.run([psql, connection, "-Atc", "SHOW data_directory"], check=True, capture_output=True,
                                       text=True).stdout.strip()
            with open(os.path.join(directory, "postmaster.pid")) as handle:
                self.postmaster = int(handle.readline())
            self.cpu()
        except (OSError, ValueError, subprocess.CalledProcessError):
            self.postmaster = None

    @staticmethod
    def _fields(pid):
        with open(f"/proc/{pid}/stat") as handle:
            text = handle.read()
        return text[text.rindex(")") + 2:].split()

    def cpu(self):
        fields = self._fields(self.postmaster)
        # After the command: state ppid … utime(14) stime(15) cutime(16) cstime(17), 1-based from pid.
        ticks = sum(int(fields[index]) for index in (11, 12, 13, 14))
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                child = self._fields(entry)
            except (OSError, ValueError):
                continue
            if int(child[1]) == self.postmaster:
                ticks += int(child[11]) + int(child[12])
        return ticks / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("triangulate", help="the triangulate executable (a release build)")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--connection", default=os.environ.get("TRIANGULATE_TEST_POSTGRES"))
    parser.add_argument("--schema", default="triangulate_bench")
    args = parser.parse_args()
    if not args.connection:
        sys.exit("give --connection or set TRIANGULATE_TEST_POSTGRES")
    binary = os.path.abspath(args.triangulate)
    psql = shutil.which("psql") or sys.exit("psql is not on PATH")

    def sql(statement):
        subprocess.run([psql, args.connection, "-v", "ON_ERROR_STOP=1", "-qc", statement], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    reader = f"{args.schema}_reader"
    reader_password = os.urandom(12).hex()
    with tempfile.TemporaryDirectory(prefix="triangulate-pg-bench-") as work:
        passfile = os.path.join(work, "pgpass")
        with open(passfile, "w") as handle:
            handle.write(f"*:*:*:{reader}:{reader_password}\n")
        os.chmod(passfile, 0o600)
        study = os.path.join(work, "study")
        subprocess.run([binary, "init", study], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sizes = sorted({max(1, args.rows // 10), args.rows})
        server = ServerCPU(psql, args.connection)
        if server.postmaster is None:
            server = None
            print("(the server's CPU time is not measured: its postmaster is not readable here)")
        try:
            sql(f"DROP ROLE IF EXISTS {reader}")
            sql(f"CREATE ROLE {reader} LOGIN NOINHERIT PASSWORD '{reader_password}'")
            reading = f"{args.connection} user={reader} passfile='{passfile}'"
            for rows in sizes:
                data = os.path.join(study, f"models_{rows}.csv")
                write_csv(data, rows)
                megabytes = os.path.getsize(data) / 1e6
                local = run_measured([binary, "dataset", "import", f"local{rows}", os.path.basename(data), "--table", "models"], cwd=study)
                shutil.rmtree(os.path.join(study, ".triangulate", "datasets"), ignore_errors=True)
                sql(f"DROP SCHEMA IF EXISTS {args.schema} CASCADE")
                remote = run_measured([binary, "dataset", "import", f"bench{rows}", os.path.basename(data),
                                       "--table", "models", "--into", "postgres", "--connection", reading,
                                       "--load-connection", args.connection, "--schema", args.schema], cwd=study, server=server)
                sql(TYPED_TABLE.format(schema=args.schema))
                copy = run_measured([psql, args.connection, "-v", "ON_ERROR_STOP=1", "-qc",
                                     f"\\copy {args.schema}.copied FROM '{data}' CSV HEADER"], server=server)

                def server_text(figure):
                    return f", server {figure[3]:6.1f} s CPU" if figure[3] is not None else ""

                print(f"{rows:>11,} rows ({megabytes:,.0f} MB):\n"
                      f"  SQLite      {local[0]:6.1f} s wall {local[1]:6.1f} s CPU, peak RSS {local[2]:6.1f} MB\n"
                      f"  PostgreSQL  {remote[0]:6.1f} s wall {remote[1]:6.1f} s CPU, peak RSS {remote[2]:6.1f} MB{server_text(remote)}\n"
                      f"  psql \\copy  {copy[0]:6.1f} s wall {copy[1]:6.1f} s CPU, peak RSS {copy[2]:6.1f} MB{server_text(copy)}"
                      f" (PostgreSQL import / \\copy: {remote[0] / copy[0]:.2f}x wall)", flush=True)
                os.remove(data)
        finally:
            sql(f"DROP SCHEMA IF EXISTS {args.schema} CASCADE")
            sql(f"DROP ROLE IF EXISTS {reader}")


if __name__ == "__main__":
    main()
