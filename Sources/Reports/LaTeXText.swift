import Foundation

/// Something in a table that LaTeX output could not show as given, reported beside the output so
/// the author can fix the source text (the output itself still compiles).
public struct LaTeXWarning: Sendable, Equatable, CustomStringConvertible {
    /// Where the text came from: "title", "header of column 'claim'", "row 3, column 'claim'", "note 2".
    public var location: String
    /// What was replaced, e.g. "U+1F52C (no pdflatex equivalent) shown as [U+1F52C]".
    public var message: String

    /// A warning.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Maps user text to LaTeX that pdflatex typesets with no package beyond the kernel, in the
/// default OT1 font encoding: the output of `LaTeXText.escape` is pure ASCII.
///
/// Why ASCII and not UTF-8: LaTeX's UTF-8 input (the default since 2018) knows only the characters
/// the loaded font encodings declare, so a `≥` or an `α` in a claim stops pdflatex with "Unicode
/// character not set up for use with LaTeX". Writing every non-ASCII character as a macro makes the
/// fragment independent of the author's preamble (inputenc, fontenc, babel) and of the engine.
///
/// - Accented Latin letters are decomposed (Unicode canonical decomposition) into a base letter and
///   accent macros (`é` → `\'{e}`, `ő` → `\H{o}`, `ï` → `\"{\i}`); letters with their own macro
///   (`ß æ œ ø å ł đ ı`) use it.
/// - Greek letters, arithmetic, relation and arrow symbols are set in math (`\ensuremath{\geq}`);
///   Greek capitals that look Latin are set as upright Latin letters.
/// - Dashes, curly quotes, the ellipsis, the non-breaking space and the common text symbols
///   (`§ ¶ © ® ™ ° † ‡ •`) use their kernel macros.
/// - Invisible format characters (zero-width joiner, variation selectors, byte-order mark) are
///   dropped: they carry no glyph. A soft hyphen becomes `\-`.
/// - Anything else (emoji, CJK, symbols without a kernel equivalent) becomes a visible
///   placeholder, `[U+XXXX]` in typewriter type, and a warning; it never stops the compile.
public enum LaTeXText {
    /// Escapes `text` for LaTeX's text mode; line breaks become `lineBreak`. Characters that have
    /// no equivalent are appended to `unmapped` (once per occurrence).
    static func escape(_ text: String, lineBreak: String, unmapped: inout [Unicode.Scalar]) -> String {
        let scalars = Array(PlainText.normalizingLineBreaks(text).precomposedStringWithCanonicalMapping.unicodeScalars)
        var result = ""
        for (index, scalar) in scalars.enumerated() {
            let previous = index > 0 ? scalars[index - 1] : nil
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch scalar {
            case "\n": result += lineBreak
            case "\t": result += " "
            case "\\": result += "\\textbackslash{}"
            case "{": result += "\\{"
            case "}": result += "\\}"
            case "_": result += "\\_"
            case "&": result += "\\&"
            case "%": result += "\\%"
            case "$": result += "\\$"
            case "#": result += "\\#"
            case "~": result += "\\textasciitilde{}"
            case "^": result += "\\textasciicircum{}"
            case "<": result += "\\textless{}"
            case ">": result += "\\textgreater{}"
            case "|": result += "\\textbar{}"
            case "\"": result += opensQuote(after: previous) ? "\\textquotedblleft{}" : "\\textquotedblright{}"
            case "'": result += opensQuote(after: previous) ? "\\textquoteleft{}" : "\\textquoteright{}"
            case "`": result += "\\textasciigrave{}"
            case "[": result += "{[}"
            case "]": result += "{]}"
            case "-" where next == "-": result += "-{}"
            case "," where next == ",": result += ",{}"
            default:
                if PlainText.isUnprintableControl(scalar) {
                    result += " "
                } else if scalar.isASCII {
                    result.unicodeScalars.append(scalar)
                } else if let mapped = nonASCII(scalar) {
                    result += mapped
                } else {
                    unmapped.append(scalar)
                    result += "\\texttt{[U+\(hex(scalar))]}"
                }
            }
        }
        return result
    }

    /// Escapes `text` and turns the characters it could not map into warnings at `location`.
    static func escape(_ text: String, lineBreak: String, location: @autoclosure () -> String,
                       warnings: inout [LaTeXWarning]) -> String {
        var unmapped: [Unicode.Scalar] = []
        let escaped = escape(text, lineBreak: lineBreak, unmapped: &unmapped)
        if !unmapped.isEmpty {
            let codes = unmapped.map { "U+\(hex($0))" }
            warnings.append(LaTeXWarning(
                location: location(),
                message: "\(codes.joined(separator: ", ")) \(unmapped.count == 1 ? "has" : "have") no pdflatex equivalent; shown as [U+…] placeholders"))
        }
        return escaped
    }

    /// The code point in upper-case hexadecimal, at least four digits.
    static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Whether a straight quote after `previous` opens a quotation: at the start of the text, or
    /// after a space or an opening bracket.
    private static func opensQuote(after previous: Unicode.Scalar?) -> Bool {
        guard let previous else {
            return true
        }
        return previous.properties.isWhitespace || "([{".unicodeScalars.contains(previous)
    }

    /// The LaTeX for one non-ASCII scalar, or nil when it has none.
    static func nonASCII(_ scalar: Unicode.Scalar) -> String? {
        if let symbol = symbols[scalar.value] {
            return symbol
        }
        if let math = mathSymbols[scalar.value] {
            return "\\ensuremath{\(math)}"
        }
        if scalar.properties.isDefaultIgnorableCodePoint {
            return ""
        }
        if scalar.properties.generalCategory == .spaceSeparator {
            return " "
        }
        return accented(scalar)
    }

    /// A precomposed Latin letter as accent macros around an ASCII base letter (`ṓ` → `\'{\={o}}`).
    private static func accented(_ scalar: Unicode.Scalar) -> String? {
        let parts = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
        guard parts.count >= 2, let base = parts.first, base.isASCII, base.properties.isAlphabetic else {
            return nil
        }
        var body: String
        let marks = parts.dropFirst()
        let hasAccentAbove = marks.contains { accentsAbove.contains($0.value) }
        switch base {
        case "i" where hasAccentAbove: body = "\\i"
        case "j" where hasAccentAbove: body = "\\j"
        default: body = String(base)
        }
        for mark in marks {
            guard let accent = accents[mark.value] else {
                return nil
            }
            body = "\(accent){\(body)}"
        }
        return body
    }

    /// Combining marks and the kernel accent command that draws each (OT1-safe: no `\k` ogonek).
    private static let accents: [UInt32: String] = [
        0x0300: "\\`", 0x0301: "\\'", 0x0302: "\\^", 0x0303: "\\~", 0x0304: "\\=", 0x0306: "\\u",
        0x0307: "\\.", 0x0308: "\\\"", 0x030A: "\\r", 0x030B: "\\H", 0x030C: "\\v", 0x0323: "\\d",
        0x0327: "\\c", 0x0331: "\\b", 0x0328: "\\c",
    ]

    /// The marks drawn above the letter, which need a dotless i or j.
    private static let accentsAbove: Set<UInt32> = [0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0306, 0x0307, 0x0308, 0x030A, 0x030B, 0x030C]

    /// Text-mode kernel macros.
    private static let symbols: [UInt32: String] = [
        0x00A0: "~", 0x00AD: "\\-", 0x2002: " ", 0x2003: " ", 0x2009: "\\,", 0x202F: "\\,",
        0x2013: "\\textendash{}", 0x2014: "\\textemdash{}", 0x2012: "\\textendash{}", 0x2015: "\\textemdash{}",
        0x2010: "-", 0x2011: "-",
        0x2018: "\\textquoteleft{}", 0x2019: "\\textquoteright{}", 0x201A: ",", 0x201B: "\\textquoteleft{}",
        0x201C: "\\textquotedblleft{}", 0x201D: "\\textquotedblright{}", 0x201E: ",{},",
        0x2026: "\\ldots{}", 0x2022: "\\textbullet{}", 0x00B7: "\\textperiodcentered{}",
        0x00A7: "\\S{}", 0x00B6: "\\P{}", 0x00A9: "\\copyright{}", 0x00AE: "\\textregistered{}",
        0x2122: "\\texttrademark{}", 0x00B0: "\\ensuremath{^{\\circ}}", 0x2020: "\\dag{}", 0x2021: "\\ddag{}",
        0x00A1: "\\textexclamdown{}", 0x00BF: "\\textquestiondown{}", 0x00A3: "\\pounds{}",
        0x00AB: "\\ensuremath{\\ll}", 0x00BB: "\\ensuremath{\\gg}", 0x2039: "\\ensuremath{<}", 0x203A: "\\ensuremath{>}",
        0x00DF: "\\ss{}", 0x00E6: "\\ae{}", 0x00C6: "\\AE{}", 0x0153: "\\oe{}", 0x0152: "\\OE{}",
        0x00F8: "\\o{}", 0x00D8: "\\O{}", 0x00E5: "\\aa{}", 0x00C5: "\\AA{}", 0x0142: "\\l{}", 0x0141: "\\L{}",
        0x0131: "\\i{}", 0x0237: "\\j{}", 0x0111: "d", 0x0110: "D", 0x00F0: "d", 0x00D0: "D", 0x00FE: "th", 0x00DE: "Th",
        0x00B9: "\\textsuperscript{1}", 0x00B2: "\\textsuperscript{2}", 0x00B3: "\\textsuperscript{3}",
        0x00BC: "\\ensuremath{\\frac{1}{4}}", 0x00BD: "\\ensuremath{\\frac{1}{2}}", 0x00BE: "\\ensuremath{\\frac{3}{4}}",
        0x2030: "\\ensuremath{{}^{0}\\!/_{00}}", 0x2116: "No.", 0x2212: "\\ensuremath{-}", 0x2044: "/",
        // Greek capitals that look like Latin letters, upright as in Greek text.
        0x0391: "A", 0x0392: "B", 0x0395: "E", 0x0396: "Z", 0x0397: "H", 0x0399: "I", 0x039A: "K", 0x039C: "M",
        0x039D: "N", 0x039F: "O", 0x03A1: "P", 0x03A4: "T", 0x03A7: "X", 0x03BF: "o",
    ]

    /// Math-mode symbols, wrapped in `\ensuremath`.
    private static let mathSymbols: [UInt32: String] = [
        // Greek.
        0x03B1: "\\alpha", 0x03B2: "\\beta", 0x03B3: "\\gamma", 0x03B4: "\\delta", 0x03B5: "\\epsilon",
        0x03B6: "\\zeta", 0x03B7: "\\eta", 0x03B8: "\\theta", 0x03B9: "\\iota", 0x03BA: "\\kappa",
        0x03BB: "\\lambda", 0x03BC: "\\mu", 0x00B5: "\\mu", 0x03BD: "\\nu", 0x03BE: "\\xi", 0x03C0: "\\pi",
        0x03C1: "\\rho", 0x03C2: "\\varsigma", 0x03C3: "\\sigma", 0x03C4: "\\tau", 0x03C5: "\\upsilon",
        0x03C6: "\\phi", 0x03C7: "\\chi", 0x03C8: "\\psi", 0x03C9: "\\omega", 0x03D1: "\\vartheta",
        0x03D5: "\\phi", 0x03F5: "\\epsilon", 0x03D6: "\\varpi", 0x03F1: "\\varrho",
        0x0393: "\\Gamma", 0x0394: "\\Delta", 0x0398: "\\Theta", 0x039B: "\\Lambda", 0x039E: "\\Xi",
        0x03A0: "\\Pi", 0x03A3: "\\Sigma", 0x03A5: "\\Upsilon", 0x03A6: "\\Phi", 0x03A8: "\\Psi", 0x03A9: "\\Omega",
        0x2126: "\\Omega", 0x2206: "\\Delta",
        // Relations and operators.
        0x2265: "\\geq", 0x2264: "\\leq", 0x2260: "\\neq", 0x2248: "\\approx", 0x2261: "\\equiv", 0x223C: "\\sim",
        0x2243: "\\simeq", 0x2245: "\\cong", 0x226A: "\\ll", 0x226B: "\\gg", 0x221D: "\\propto", 0x00B1: "\\pm",
        0x2213: "\\mp", 0x00D7: "\\times", 0x00F7: "\\div", 0x22C5: "\\cdot", 0x2219: "\\cdot", 0x2218: "\\circ",
        0x221A: "\\surd", 0x221E: "\\infty", 0x2211: "\\sum", 0x220F: "\\prod", 0x222B: "\\int", 0x2202: "\\partial",
        0x2207: "\\nabla", 0x2208: "\\in", 0x2209: "\\notin", 0x220B: "\\ni", 0x2282: "\\subset", 0x2283: "\\supset",
        0x2286: "\\subseteq", 0x2287: "\\supseteq", 0x222A: "\\cup", 0x2229: "\\cap", 0x2227: "\\wedge",
        0x2228: "\\vee", 0x00AC: "\\neg", 0x2200: "\\forall", 0x2203: "\\exists", 0x2205: "\\emptyset",
        0x2216: "\\setminus", 0x2217: "\\ast", 0x2032: "'", 0x2033: "''", 0x2225: "\\parallel", 0x22A5: "\\perp",
        0x2223: "\\mid", 0x2026: "\\ldots", 0x22EF: "\\cdots", 0x2295: "\\oplus", 0x2297: "\\otimes",
        // Arrows.
        0x2192: "\\rightarrow", 0x2190: "\\leftarrow", 0x2194: "\\leftrightarrow", 0x2191: "\\uparrow",
        0x2193: "\\downarrow", 0x21D2: "\\Rightarrow", 0x21D0: "\\Leftarrow", 0x21D4: "\\Leftrightarrow",
        0x21A6: "\\mapsto", 0x27F6: "\\longrightarrow", 0x27F5: "\\longleftarrow", 0x2197: "\\nearrow",
        0x2198: "\\searrow",
    ]
}
