#!/usr/bin/env python3
"""Write the tutorial study's two coders' codings with offsets computed from the transcripts.

Reads: triangulate.yaml, corpus/participants.csv, corpus/transcripts/P01-P04.txt (parsed by
transcript_turns.py) and codebooks/reuse.yaml (to check every code id exists).
Writes: corpus/codings/ana.jsonl and corpus/codings/ben.jsonl.

The codings below are illustrative: two fictional coders, "ana" and "ben", coded the
illustrative transcripts. They mostly agree, but not entirely: some codes only one of them
applied, some spans differ, and twice they chose different codes for the same passage.
Each coding names a participant turn and the quoted passage; this script finds the passage
in the turn's text, asserts it occurs exactly once, and records start and end as Unicode
scalar offsets (Python str indices, end exclusive). A coding without a quote covers the
whole turn and is written without start, end and quote.
Run by hand after editing a transcript: python3 examples/tutorial/make_codings.py
"""

import datetime
import json
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from transcript_turns import REPO, participants, parse  # noqa: E402

# (transcript, turn, quote or None for the whole turn, code, memo or None)
ANA = [
    ("P01", 2, "starts from a pre-trained language model that we fine-tune on our customers' tickets", "adaptation/fine-tuning", None),
    ("P01", 4, "I open the Hub, filter by task and language, and sort by downloads", "selection/popularity", None),
    ("P01", 4, "The download count is the first filter, not the decision", "selection/popularity", "Popularity narrows the list; the validation set decides."),
    ("P01", 6, "A surprising number of models have no card at all, or a card that is just the auto-generated template with the training loss.", "documentation/model-cards", None),
    ("P01", 8, None, "documentation/missing-information", None),
    ("P01", 10, "the card had no licence field. The base model it was fine-tuned from was non-commercial.", "trust/licensing", "Licence inherited from the base model."),
    ("P01", 12, "Every few weeks, whenever a customer sends a new batch of labelled tickets.", "adaptation/fine-tuning", None),
    ("P01", 12, "We keep the same base model as long as we can, because switching means re-running the whole evaluation.", "adaptation/turnover", None),
    ("P01", 14, "A licence that is checked when you upload", "trust/licensing", None),
    ("P01", 14, "a required section on training data", "documentation/missing-information", None),
    ("P02", 2, "we always start from a backbone pre-trained on ImageNet or something larger and adapt it", "adaptation/fine-tuning", None),
    ("P02", 4, "I look at the leaderboard for the task, pick the architecture that reports the best mIoU at a size we can afford", "selection/performance", None),
    ("P02", 4, "If the checkpoint links back to the paper and to the authors' code, I trust it much more.", "trust/provenance", None),
    ("P02", 6, None, "trust/provenance", None),
    ("P02", 8, "a student spent three weeks trying to reach the accuracy reported on the model card and stayed four points below", "trust/reproducibility", None),
    ("P02", 8, "We could not reproduce the reported number until we found the original evaluation script in a GitHub issue.", "trust/reproducibility", None),
    ("P02", 8, "Nothing on the card said which script produced the number.", "documentation/model-cards", None),
    ("P02", 10, "One or two points, given different hardware and random seeds.", "trust/reproducibility", "Acceptable discrepancy: 1-2 points."),
    ("P02", 12, "The exact evaluation protocol, the dataset split, and the preprocessing.", "documentation/missing-information", None),
    ("P02", 12, "Model cards in vision are often thinner than in NLP", "documentation/model-cards", None),
    ("P02", 14, "We always fine-tune.", "adaptation/fine-tuning", None),
    ("P03", 4, "Who published it — we prefer verified organisations over individual accounts.", "trust/provenance", None),
    ("P03", 4, "a pickle file can run arbitrary code when you load it", "trust/provenance", "Security risk of the weight format, filed under provenance."),
    ("P03", 4, "And the licence, which goes to legal if it isn't on our allow-list.", "trust/licensing", None),
    ("P03", 6, "Mostly by popularity, I'd say. They take whatever is trending or has the most downloads for their task", "selection/popularity", None),
    ("P03", 6, "a model that is two points better but twice as slow never ships", "selection/performance", None),
    ("P03", 8, "Now the most downloaded model for a task changes every few months", "adaptation/turnover", None),
    ("P03", 10, "Upstream authors sometimes overwrite the weights in place, with no changelog", "adaptation/maintenance", None),
    ("P03", 10, "an author who answers issues and tags releases is worth more than a slightly better score", "adaptation/maintenance", None),
    ("P03", 12, "not the peak GPU memory or the latency on a CPU", "documentation/missing-information", None),
    ("P03", 14, "Signed releases and immutable versions.", "trust/provenance", None),
    ("P04", 4, "Popularity comes first for me, then maintenance, then quality.", "selection/popularity", None),
    ("P04", 6, None, "documentation/model-cards", None),
    ("P04", 8, "We fine-tune it on our own click data, roughly once a month.", "adaptation/fine-tuning", None),
    ("P04", 8, "The transformers library makes that part almost boring", "adaptation/fine-tuning", "The library lowers the cost of switching base models (cf. ESEM 2024 claim C1)."),
    ("P04", 8, "If there are hundreds of derived models, I know the base model fine-tunes well", "adaptation/fine-tuning", None),
    ("P04", 10, "the hosted inference widget gives different answers from the same model run locally", "trust/reproducibility", None),
    ("P04", 12, "The leaders change a lot; a model we adopted in spring was three places down the list by autumn.", "adaptation/turnover", None),
    ("P04", 14, "Models disappearing, or changing without a version bump.", "adaptation/maintenance", None),
]

BEN = [
    ("P01", 2, "starts from a pre-trained language model that we fine-tune on our customers' tickets", "adaptation/fine-tuning", None),
    ("P01", 4, "I open the Hub, filter by task and language, and sort by downloads. If something has a few million downloads a month, I assume a lot of people have already hit the sharp edges for me.", "selection/popularity", None),
    ("P01", 6, "A surprising number of models have no card at all, or a card that is just the auto-generated template with the training loss.", "documentation/model-cards", None),
    ("P01", 8, "The training data, almost always.", "documentation/missing-information", None),
    ("P01", 8, "so when my numbers come out lower I can't tell whether it's me or the model", "trust/reproducibility", "Missing hardware details make discrepancies impossible to diagnose."),
    ("P01", 10, "The base model it was fine-tuned from was non-commercial.", "trust/licensing", None),
    ("P01", 10, "Now a missing licence is a hard no for anything customer-facing.", "trust/licensing", None),
    ("P01", 12, "Every few weeks, whenever a customer sends a new batch of labelled tickets.", "adaptation/fine-tuning", None),
    ("P01", 14, "a required section on training data", "documentation/missing-information", None),
    ("P02", 4, "I look at the leaderboard for the task, pick the architecture that reports the best mIoU at a size we can afford", "selection/performance", None),
    ("P02", 4, "If the checkpoint links back to the paper and to the authors' code, I trust it much more.", "trust/provenance", None),
    ("P02", 6, "An anonymous upload with no paper is, for me, a model with unknown provenance", "trust/provenance", None),
    ("P02", 8, "We could not reproduce the reported number until we found the original evaluation script in a GitHub issue.", "trust/reproducibility", None),
    ("P02", 8, "Nothing on the card said which script produced the number.", "documentation/missing-information", "Evaluation script missing: a specific attribute, not the card as a whole."),
    ("P02", 10, None, "trust/reproducibility", None),
    ("P02", 12, "The exact evaluation protocol, the dataset split, and the preprocessing.", "documentation/missing-information", None),
    ("P02", 12, "Model cards in vision are often thinner than in NLP; many are just the class labels and a citation.", "documentation/model-cards", None),
    ("P02", 12, "the memory footprint at inference, which almost nobody reports", "documentation/missing-information", None),
    ("P02", 14, "We always fine-tune. Our images look nothing like ImageNet — drones, leaves, soil — so a frozen backbone gets us nowhere.", "adaptation/fine-tuning", None),
    ("P03", 4, "Who published it — we prefer verified organisations over individual accounts.", "trust/provenance", None),
    ("P03", 4, "And the licence, which goes to legal if it isn't on our allow-list.", "trust/licensing", None),
    ("P03", 6, "They take whatever is trending or has the most downloads for their task, then check latency on our hardware.", "selection/popularity", None),
    ("P03", 6, "a model that is two points better but twice as slow never ships", "selection/performance", None),
    ("P03", 8, "Now the most downloaded model for a task changes every few months", "adaptation/turnover", None),
    ("P03", 8, "My registry has more retired models than live ones.", "adaptation/turnover", None),
    ("P03", 10, "Upstream authors sometimes overwrite the weights in place, with no changelog", "adaptation/maintenance", None),
    ("P03", 10, "an author who answers issues and tags releases is worth more than a slightly better score", "adaptation/maintenance", None),
    ("P03", 12, "not the peak GPU memory or the latency on a CPU", "documentation/missing-information", None),
    ("P03", 14, "Signed releases and immutable versions.", "adaptation/maintenance", "Immutable versions answer the overwritten-weights problem of turn 10."),
    ("P04", 4, "I filter by task, then sort by downloads.", "selection/popularity", None),
    ("P04", 4, "Popularity comes first for me, then maintenance, then quality.", "selection/popularity", None),
    ("P04", 6, "For the big models, the cards are really good now", "documentation/model-cards", None),
    ("P04", 6, "For smaller ones it depends entirely on the author.", "documentation/model-cards", None),
    ("P04", 8, "We fine-tune it on our own click data, roughly once a month.", "adaptation/fine-tuning", None),
    ("P04", 8, "If there are hundreds of derived models, I know the base model fine-tunes well", "adaptation/fine-tuning", None),
    ("P04", 8, "If there are hundreds of derived models, I know the base model fine-tunes well", "selection/popularity", "Number of descendants used as a popularity signal."),
    ("P04", 10, "the hosted inference widget gives different answers from the same model run locally", "trust/reproducibility", None),
    ("P04", 12, "We run a small benchmark every quarter against the current top models for each language.", "selection/performance", None),
    ("P04", 12, "The leaders change a lot; a model we adopted in spring was three places down the list by autumn.", "adaptation/turnover", None),
    ("P04", 14, "Models disappearing, or changing without a version bump.", "adaptation/maintenance", None),
]

STARTS = {
    "ana": datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.timezone.utc),
    "ben": datetime.datetime(2026, 11, 21, 14, 0, tzinfo=datetime.timezone.utc),
}


def code_ids():
    with open(os.path.join(REPO, "codebooks/reuse.yaml"), encoding="utf-8") as f:
        book = yaml.safe_load(f)
    ids = set()

    def walk(codes, prefix):
        for code in codes or []:
            full = prefix + code["id"]
            ids.add(full)
            walk(code.get("codes"), full + "/")

    walk(book["codes"], "")
    return ids


def records(coder, specs, turns_by_transcript, known_codes, people):
    out = []
    for index, (transcript, turn, quote, code, memo) in enumerate(specs):
        where = f"{coder} #{index + 1} ({transcript} turn {turn})"
        assert code in known_codes, f"{where}: code {code!r} is not in codebooks/reuse.yaml"
        turns = turns_by_transcript[transcript]
        assert 1 <= turn <= len(turns), f"{where}: the transcript has {len(turns)} turns"
        speaker, text = turns[turn - 1]
        assert speaker == people[transcript]["pseudonym"], f"{where}: turn {turn} is spoken by {speaker}, not the participant"
        record = {"transcript": transcript, "turn": turn}
        if quote is not None:
            count = text.count(quote)
            assert count == 1, f"{where}: quote found {count} times, expected exactly once: {quote!r}"
            start = text.index(quote)
            end = start + len(quote)
            assert text[start:end] == quote
            record.update(start=start, end=end, quote=quote)
        record["code"] = code
        record["coder"] = coder
        at = STARTS[coder] + datetime.timedelta(minutes=2 * index)
        record["at"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        if memo is not None:
            record["memo"] = memo
        out.append(record)
    return out


def main():
    people = participants()
    turns_by_transcript = {transcript: parse(transcript) for transcript in sorted(people)}
    known_codes = code_ids()
    for coder, specs in (("ana", ANA), ("ben", BEN)):
        rows = records(coder, specs, turns_by_transcript, known_codes, people)
        path = os.path.join(REPO, "corpus/codings", coder + ".jsonl")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"{os.path.relpath(path, REPO)}: {len(rows)} codings")


if __name__ == "__main__":
    main()
