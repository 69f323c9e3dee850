#!/usr/bin/env python3
"""Write the ICSE 2023 study's codebook and the authors' case-level codings from their notebook.

Reads corpus/sources/icse23/InterviewSaturation.ipynb (a copy of the ICSE 2023 artifact's; the
authors' participant-level coding: P<n>_sel, P<n>_att, P<n>_cha lists) and writes

  codebooks/icse23.yaml        three families: 17 selection criteria, 22 attributes, 6 challenges
  corpus/codings/icse23.jsonl  one case-level coding per participant and code, coder icse23
  corpus/participants.csv      (only with --participants DIR, DIR the received transcripts) ids P01..P12 with the interview date and
                               the file name of each transcript as received; the demographics and
                               roles are then merged in with `triangulate participant import` (see
                               corpus/NOTES.md)

A code's id is <family>/<slug of the label>; its name is the notebook's label exactly, so that
`analyze saturation --by label` merges the same label across families as the notebook does.
The definitions below were written for the demo from the framework matrix (Memos.xlsx) and, for
the challenges, the paper's abstract; see corpus/NOTES.md. Run from the repository root.
"""
import json, re, sys
from pathlib import Path

TRANSCRIPTS = Path(sys.argv[sys.argv.index("--participants") + 1]) if "--participants" in sys.argv else None
NOTEBOOK = Path("corpus/sources/icse23/InterviewSaturation.ipynb")  # copied as received

FAMILIES = [
    ("sel", "selection", "Selection criteria",
     "What the participant weighs when choosing a pre-trained model to reuse (the notebook's P<n>_sel lists)."),
    ("att", "attribute", "PTM attributes",
     "Information about a pre-trained model that the participant uses, or wants, when reusing it (the notebook's P<n>_att lists)."),
    ("cha", "challenge", "Challenges",
     "Difficulties the participant meets when reusing pre-trained models (the notebook's P<n>_cha lists)."),
]

DEFINITIONS = {
    "selection": {
        "cost": "The cost of running or adapting the model (compute, money).",
        "latency": "How fast the model must answer at inference time.",
        "license": "Whether the model's licence permits the intended use.",
        "ease of use": "How easily the model can be loaded, run and integrated.",
        "support": "Whether the model is supported by its publisher, a library or a community.",
        "fine-tunability": "Whether the model can be fine-tuned for the participant's task.",
        "use case": "Whether the model fits the participant's application or problem.",
        "model type": "The kind of model the task calls for (a language model, a CNN, ...).",
        "publication date": "How recent the model is.",
        "model size": "The model's size (parameters, memory) against the resources at hand.",
        "architecture": "The model's architecture.",
        "leaderboard": "The model's standing on a leaderboard or benchmark.",
        "task": "The task the model was trained for (classification, translation, ...).",
        "dataset": "The data the model was trained on, compared with the participant's data.",
        "papers": "The research paper that introduced or evaluated the model.",
        "capabilities": "What the model can do, as shown or claimed.",
        "experience": "The participant's or colleagues' earlier experience with the model.",
    },
    "attribute": {
        "popularity": "Downloads, likes, stars or other signs of how widely the model is used.",
        "license": "The model's licence.",
        "documentation": "The model card, README or other documentation that comes with the model.",
        "training configuration": "How the model was trained: hyperparameters, steps, set-up.",
        "latency": "The model's reported inference speed.",
        "hardware specification": "The hardware the model was trained on or needs.",
        "maintenance": "Whether the model is maintained and updated.",
        "dataset details": "Which data the model was trained and evaluated on, and how it was prepared.",
        "badge": "Badges or marks that vouch for a model or its publisher.",
        "demos": "Hosted demos, widgets or examples that show the model at work.",
        "performance table": "Reported evaluation results.",
        "bias": "Known biases of the model.",
        "training logs": "Logs of the training run (loss curves, metrics over time).",
        "quality": "The quality of the model and of its code.",
        "architecture details": "Details of the model's architecture.",
        "framework support": "The libraries and frameworks the model runs in (PyTorch, TensorFlow, Transformers, ...).",
        "fine-tuning instructions": "Instructions or scripts for fine-tuning the model.",
        "reproducibility": "Whether the model's reported results can be reproduced.",
        "quantized model": "Whether a quantized version of the model is available.",
        "use scenarios": "The uses the model is intended or suited for.",
        "cost estimation": "An estimate of what it costs to run or train the model.",
        "environment image": "A container or environment image in which the model runs.",
    },
    "challenge": {
        "Missing attributes": "Attributes the participant needs are missing from what comes with the model (the first of the paper's three challenges).",
        "Discrepancies": "Discrepancies between a model's claimed and its actual performance (the abstract's wording).",
        "Security and privacy risks": "Risks that reusing a model brings, such as unsafe weights or private training data (the abstract's 'model risks').",
        "Model search": "Finding a suitable model in the registry is hard.",
        "Model application": "Applying a model to the participant's own task or data is hard.",
        "Model flexibility": "A model cannot be adapted as the participant needs.",
    },
}


def slug(label):
    return "-".join(w for w in re.split(r"[^0-9a-z]+", label.lower()) if w)


def quote(text):
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ,.()'/-]*", text) and ": " not in text and not text.endswith(":"):
        return text
    return json.dumps(text, ensure_ascii=False)


def main():
    notebook = json.loads(NOTEBOOK.read_text())
    pattern = re.compile(r"^P(\d+)_(sel|att|cha)\s*=\s*\[(.*)\]\s*$", re.M)
    lists = {}
    for cell in notebook["cells"]:
        for n, fam, items in pattern.findall("".join(cell["source"])):
            lists[(int(n), fam)] = re.findall(r'"([^"]*)"', items)
    labels = {fam: [] for fam, *_ in FAMILIES}
    for n in range(1, 13):
        for fam, *_ in FAMILIES:
            for label in lists[(n, fam)]:
                if label not in labels[fam]:
                    labels[fam].append(label)
    assert [len(labels[f]) for f, *_ in FAMILIES] == [17, 22, 6], [len(labels[f]) for f, *_ in FAMILIES]

    out = ["name: ICSE 2023 pre-trained model reuse (the authors' coding)",
           "description: The three code families of Jiang et al.'s participant-level coding (InterviewSaturation.ipynb), in order of first use.",
           "codes:"]
    for fam, family, name, definition in FAMILIES:
        out += [f"  - id: {family}", f"    name: {quote(name)}", f"    definition: {quote(definition)}", "    codes:"]
        for label in labels[fam]:
            out += [f"      - id: {slug(label)}", f"        name: {quote(label)}",
                    f"        definition: {quote(DEFINITIONS[family][label])}"]
    Path("codebooks/icse23.yaml").write_text("\n".join(out) + "\n")

    lines = []
    for n in range(1, 13):
        for fam, family, *_ in FAMILIES:
            for label in lists[(n, fam)]:
                lines.append(json.dumps({"kind": "case", "participant": f"P{n:02d}", "code": f"{family}/{slug(label)}",
                                         "coder": "icse23"}, separators=(",", ":")))
    Path("corpus/codings/icse23.jsonl").write_text("\n".join(lines) + "\n")
    if "--participants" in sys.argv:
        names = sorted(p.name for p in TRANSCRIPTS.glob("Interview-*.docx"))
        rows = ["id,interview_date,received_as"]
        for name in names:
            number, date = re.fullmatch(r"Interview-(\d\d)-(\d{8})\.docx", name).groups()
            rows.append(f"P{number},{date[:4]}-{date[4:6]}-{date[6:]},{name}")
        assert len(rows) == 13
        Path("corpus/participants.csv").write_text("\n".join(rows) + "\n")
    print(f"{len(lines)} case-level codings, {sum(len(v) for v in labels.values())} codes", file=sys.stderr)


if __name__ == "__main__":
    main()
