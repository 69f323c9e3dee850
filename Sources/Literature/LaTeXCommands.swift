/// The control words `LaTeXText` knows beyond accents: logos, dashes, letters and the commands
/// that only format their argument.
///
/// Surveyed on the bibliographies TeX users keep: Nelson Beebe's `tugboat.bib`, `texbook1–3.bib`,
/// `typeset.bib` and `font.bib` (TeX Live's `bibtex/bib/beebe`), whose titles use `\TeX` 1,629
/// times, `\LaTeX` 579, `\Dash` 211, `\emdash` 104, `\MF` 81, and the biblatex, APA, Chicago and
/// GOST example files. A control word found in none of these tables keeps its name as text and is
/// reported, because dropping it silently deleted words (`\MF` is METAFONT, `\VAX` the machine).
enum LaTeXCommands {
    /// Logos and words whose printed text is not simply the command's name.
    static let words: [String: String] = [
        "LaTeXe": "LaTeX2ε", "MF": "METAFONT", "slMF": "METAFONT", "MP": "METAPOST", "METAPOST": "METAPOST",
        "PS": "PostScript", "POSTSCRIPT": "PostScript", "TUB": "TUGboat", "AmS": "AMS", "AMS": "AMS",
        "AmSTeX": "AMS-TeX", "AMSTeX": "AMS-TeX", "AMSTEX": "AMS-TeX", "AmSLaTeX": "AMS-LaTeX", "AMSLaTeX": "AMS-LaTeX",
        "LAMSTeX": "LAMS-TeX", "AllTeX": "(La)TeX", "OMEGA": "Omega", "eOmega": "e-Omega", "eTeX": "ε-TeX",
        "TeXLive": "TeX Live", "SLiTeX": "SliTeX", "XYMTeX": "XyMTeX", "CONTEXT": "ConTeXt", "bs": "\\",
        "tubissue": "TUGboat", "BibLaTeX": "biblatex", "biber": "Biber",
    ]

    /// Logos that print exactly their own name (so they are neither dropped nor reported).
    static let namedLogos: Set<String> = [
        "TeX", "LaTeX", "BibTeX", "SliTeX", "ConTeXt", "LuaTeX", "LuaLaTeX", "XeTeX", "XeLaTeX", "pdfTeX", "pdfLaTeX",
        "METAFONT", "MetaPost", "MetaFun", "PiCTeX", "PiC", "LyX", "TikZ", "JTeX", "MTeX", "TeXworks", "XyMTeX", "Xy",
        "PDF", "DVI", "HTML", "XML", "SGML", "CSS", "MathML", "CTAN", "TUG", "NTS", "WEB", "CWEB", "VAX", "UNIX",
        "DVD", "Java", "EPIC", "FEATPOST", "GRAP", "PLOT", "CSTUG", "TeXML", "ExTeX", "MakeIndex", "TeXtures", "VorTeX",
    ]

    /// Dashes, spaces and other punctuation commands.
    static let punctuation: [String: String] = [
        "emdash": "—", "Dash": "—", "textemdash": "—", "endash": "–", "textendash": "–", "dash": "–",
        "bibrangedash": "–", "hyphen": "-", "textminus": "−", "slash": "/", "thinspace": " ", "enspace": " ",
        "quad": " ", "qquad": " ", "space": " ", "nobreakspace": " ", "times": "×", "texttimes": "×",
        "onethird": "⅓", "textonehalf": "½", "textonequarter": "¼", "textperiodcentered": "·", "dag": "†",
        "ddag": "‡", "textdagger": "†", "textsection": "§", "textparagraph": "¶", "textquotedbl": "\"",
        "textexclamdown": "¡", "textquestiondown": "¿", "textsterling": "£", "textyen": "¥", "textcent": "¢",
        "textdollar": "$", "textpercent": "%", "textampersand": "&", "backslash": "\\", "textasteriskcentered": "*",
    ]

    /// Greek letters, which titles use outside math too (`\Omega` the TeX extension).
    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
        "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ",
        "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
        "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "aleph": "ℵ",
    ]

    /// Commands that change only the look of the text (font switches, emphasis, case, boxes, links,
    /// biblatex punctuation hooks), or do nothing in plain text: dropped silently, arguments kept.
    static let formatting: Set<String> = [
        "textit", "textbf", "textsc", "textsf", "texttt", "textup", "textrm", "textmd", "textsl", "textnormal",
        "emph", "em", "it", "bf", "sc", "rm", "sf", "tt", "sl", "up", "md", "normalfont", "itshape", "bfseries",
        "scshape", "ttfamily", "sffamily", "rmfamily", "upshape", "slshape", "mdseries", "small", "footnotesize",
        "scriptsize", "tiny", "large", "Large", "LARGE", "huge", "Huge", "normalsize", "smc", "ninesmc", "SMC", "SC",
        "ssf", "slnine", "eightrm", "mkbibemph", "mkbibquote", "mkbibparens", "mkbibbrackets", "mkbibitalic",
        "mkbibbold", "enquote", "mbox", "hbox", "fbox", "makebox", "smash", "url", "href", "nolinkurl", "ensuremath",
        "protect", "relax", "unskip", "ignorespaces", "nobreak", "allowbreak", "linebreak", "newline", "par",
        "textsuperscript", "textsubscript", "uppercase", "lowercase", "MakeUppercase", "MakeLowercase",
        "MakeTextUppercase", "MakeTextLowercase", "acro", "acronym", "pkg", "cs", "file", "pgm", "macro", "booktitle",
        "logo", "textcite", "cite", "citeauthor", "fullcite", "headlessfullcite", "nth", "bibstring", "autocap",
        "adddot", "addcomma", "addsemicolon", "addcolon", "addperiod", "addspace", "isdot", "nopunct", "midsentence",
        "textzh", "textarabic", "textgreek", "textrussian", "textcyrillic", "cmslink", "cmd", "printfirst",
        "switchargs", "singleletter", "partedit", "parteditandtrans", "toenglish", "endtoenglish",
        "textlatin", "footnote",
    ]

    /// Commands whose first braced argument is not text: a language name, a sort key, a label.
    static let droppedArgument: Set<String> = [
        "foreignlanguage", "noopsort", "hyphenation", "index", "label", "phantom", "hphantom", "vphantom", "SortNoop",
        "sortnoop", "NoOp",
    ]

    /// Spacing commands followed by a dimension (`\kern-.1em`, `\hskip 2pt`), which is skipped.
    static let withDimension: Set<String> = ["kern", "hskip", "vskip", "mkern", "hspace", "vspace"]

    /// Commands whose argument is delimited by any character, like `\verb|x|` and `\path|x|`.
    static let verbatim: Set<String> = ["verb", "path"]
}
