#!/usr/bin/env python3
"""Builds Fuzz/corpus/TARGET/ from the repository's own files and fixtures and, when present,
/work/shared/data (../shared/data beside the project). Each seed is cut to at most 16 KB at a
record boundary where the format has one. Run from the repository root:
    python3 Fuzz/tools/make_corpus.py
The committed corpus is this script's output; run again only to rebuild it."""
import hashlib, io, os, re, sys, zipfile, json

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.environ.get("TRIANGULATE_DATA", os.path.join(ROOT, "..", "..", "shared", "data"))
if not os.path.isdir(DATA):
    DATA = "/work/shared/data"
OUT = os.path.join(ROOT, "Fuzz", "corpus")
LIMIT = 16 * 1024
provenance = []

def put(target, name, data, source):
    if isinstance(data, str):
        data = data.encode("utf-8")
    assert len(data) < 64 * 1024, (target, name, len(data))
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
    provenance.append((target, name, len(data), source))

def read(path):
    with open(path, "rb") as f:
        return f.read()

def cut(data, separator):
    """The longest prefix of at most LIMIT bytes that ends just before a `separator`."""
    if len(data) <= LIMIT:
        return data
    index = data.rfind(separator, 0, LIMIT)
    return data[:index] if index > 0 else data[:LIMIT]

def cut_lines(data):
    if len(data) <= LIMIT:
        return data
    return data[: data.rfind(b"\n", 0, LIMIT) + 1]

def swift_literals(path):
    """The multi-line and raw string literals of a Swift test file, indentation removed."""
    text = read(path).decode("utf-8")
    for match in re.finditer(r'"""\n(.*?)\n([ \t]*)"""', text, re.S):
        body, indent = match.group(1), match.group(2)
        lines = [line[len(indent):] if line.startswith(indent) else line for line in body.split("\n")]
        yield "\n".join(lines).replace("\\n", "\n").replace("\\t", "\t") + "\n"
    for match in re.finditer(r'#"(.*?)"#', text):
        yield match.group(1)

def data_path(*parts):
    path = os.path.join(DATA, *parts)
    return path if os.path.exists(path) else None

# BibTeX
bib = [("corpus/literature/seed-papers.bib", os.path.join(ROOT, "corpus/literature/seed-papers.bib"))]
for name in ["xampl.bib", "biblatex-examples.bib", "handbook9_messy.bib", "dates-test.bib", "biblatex-gost-examples.bib",
             "biblatex-apa-test-references.bib", "notes-test.bib"]:
    if data_path("bib/texlive-bib-edgecases", name):
        bib.append(("shared/data/bib/texlive-bib-edgecases/" + name, data_path("bib/texlive-bib-edgecases", name)))
for name in ["acm.bib", "IEEE_Xplore.bib", "ScienceDirect.bib", "scopus.bib", "web_of_science.bib"]:
    if data_path("bib/llm-in-mde-2025-slr-exports", name):
        bib.append(("shared/data/bib/llm-in-mde-2025-slr-exports/" + name, data_path("bib/llm-in-mde-2025-slr-exports", name)))
for source, path in bib:
    put("bibtex", os.path.basename(path), cut(read(path), b"\n@"), source)

# RIS
ris = [("Tests/LiteratureTests/Fixtures/scopus_style_edge_cases.ris", os.path.join(ROOT, "Tests/LiteratureTests/Fixtures/scopus_style_edge_cases.ris"))]
for name in ["faulty_year.ris", "baseline_reference_types.ris", "baseline_tag-notes_labels.ris", "embase.ris", "ovid_zotero.ris",
             "ovid_psycinfo.ris", "proquest.ris", "pubmed_zotero.ris", "scopus.ris", "ris_many_authors.ris", "ris_issue_1099.txt",
             "ris_issue_992.txt", "pubmed_endnote.txt"]:
    if data_path("bib/asreview-demo-exports", name):
        ris.append(("shared/data/bib/asreview-demo-exports/" + name, data_path("bib/asreview-demo-exports", name)))
for source, path in ris:
    data = read(path)
    separator = b"\nTY  -" if b"\nTY  -" in data else b"\n\n"
    put("ris", os.path.basename(path), cut(data, separator), source)

# Web of Science
wos = [("Tests/LiteratureTests/Fixtures/wos_plain_text.txt", os.path.join(ROOT, "Tests/LiteratureTests/Fixtures/wos_plain_text.txt"))]
if data_path("bib/asreview-demo-exports", "web_of_science.txt"):
    wos.append(("shared/data/bib/asreview-demo-exports/web_of_science.txt", data_path("bib/asreview-demo-exports", "web_of_science.txt")))
for source, path in wos:
    data = read(path)
    part = cut(data, b"\nER")
    if part != data:
        part += b"\nER\n\nEF\n"
    put("wos", os.path.basename(path), part, source)

# CSV (literature exports, decisions, participants, datasets)
csv = ["corpus/participants.csv", "corpus/datasets/hf-2022/models.csv", "corpus/datasets/turnover/snapshots.csv",
       "corpus/datasets/hf-descendants/base_models.csv", "Tests/LiteratureTests/Fixtures/tabular/ieee_semicolon.csv",
       "Tests/LiteratureTests/Fixtures/tabular/wos_tab_delimited.txt", "Tests/LiteratureTests/Fixtures/review/scopus_export.csv",
       "Tests/LiteratureTests/Fixtures/decisions/covidence_stages.csv", "Tests/LiteratureTests/Fixtures/decisions/rayyan.csv",
       "Tests/LiteratureTests/Fixtures/decisions/rayyan_bad.csv", "Tests/ReportsTests/Golden/hostile.csv",
       "Tests/DatasetsTests/Reference/turnover_fixture.csv"]
for relative in csv:
    put("csv", os.path.basename(relative), cut_lines(read(os.path.join(ROOT, relative))), relative)
for folder, name in [("bib/asreview-demo-exports", "embase.csv"), ("interviews/icse2023-ptm-reuse-interviews", "Demographic_Data.csv"),
                     ("hf/liang2024-model-info", "model_info.csv")]:
    if data_path(folder, name):
        put("csv", name, cut_lines(read(data_path(folder, name))), "shared/data/%s/%s" % (folder, name))

# JSON: transcripts from the tests' literals, codings (JSON lines), dataset rows
count = 0
for test in ["Tests/TranscriptsTests/FormatsInTheWildTests.swift", "Tests/TranscriptsTests/TranscriptReaderTests.swift",
             "Tests/TranscriptsTests/SpeakerStyleTests.swift", "Tests/TranscriptsTests/InterviewerChoiceTests.swift"]:
    path = os.path.join(ROOT, test)
    if not os.path.exists(path):
        continue
    for literal in swift_literals(path):
        stripped = literal.strip()
        if stripped.startswith(("{", "[")):
            try:
                json.loads(stripped)
            except ValueError:
                continue
            count += 1
            put("json", "transcript-%02d.json" % count, literal, test + " (a string literal)")
for relative in ["corpus/codings/ana.jsonl", "corpus/datasets/turnover/pandas_reference.json", "Tests/ReportsTests/Golden/hostile.json"]:
    put("json", os.path.basename(relative), cut_lines(read(os.path.join(ROOT, relative))), relative)
for name in ["Kitchenham_2010.json"]:
    path = data_path("slr/asreview-systematic-review-datasets", name)
    if path:
        rows = json.loads(read(path))
        rows = rows if isinstance(rows, list) else rows.get("records", rows)
        if isinstance(rows, list):
            put("json", name, json.dumps(rows[:8], ensure_ascii=False, indent=1)[:LIMIT], "shared/data/slr/asreview-systematic-review-datasets/" + name + " (first 8 records)")

# Captions: the caption tests' literals
count = 0
for test in ["Tests/TranscriptsTests/CaptionReaderTests.swift", "Tests/TranscriptsTests/FormatsInTheWildTests.swift",
             "Tests/TranscriptsTests/TranscriptReaderTests.swift"]:
    path = os.path.join(ROOT, test)
    for literal in swift_literals(path):
        if "-->" in literal or re.search(r"\d:\d\d:\d\d\.\d+,\d", literal):
            count += 1
            extension = "vtt" if "WEBVTT" in literal else ("srt" if "-->" in literal else "sbv")
            put("captions", "caption-%02d.%s" % (count, extension), literal, test + " (a string literal)")

# .docx: three real transcripts as files, and two as their XML (document, NUL, comments)
docx = data_path("interviews/icse2023-ptm-reuse-interviews/transcripts")
if docx:
    for name in ["Interview-03-20220710.docx", "Interview-04-20220715.docx", "Interview-02-20220704.docx"]:
        put("docx", name, read(os.path.join(docx, name)), "shared/data/interviews/icse2023-ptm-reuse-interviews/transcripts/" + name)
    for name in ["Interview-03-20220710.docx", "Interview-05-20220715.docx"]:
        with zipfile.ZipFile(os.path.join(docx, name)) as archive:
            document = archive.read("word/document.xml")
            comments = archive.read("word/comments.xml") if "word/comments.xml" in archive.namelist() else b""
        document = cut(document, b"<w:p ") + b"</w:body></w:document>"
        part = document + (b"\0" + comments[: LIMIT // 2] if comments else b"")
        put("docx", name.replace(".docx", ".xml"), part, "shared/data/interviews/icse2023-ptm-reuse-interviews/transcripts/" + name + " (word/document.xml cut at a paragraph, NUL, word/comments.xml)")

# REFI-QDA
qdpx = data_path("qda/atlasti-8-standard-project", "TestProject.qdpx")
if qdpx:
    put("qdpx", "TestProject.qdpx", read(qdpx), "shared/data/qda/atlasti-8-standard-project/TestProject.qdpx")
    with zipfile.ZipFile(qdpx) as archive:
        qde = archive.read(next(n for n in archive.namelist() if n.lower() == "project.qde"))
    put("qde", "atlasti-project.qde", qde[:60000], "shared/data/qda/atlasti-8-standard-project/TestProject.qdpx (project.qde)")
    put("qdpx", "atlasti-project.qde", qde[:60000], "the same project.qde, for the harness's own packing")
for test in ["Tests/InterchangeTests/REFIProjectImportTests.swift", "Tests/InterchangeTests/REFIProjectWriterTests.swift", "Tests/QualitativeTests/REFIQDACodebookTests.swift"]:
    path = os.path.join(ROOT, test)
    if not os.path.exists(path):
        continue
    count = 0
    for literal in swift_literals(path):
        if "<Project" in literal or "<CodeBook" in literal:
            count += 1
            put("qde", "%s-%02d.qde" % (os.path.basename(test).replace(".swift", ""), count), literal, test + " (a string literal)")

# YAML: the demo study's own files
for relative in ["triangulate.yaml", "codebooks/reuse.yaml"] + ["corpus/claims/%s" % n for n in sorted(os.listdir(os.path.join(ROOT, "corpus/claims")))] \
        + ["corpus/datasets/%s" % n for n in sorted(os.listdir(os.path.join(ROOT, "corpus/datasets"))) if n.endswith(".yaml")]:
    put("yaml", relative.replace("/", "_"), cut_lines(read(os.path.join(ROOT, relative))), relative)

with open(os.path.join(OUT, "PROVENANCE.md"), "w") as f:
    f.write("# Seed corpus: where each file comes from\n\n")
    f.write("Written by `Fuzz/tools/make_corpus.py`. `shared/data/...` files are real data (see each folder's\n")
    f.write("PROVENANCE.md there for license and source: Apache-2.0, MIT, public domain or LPPL), cut to at most\n")
    f.write("16 KB at a record boundary; the rest are the repository's own files and test literals.\n\n")
    f.write("| target | seed | bytes | source |\n|---|---|---:|---|\n")
    for target, name, size, source in provenance:
        f.write("| %s | %s | %d | %s |\n" % (target, name, size, source))
print("\n".join("%-9s %3d seeds" % (t, sum(1 for p in provenance if p[0] == t)) for t in sorted({p[0] for p in provenance})))
