#!/usr/bin/env python3
"""REFI-QDA project exchange at scale: `project import` and `project export`.

Usage: python3 Benchmarks/project_benchmark.py BIN [--before OLD_BIN] [--sources 500] [--codings 50000] [--words 2000] [--runs 3]

Generates (fixed seed) a REFI-QDA project (.qdpx) of 500 interview sources of about 2,000 words
each, written as speaker turns, a codebook of 60 codes under 6 parents, two users and 50,000
codings on PlainTextSelections (code-point positions, each inside one turn), then times the
release `triangulate` binary end to end, process start included:

  project import   into a new study (every coding text-checked, the files written as one
                   journalled change)                                         target < 10 s
  status           the first command after it, which builds the study's index (the import
                   leaves the derived index to the next command); no target of its own
  project export   of that study back to a .qdpx                              target < 5 s

With --before, an older binary is timed in the same run, its runs interleaved with BIN's so
both see the same machine load, and both figures are printed.

Prints figures only (best of --runs); asserts nothing.
"""
import argparse
import os
import resource
import random
import shutil
import subprocess
import tempfile
import time
import uuid
import zipfile

WORDS = ("model download card licence dataset weights fine tune base hub registry version benchmark "
         "latency accuracy paper team production pipeline trust provenance reproduce result training "
         "evaluation metric task language vision audio token inference hardware memory deploy docker").split()


def guid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate(path, sources, codings, words, seed=11):
    rng = random.Random(seed)
    users = [(guid(rng), "ana"), (guid(rng), "ben")]
    parents = [(guid(rng), f"Theme {p}", [(guid(rng), f"Code {p}.{c}") for c in range(10)]) for p in range(6)]
    leaves = [code for _, _, children in parents for code in children]
    per_source = codings // sources
    xml = ['<?xml version="1.0" encoding="utf-8"?>',
           '<Project xmlns="urn:QDA-XML:project:1.0" name="Benchmark" origin="benchmark">', "  <Users>"]
    xml += [f'    <User guid="{g}" name="{n}"/>' for g, n in users]
    xml += ["  </Users>", "  <CodeBook><Codes>"]
    for g, n, children in parents:
        xml.append(f'    <Code guid="{g}" name="{n}" isCodable="false">')
        xml += [f'      <Code guid="{cg}" name="{cn}" isCodable="true"/>' for cg, cn in children]
        xml.append("    </Code>")
    xml += ["  </Codes></CodeBook>", "  <Sources>"]
    texts = []
    for s in range(sources):
        source_guid = guid(rng)
        text, turns = "", []
        speaker_index = 0
        while len(text.split()) < words:
            speaker = "Interviewer" if speaker_index % 2 == 0 else f"Person{s}"
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60))) + "."
            text += f"{speaker}: "
            turns.append((len(text), len(text) + len(body)))
            text += body + "\n"
            speaker_index += 1
        texts.append((source_guid, text))
        xml.append(f'    <TextSource guid="{source_guid}" name="P{s:03d}" plainTextPath="internal://{source_guid}.txt">')
        for _ in range(per_source):
            start_turn, end_turn = rng.choice(turns)
            a = rng.randint(start_turn, end_turn - 2)
            b = rng.randint(a + 1, min(end_turn, a + 120))
            user = rng.choice(users)[0]
            code = rng.choice(leaves)[0]
            xml.append(f'      <PlainTextSelection guid="{guid(rng)}" startPosition="{a}" endPosition="{b}" creatingUser="{user}">'
                       f'<Coding guid="{guid(rng)}" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')
        xml.append("    </TextSource>")
    xml += ["  </Sources>", "</Project>"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", "\n".join(xml) + "\n")
        for source_guid, text in texts:
            archive.writestr(f"Sources/{source_guid}.txt", text)


def run(bin_path, args, cwd, check=True):
    """Wall-clock and CPU (user + system) seconds of one run; on a shared machine the CPU time
    is the steadier figure. `status` exits 1 when the study has problems to show, so it is not
    checked."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([bin_path] + args, cwd=cwd, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL if not check else None)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin")
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--codings", type=int, default=50000)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="an older triangulate binary to time in the same run")
    options = parser.parse_args()
    bins = [("before", os.path.abspath(options.before))] if options.before else []
    bins.append(("after" if options.before else "this build", os.path.abspath(options.bin)))
    folder = tempfile.mkdtemp(prefix="triangulate-project-bench-")
    try:
        project = os.path.join(folder, "bench.qdpx")
        generate(project, options.sources, options.codings, options.words)
        print(f"project: {options.sources} sources, {options.codings} codings, {os.path.getsize(project) / 1e6:.1f} MB")
        times = {label: {"import": [], "index": [], "export": []} for label, _ in bins}
        for index in range(options.runs):
            for label, bin_path in bins:
                study = os.path.join(folder, f"study-{label.replace(' ', '-')}-{index}")
                subprocess.run([bin_path, "init", study], check=True, stdout=subprocess.DEVNULL)
                times[label]["import"].append(run(bin_path, ["project", "import", project], study))
                times[label]["index"].append(run(bin_path, ["status"], study, check=False))
                times[label]["export"].append(run(bin_path, ["project", "export", os.path.join(folder, f"out-{index}.qdpx")], study))
                shutil.rmtree(study)
        for label, _ in bins:
            for name, what, target in (("import", "project import", "target < 10 s"), ("index", "first status (index build)", "no target"),
                                       ("export", "project export", "target < 5 s")):
                wall, cpu = min(times[label][name])
                print(f"{label}: {what}: {wall:.2f} s wall, {cpu:.2f} s CPU ({target})")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
