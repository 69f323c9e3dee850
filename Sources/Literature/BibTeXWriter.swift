import Foundation

/// Writes records as BibTeX that `BibTeXParser` reads back to the same fields.
///
/// Fields come in a fixed order (author, title, the venue, year, the rest alphabetically);
/// values are wrapped in braces with `\`, `{`, `}` and the characters LaTeX treats specially
/// escaped, so that a title like `C# & {F#}` survives. Identifier fields (`doi`, `url`, `eprint`,
/// `file`, …) are written verbatim, as the parser reads them: escaping `10.1000/a_b` as
/// `10.1000/a\_b` broke every DOI link. Non-ASCII text is written as UTF-8, which
/// biber and modern BibTeX read. Records are written in the order given. A backquote cannot be
/// written so that the parser reads it back (it is LaTeX's opening quote) and comes back as `‘`.
public enum BibTeXWriter {
    static let leadingFields = [
        "author", "editor", "title", "booktitle", "journal", "year", "month", "volume", "number", "pages", "publisher", "doi",
    ]

    public static func write(_ records: [BibliographicRecord]) -> String {
        export(records).text
    }

    /// The BibTeX of `records` with every citation key unique in the file (compared as BibTeX
    /// does, ignoring case): a repeated key gets `-2`, `-3`, … and a note says which, so an
    /// export that repeats keys is still written whole.
    public static func export(_ records: [BibliographicRecord]) -> (text: String, notes: [String]) {
        var used: Set<String> = []
        var notes: [String] = []
        var entries: [String] = []
        entries.reserveCapacity(records.count)
        for record in records {
            let base = key(record.key)
            var written = base
            var counter = 2
            while !used.insert(written.lowercased()).inserted {
                written = "\(base)-\(counter)"
                counter += 1
            }
            if written != base { notes.append("citation key '\(base)' of \(record.recordID) is used again; written as '\(written)'") }
            var copy = record
            copy.key = written
            entries.append(entry(copy))
        }
        return (entries.joined(separator: "\n"), notes)
    }

    static func entry(_ record: BibliographicRecord) -> String {
        let names = record.fields.keys.filter { !record.fields[$0]!.isEmpty }
        let ordered = leadingFields.filter(names.contains) + names.filter { !leadingFields.contains($0) }.sorted()
        let type = record.type.isEmpty ? "misc" : record.type.lowercased()
        var text = "@\(type){\(key(record.key)),\n"
        for name in ordered {
            let value = record.fields[name]!
            let written = BibTeXParser.nameFields.contains(name) ? Self.names(value)
                : BibTeXParser.verbatimFields.contains(name) ? verbatim(value) : escape(value)
            text += "  \(name) = {\(written)},\n"
        }
        return text + "}\n"
    }

    /// Keys may not hold spaces, commas, braces, quotes, `#`, `%` or `=`; those become `-`.
    static func key(_ key: String) -> String {
        let cleaned = String(key.map { " ,{}\"#%=()\\\t\n".contains($0) ? "-" : $0 })
        return cleaned.isEmpty ? "record" : cleaned
    }

    /// A name list as the parser stores it (names joined by ` and `, a name that itself holds
    /// `and` wrapped in one brace group): each name escaped, the `and`-holding ones re-braced.
    static func names(_ value: String) -> String {
        BibliographicRecord.names(in: value).map { name in
            let escaped = escape(name)
            return name.range(of: " and ", options: .caseInsensitive) == nil ? escaped : "{\(escaped)}"
        }.joined(separator: " and ")
    }

    /// An identifier as it is when its braces balance (the parser then reads it back unchanged);
    /// otherwise only its braces are escaped, which keeps the entry readable.
    static func verbatim(_ value: String) -> String {
        var depth = 0
        for character in value {
            if character == "{" { depth += 1 }
            if character == "}" { depth -= 1 }
            if depth < 0 { break }
        }
        let flat = value.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        guard depth == 0 else { return flat.replacingOccurrences(of: "{", with: "\\{").replacingOccurrences(of: "}", with: "\\}") }
        return flat
    }

    /// Escapes text for a brace-delimited BibTeX value.
    static func escape(_ value: String) -> String {
        var result = ""
        var previous: Character? = nil
        for character in value {
            // `--` and `''` are ligatures to the parser (en dash, closing quote); an empty group keeps them apart.
            if (character == "-" || character == "'"), previous == character { result += "{}" }
            previous = character
            switch character {
            case "\\": result += "\\textbackslash{}"
            case "{": result += "\\{"
            case "}": result += "\\}"
            case "&": result += "\\&"
            case "%": result += "\\%"
            case "$": result += "\\$"
            case "#": result += "\\#"
            case "_": result += "\\_"
            case "~": result += "\\textasciitilde{}"
            case "^": result += "\\textasciicircum{}"
            case "\n", "\r", "\r\n", "\t": result += " "
            default: result.append(character)
            }
        }
        return result
    }
}
