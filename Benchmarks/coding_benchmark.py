#!/usr/bin/env python3
"""Qualitative-coding speed: index build, refresh, full-text search and agreement on a large study.

Usage: python3 Benchmarks/coding_benchmark.py BIN [--transcripts 500] [--words 10000] [--codings 50000] [--runs 5]

Generates (fixed seed) a study of 500 transcripts of about 10,000 words each (5 million words),
a codebook of 40 codes and 50,000 codings by two coders (a quarter of them spans with quotes) in a
temporary folder, then times the release `triangulate` binary end to end, process start included:

  full index build      `triangulate status` with no .triangulate/          target <= 15 s
  refresh, no change    `triangulate status` again (best of --runs)          target <= 100 ms
  full-text query       `triangulate excerpts --search WORD` for a rare word, against a search
                        that matches nothing (the difference is the query)  target <= 20 ms
  agreement             `triangulate agreement` (best of runs)               target <= 1 s

Process start alone (`triangulate --version`) is printed too, so the figures can be read net of it.
Prints figures only; asserts nothing.
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
         "api user issue commit release update security pickle format safetensors community popular").split()


def generate(root, transcripts, words, codings, seed=7):
    rng = random.Random(seed)
    os.makedirs(os.path.join(root, "codebooks"))
    for sub in ("transcripts", "codings", "literature", "claims", "datasets"):
        os.makedirs(os.path.join(root, "corpus", sub))
    with open(os.path.join(root, "triangulate.yaml"), "w") as f:
        f.write("title: Benchmark study\ncoders: [ana, ben]\ninterviewer: [Interviewer]\n")
    codes = []
    with open(os.path.join(root, "codebooks", "bench.yaml"), "w") as f:
        f.write("name: Bench\ncodes:\n")
        for parent in range(8):
            f.write(f"  - id: theme{parent}\n    name: Theme {parent}\n    codes:\n")
            codes.append(f"theme{parent}")
            for child in range(4):
                f.write(f"      - id: code{child}\n        name: Code {parent}.{child}\n")
                codes.append(f"theme{parent}/code{child}")
    with open(os.path.join(root, "corpus", "participants.csv"), "w") as f:
        f.write("id,pseudonym,role,years\n")
        for i in range(transcripts):
            f.write(f"P{i:03d},Person{i:03d},{rng.choice(['engineer', 'researcher', 'manager'])},{rng.randint(1, 20)}\n")
    turns = {}
    for i in range(transcripts):
        tid = f"P{i:03d}"
        lines, count, number = [], 0, 0
        while count < words:
            number += 1
            speaker = "Interviewer" if number % 2 else f"Person{i:03d}"
            n = rng.randint(10, 40) if number % 2 else rng.randint(60, 200)
            chosen = [rng.choice(WORDS) for _ in range(n)]
            if number % 2 == 0 and rng.random() < 0.002:
                chosen[rng.randrange(n)] = "zeppelin"  # a rare word for the full-text query
            text = " ".join(chosen) + "."
            lines.append(f"{speaker}: {text}")
            count += n
            if number % 2 == 0:
                turns.setdefault(tid, []).append((number, text))
        with open(os.path.join(root, "corpus", "transcripts", tid + ".txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
    per_coder = codings // 2
    for coder in ("ana", "ben"):
        crng = random.Random(seed if coder == "ana" else seed + 1)
        with open(os.path.join(root, "corpus", "codings", coder + ".jsonl"), "w") as f:
            for _ in range(per_coder):
                tid = f"P{crng.randrange(transcripts):03d}"
                number, text = crng.choice(turns[tid])
                code = crng.choice(codes)
                if crng.random() < 0.25:
                    words_in = text.split(" ")
                    start_word = crng.randrange(max(1, len(words_in) - 6))
                    quote = " ".join(words_in[start_word:start_word + 5])
                    start = text.find(quote)
                    f.write('{"transcript":"%s","turn":%d,"start":%d,"end":%d,"quote":"%s","code":"%s","coder":"%s"}\n'
                            % (tid, number, start, start + len(quote), quote, code, coder))
                else:
                    f.write('{"transcript":"%s","turn":%d,"code":"%s","coder":"%s"}\n' % (tid, number, code, coder))


def timed(binary, args, cwd):
    start = time.perf_counter()
    result = subprocess.run([binary] + args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr.decode()[:500]}")
    return elapsed


def best(binary, args, cwd, runs):
    return min(timed(binary, args, cwd) for _ in range(runs))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--transcripts", type=int, default=500)
    parser.add_argument("--words", type=int, default=10000)
    parser.add_argument("--codings", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    root = tempfile.mkdtemp(prefix="triangulate-coding-bench-")
    try:
        generate(root, args.transcripts, args.words, args.codings)
        print(f"study: {args.transcripts} transcripts, about {args.transcripts * args.words:,} words, {args.codings:,} codings")
        print(f"process start (--version):  {best(binary, ['--version'], root, args.runs) * 1000:8.1f} ms")
        print(f"full index build (status):  {timed(binary, ['status'], root):8.2f} s    target <= 15 s")
        print(f"refresh, nothing changed:   {best(binary, ['status'], root, args.runs) * 1000:8.1f} ms   target <= 100 ms (status, end to end)")
        baseline = best(binary, ['excerpts', '--search', 'qqqqqq'], root, args.runs)
        query = best(binary, ['excerpts', '--search', 'zeppelin'], root, args.runs)
        print(f"search with no match:       {baseline * 1000:8.1f} ms   (process start, refresh, search that finds nothing)")
        print(f"full-text query:            {query * 1000:8.1f} ms   target <= 20 ms for the query: {max(0.0, query - baseline) * 1000:.1f} ms above the no-match run")
        print(f"agreement, all codings:     {best(binary, ['agreement'], root, args.runs):8.2f} s    target <= 1 s")
        print(f"agreement, character units: {best(binary, ['agreement', '--unit', 'character'], root, args.runs):8.2f} s")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
