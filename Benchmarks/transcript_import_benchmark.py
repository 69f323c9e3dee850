#!/usr/bin/env python3
"""Transcript import speed: 500 caption files against 500 plain-text files of the same size.

Usage: python3 Benchmarks/transcript_import_benchmark.py BIN [--files 500] [--words 3000] [--runs 3]

Generates (fixed seed) 500 SubRip caption files without speaker labels (cues of 6 to 14 words,
sentence ends and pauses now and then, as automatic captions have them) and 500 plain-text
transcripts of `Interviewer:`/participant turns padded to the same byte size as the caption file
of the same number, in a temporary folder. Then times the release `triangulate` binary end to end,
process start included, in two ways for each format:

  import one by one   `triangulate transcript import FILE --participant Pnnn` for all 500 files
                      into a fresh study (each import reads the file, copies it and refreshes
                      the index)
  index build         `triangulate status` on a study whose corpus/transcripts already holds the
                      500 files, with no .triangulate/ (every file is read and parsed once;
                      best of --runs)

Issue 10's target: captions take at most twice the time of plain text. Prints figures and the
ratios; asserts nothing.
"""
import argparse
import os
import random
import shutil
import subprocess
import tempfile
import time

WORDS = ("model download card licence dataset weights fine tune base hub registry version benchmark "
         "latency accuracy paper team production pipeline trust provenance reproduce result training "
         "evaluation metric task language vision audio token inference hardware memory deploy docker "
         "api user issue commit release update security pickle format safetensors community popular "
         "we they so and then because the a of to in it was is").split()


def clock(seconds):
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d},{rest % 1000:03d}"


def caption_file(rng, words):
    """SubRip cues without speakers; about one cue in four ends a sentence, one in ten pauses."""
    blocks, t, count, number = [], 1.0, 0, 0
    while count < words:
        number += 1
        n = rng.randint(6, 14)
        text = " ".join(rng.choice(WORDS) for _ in range(n))
        if rng.random() < 0.25:
            text += "."
        duration = n * 0.35
        blocks.append(f"{number}\n{clock(t)} --> {clock(t + duration)}\n{text}\n")
        t += duration + (2.5 if rng.random() < 0.1 else 0.1)
        count += n
    return "\n".join(blocks)


def text_file(rng, size, participant):
    """`Name: words` turns, alternating, until the file reaches `size` bytes."""
    lines, length, number = [], 0, 0
    while True:
        number += 1
        speaker = "Interviewer" if number % 2 else participant
        n = rng.randint(10, 40) if number % 2 else rng.randint(60, 200)
        line = f"{speaker}: " + " ".join(rng.choice(WORDS) for _ in range(n)) + "\n"
        if length + len(line) > size:
            rest = size - length - len(speaker) - 3
            if rest > 0:
                lines.append(f"{speaker}: " + ("x" * rest) + "\n")
            break
        lines.append(line)
        length += len(line)
    return "".join(lines)


def new_study(root):
    os.makedirs(os.path.join(root, "codebooks"))
    for sub in ("transcripts", "codings", "literature", "claims", "datasets"):
        os.makedirs(os.path.join(root, "corpus", sub))
    with open(os.path.join(root, "triangulate.yaml"), "w") as f:
        f.write("title: Transcript import benchmark\ncoders: [ana]\ninterviewer: [Interviewer]\n")
    with open(os.path.join(root, "corpus", "participants.csv"), "w") as f:
        f.write("id,pseudonym\n")


def run(binary, args, cwd):
    start = time.perf_counter()
    result = subprocess.run([binary] + args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr.strip()}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--words", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    rng = random.Random(10)
    work = tempfile.mkdtemp(prefix="triangulate-transcript-bench-")
    try:
        sources = {"srt": os.path.join(work, "srt"), "txt": os.path.join(work, "txt")}
        for folder in sources.values():
            os.makedirs(folder)
        total = {"srt": 0, "txt": 0}
        for i in range(options.files):
            captions = caption_file(rng, options.words)
            plain = text_file(rng, len(captions.encode()), f"P{i:03d}")
            for ext, content in (("srt", captions), ("txt", plain)):
                with open(os.path.join(sources[ext], f"P{i:03d}.{ext}"), "w") as f:
                    f.write(content)
                total[ext] += len(content.encode())
        print(f"{options.files} files per format, {total['srt'] / 1e6:.1f} MB of captions, {total['txt'] / 1e6:.1f} MB of plain text")
        print(f"process start (--version): {min(run(binary, ['--version'], work) for _ in range(5)) * 1000:.0f} ms")

        one_by_one, index = {}, {}
        for ext, folder in sources.items():
            study = os.path.join(work, f"study-{ext}")
            new_study(study)
            start = time.perf_counter()
            for i in range(options.files):
                run(binary, ["transcript", "import", os.path.join(folder, f"P{i:03d}.{ext}"), "--participant", f"P{i:03d}"], study)
            one_by_one[ext] = time.perf_counter() - start
            times = []
            for _ in range(options.runs):
                shutil.rmtree(os.path.join(study, ".triangulate"), ignore_errors=True)
                times.append(run(binary, ["status"], study))
            index[ext] = min(times)

        print(f"import one by one:  captions {one_by_one['srt']:.2f} s, plain text {one_by_one['txt']:.2f} s, "
              f"ratio {one_by_one['srt'] / one_by_one['txt']:.2f} (target <= 2)")
        print(f"index build:        captions {index['srt']:.2f} s, plain text {index['txt']:.2f} s, "
              f"ratio {index['srt'] / index['txt']:.2f} (target <= 2; best of {options.runs})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
