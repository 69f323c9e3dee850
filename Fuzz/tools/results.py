#!/usr/bin/env python3
"""Writes Fuzz/RESULTS.md (to stdout) from Fuzz/runs.tsv, the runs Fuzz/run made (kept in git, so the
crash-free time of each parser adds up across sessions).

    results.py runs.tsv                      the Markdown report
    results.py runs.tsv --crash-free TARGET  the target's crash-free CPU seconds, a whole number
"""
import csv, sys, collections

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
one = sys.argv[3] if len(sys.argv) == 4 and sys.argv[2] == "--crash-free" else None
order = ["bibtex", "ris", "wos", "csv", "json", "captions", "docx", "qde", "qdpx", "yaml"]
parsers = {
    "bibtex": "Literature BibTeXParser + BibTeXWriter",
    "ris": "Literature RISParser",
    "wos": "Literature WebOfScienceParser",
    "csv": "Core CSVText, Literature CSVImporter, Datasets DataFileReader (.csv)",
    "json": "Transcripts JSONTranscriptReader, Datasets DataFileReader (.json)",
    "captions": "Transcripts CaptionReader (WebVTT, SubRip, .sbv)",
    "docx": "Transcripts DocxReader via Core ZipArchive",
    "qde": "Interchange REFIProjectReader.parse (project.qde)",
    "qdpx": "Interchange REFIProjectReader.read (.qdpx archive)",
    "yaml": "YAMLSupport, Claim, Codebook, DatasetManifest, SearchLog, StudySettings",
}
def number(value, kind=float):
    try: return kind(value)
    except (TypeError, ValueError): return kind(0)

# libFuzzer's exit status when SIGINT or SIGTERM ends a run (its -interrupted_exitcode default).
INTERRUPTED = "72"

totals = collections.OrderedDict()
for row in rows:
    t = totals.setdefault(row["target"], dict(runs=0, wall=0.0, cpu=0.0, unmeasured=0, execs=0, new=0, crashes=[], clean_cpu=0.0, clean_wall=0.0, cov_start=None, cov_end=0, units=None, rss=0))
    t["runs"] += 1
    if row["cpu_s"] == "": t["unmeasured"] += 1
    t["wall"] += number(row["wall_s"]); t["cpu"] += number(row["cpu_s"])
    t["execs"] += number(row["executions"], int); t["new"] += number(row["new_units"], int)
    if t["cov_start"] is None and row["cov_start"]: t["cov_start"] = number(row["cov_start"], int)
    t["cov_end"] = max(t["cov_end"], number(row["cov_end"], int))
    if row["corpus_units"]: t["units"] = row["corpus_units"]
    t["rss"] = max(t["rss"], number(row["peak_rss_mb"], int))
    if row["exit"] == INTERRUPTED and row["artifact"] == "-":
        # Stopped by a signal (libFuzzer's -interrupted_exitcode): nothing crashed, so its time
        # is crash-free, but it is listed, not hidden.
        t.setdefault("interrupted", 0)
        t["interrupted"] += 1
        t["clean_cpu"] += number(row["cpu_s"]); t["clean_wall"] += number(row["wall_s"])
    elif row["exit"] != "0":
        t["crashes"].append(row["artifact"] if row["artifact"] != "-" else "exit %s" % row["exit"])
        # Crash-free time counts from the run after the last crash (its fix is in the next build).
        t["clean_cpu"] = t["clean_wall"] = 0.0
    else:
        t["clean_cpu"] += number(row["cpu_s"]); t["clean_wall"] += number(row["wall_s"])

if one is not None:
    print(int(totals[one]["clean_cpu"]) if one in totals else 0)
    sys.exit(0)
print("# Fuzzing results\n")
print("Written by `Fuzz/run` from `Fuzz/runs.tsv` (%d runs, %s to %s UTC). Wall seconds are libFuzzer's" % (
    len(rows), rows[0]["started"] if rows else "-", rows[-1]["started"] if rows else "-"))
print("time; CPU seconds are the process's user + system time: the fuzzers ran at `nice -n 19` on a")
print("shared 2-core machine, so CPU seconds are the honest measure of work done. Coverage is")
print("libFuzzer's `cov` (instrumented edges reached, library code included) at the first run's start")
print("and the best seen at any run's end; new units are inputs added to the work corpus. Crash-free")
print("CPU h is the CPU time of the runs since the target's last crash or timeout, the figure to hold against")
print("the goal of at least an hour per parser.\n")
print("| target | parsers | runs | wall s | CPU s | crash-free CPU h | executions | exec/CPU s | crashes | cov start → end | new units | corpus | peak RSS MB |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
for target in sorted(totals, key=lambda t: order.index(t) if t in order else 99):
    t = totals[target]
    rate = "%.0f" % (t["execs"] / t["cpu"]) if t["cpu"] > 0 and not t["unmeasured"] else "?"
    cpu = "%.0f" % t["cpu"] + (" + %d run(s) unmeasured" % t["unmeasured"] if t["unmeasured"] else "")
    print("| %s | %s | %d | %.0f | %s | %.2f | %d | %s | %d | %s → %d | %d | %s | %d |" % (
        target, parsers.get(target, ""), t["runs"], t["wall"], cpu, t["clean_cpu"] / 3600, t["execs"], rate, len(t["crashes"]),
        t["cov_start"] if t["cov_start"] is not None else "?", t["cov_end"], t["new"], t["units"] or "?", t["rss"]))
all_wall = sum(t["wall"] for t in totals.values()); all_cpu = sum(t["cpu"] for t in totals.values())
print("\nIn all: %.0f wall seconds (%.2f h), %.0f CPU seconds (%.2f h), %d executions." % (
    all_wall, all_wall / 3600, all_cpu, all_cpu / 3600, sum(t["execs"] for t in totals.values())))
recovered = [row for row in rows if row["artifact"].startswith("- (recovered")]
if recovered:
    print("\n%d run(s) (%s) were made by an earlier Fuzz/run whose bookkeeping failed after each run; their" % (
        len(recovered), ", ".join(row["target"] for row in recovered)))
    print("figures are libFuzzer's own final stats from their logs, wall seconds its 'Done ... in N seconds', and CPU")
    print("seconds, where given, sampled from /proc every 3 s (a lower bound); blank where not sampled.")
interrupted = [(target, t["interrupted"]) for target, t in totals.items() if t.get("interrupted")]
if interrupted:
    print("\nStopped by a signal (exit 72, no input written; their time counts as crash-free): %s." % (
        ", ".join("%s %d run(s)" % pair for pair in interrupted)))
crashes = [(target, c) for target, t in totals.items() for c in t["crashes"]]
print("\n## Crashes\n")
if crashes:
    for target, c in crashes: print("- %s: `%s`" % (target, c))
    print("\nWhat each was and how it was fixed: README.md, Findings. (Fuzz/work/ is not committed.)")
else:
    print("None in these runs.")
