#!/usr/bin/env python3
"""Parse the demo transcripts into numbered speaker turns (shared by the demo scripts).

Reads: triangulate.yaml (interviewer names), corpus/participants.csv (pseudonyms) and
corpus/transcripts/<id>.txt. Writes nothing. Run directly to print every turn with its
number, speaker and length, which is how the turn numbers in make_codings.py were chosen.

The rule is the one Triangulate's transcript reader applies to .txt files: lines before the
first turn are a preamble; a line "Speaker: text" whose Speaker is an interviewer name or the
participant's pseudonym starts a turn; the following lines that do not start a turn continue
it. A turn's text is its lines joined with "\n", the "Speaker: " prefix removed from the
first line, leading and trailing whitespace trimmed. Turns are numbered from 1 in file order.
Offsets are Python str indices, i.e. Unicode scalars.
"""

import csv
import os
import sys

import yaml

REPO = os.path.dirname(os.path.abspath(__file__))  # examples/tutorial


def interviewer_names():
    with open(os.path.join(REPO, "triangulate.yaml"), encoding="utf-8") as f:
        return list(yaml.safe_load(f)["interviewer"])


def participants():
    with open(os.path.join(REPO, "corpus/participants.csv"), encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def parse(transcript_id):
    """Return a list of (speaker, text) turns; turn n is element n - 1."""
    speakers = interviewer_names() + [participants()[transcript_id]["pseudonym"]]
    path = os.path.join(REPO, "corpus/transcripts", transcript_id + ".txt")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    turns = []
    for line in lines:
        speaker = next((s for s in speakers if line.startswith(s + ":")), None)
        if speaker is not None:
            rest = line[len(speaker) + 1:]
            if rest.startswith(" "):
                rest = rest[1:]
            turns.append([speaker, [rest]])
        elif turns:
            turns[-1][1].append(line)
    return [(speaker, "\n".join(body).strip()) for speaker, body in turns]


def main():
    ids = sys.argv[1:] or sorted(participants())
    for transcript_id in ids:
        for number, (speaker, text) in enumerate(parse(transcript_id), start=1):
            print(f"{transcript_id} turn {number:2d} {speaker:12s} {len(text):4d}  {text[:70]!r}")


if __name__ == "__main__":
    main()
