#!/usr/bin/env python3
"""How many titles of large TeX bibliographies lose words to LaTeX commands (issue 13.5).

Usage: latex_title_loss.py OLD_LaTeXText.swift NEW_Sources/Literature BIB...

A command loses a word when the converter drops it without printing anything and it takes no
braced argument that would carry the text: `\\MF` (METAFONT) or `a\\emdash b` dropped to `ab`.
Font switches and spacing (`\\it`, `\\kern`, `\\relax`) print no word and are not counted. The
script reads the command tables from the Swift sources, so it measures the code as it is.
"""
import re
import sys
from pathlib import Path

NO_WORD = {"it", "em", "bf", "sl", "tt", "sf", "rm", "sc", "small", "smc", "ssf", "slnine", "ninesmc", "eightrm",
           "kern", "thinspace", "relax", "protect", "unskip", "hphantom", "smash", "noopsort", "par", "SMC", "SC",
           "toenglish", "endtoenglish", "isdot", "adddot", "addcomma", "nopunct", "partedit", "parteditandtrans"}


def names(swift, table):
    """The string keys of a Swift dictionary or set literal `static let TABLE ... = [ ... ]`."""
    match = re.search(r"static let " + table + r"\b[^=]*=\s*\[(.*?)\n\s*\]", swift, re.S)
    if not match:
        return set()
    body = match.group(1)
    keys = re.findall(r'"((?:[^"\\]|\\.)*)"\s*:', body)
    return set(keys) if keys else set(re.findall(r'"((?:[^"\\]|\\.)*)"', body))


def titles(path):
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    for match in re.finditer(r"^\s*title\s*=\s*", text, re.M | re.I):
        start = match.end()
        if start >= len(text):
            continue
        opener = text[start]
        if opener == '"':
            end = start + 1
            depth = 0
            while end < len(text) and not (text[end] == '"' and depth == 0 and text[end - 1] != "\\"):
                depth += text[end] == "{"
                depth -= text[end] == "}"
                end += 1
            yield text[start + 1:end]
        elif opener == "{":
            depth, end = 0, start
            while end < len(text):
                depth += text[end] == "{"
                depth -= text[end] == "}"
                if depth == 0:
                    break
                end += 1
            yield text[start + 1:end]


def word_losing(title, drops):
    """The commands of `title` that `drops` prints nothing for, that carry a word and no argument."""
    lost = []
    for match in re.finditer(r"\\([A-Za-z]+)\s*(\{?)(\}?)", title):
        name, brace, close = match.groups()
        takes_text = brace == "{" and close != "}"
        if drops(name) and name not in NO_WORD and not takes_text:
            lost.append(name)
    return lost


def main():
    old = Path(sys.argv[1]).read_text()
    new_dir = Path(sys.argv[2])
    new = (new_dir / "LaTeXText.swift").read_text() + (new_dir / "LaTeXCommands.swift").read_text()
    old_known = names(old, "symbols") | names(old, "accentMarks") | {"href"}
    new_printing = (names(new, "symbols") | names(new, "accentMarks") | names(new, "words") | names(new, "punctuation")
                    | names(new, "greek") | names(new, "namedLogos"))
    new_silent = names(new, "formatting") | names(new, "droppedArgument") | names(new, "withDimension") | names(new, "verbatim")
    total = before = after = kept = 0
    for path in sys.argv[3:]:
        for title in titles(path):
            total += 1
            # Before, every command outside the tables printed nothing; now such a command prints
            # its name, so only the commands listed as silent can lose a word.
            before += bool(word_losing(title, lambda name: name not in old_known))
            after += bool(word_losing(title, lambda name: name in new_silent and name not in new_printing))
            kept += any(name not in new_printing and name not in new_silent
                        for name in re.findall(r"\\([A-Za-z]+)", title))
    print(f"titles: {total}")
    print(f"before: {before} titles lost words ({100 * before / max(total, 1):.1f}%)")
    print(f"after: {after} titles lost words; {kept} titles keep an unknown command's name, each with a warning")


if __name__ == "__main__":
    main()
