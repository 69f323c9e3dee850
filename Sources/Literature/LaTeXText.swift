import Foundation

/// Conversion of the LaTeX found in bibliography fields to plain Unicode text.
///
/// The converter walks UTF-8 bytes once. Accents become a base letter followed by a combining
/// mark, and the result is put in Unicode normalization form C only when a combining mark was
/// written or read, so `{\"o}`, `\"{o}` and `\"o` all give the precomposed `ö` without paying for
/// normalization on the plain-ASCII fields that make up most of an export. Braces are dropped
/// (they only protect case in BibTeX). Logos, dashes and letters come from `LaTeXCommands`;
/// formatting commands are dropped and their arguments kept, so `\textit{x}`, `\mkbibemph{x}` and
/// `{\em x}` all give `x`. Any other command keeps its name as text (`\VAX` gives `VAX`) and is
/// reported, so no word is ever deleted silently. Math between `$` signs is copied verbatim
/// because there is no faithful plain-text form of it.
public enum LaTeXText {
    public static func toUnicode(_ text: String) -> String {
        convert(Array(text.utf8)[...])
    }

    /// The text and the names of the commands it used that no table knows, in order of first use.
    public static func toUnicodeReporting(_ text: String) -> (text: String, unknownCommands: [String]) {
        convertReporting(Array(text.utf8)[...])
    }

    static func convert(_ bytes: ArraySlice<UInt8>) -> String {
        convertReporting(bytes).text
    }

    static func convertReporting(_ bytes: ArraySlice<UInt8>) -> (text: String, unknownCommands: [String]) {
        if isPlain(bytes) { return (String(decoding: bytes, as: UTF8.self), []) }
        var converter = Converter(input: bytes)
        converter.run(from: bytes.startIndex, to: bytes.endIndex)
        let text = String(decoding: converter.output, as: UTF8.self)
        return (converter.needsComposition ? text.precomposedStringWithCanonicalMapping : text, converter.unknown)
    }

    /// True when the converter would copy `bytes` unchanged: no braces, commands, math, ties,
    /// quotes or dashes it rewrites, no combining mark, and spaces only single and inside. Most
    /// abstracts are such text, and the check is a fraction of the conversion's cost.
    static func isPlain(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return bytes.isEmpty }
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\\"), UInt8(ascii: "$"), UInt8(ascii: "~"), UInt8(ascii: "`"),
                 0x09, 0x0A, 0x0C, 0x0D, 0xCC, 0xCD:
                return false
            case UInt8(ascii: "-"), UInt8(ascii: "'"), 0x20:
                if previous == byte { return false }
            default:
                break
            }
            previous = byte
        }
        return true
    }

    /// Accent commands and the combining mark each one adds.
    static let accentMarks: [String: Unicode.Scalar] = [
        "\"": "\u{0308}", "'": "\u{0301}", "`": "\u{0300}", "^": "\u{0302}", "~": "\u{0303}",
        "=": "\u{0304}", ".": "\u{0307}", "u": "\u{0306}", "v": "\u{030C}", "H": "\u{030B}",
        "c": "\u{0327}", "k": "\u{0328}", "r": "\u{030A}", "d": "\u{0323}", "b": "\u{0331}",
        "t": "\u{0361}",
    ]

    /// Control words that stand for a character or a short text.
    static let symbols: [String: String] = [
        "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
        "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
        "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ",
        "ldots": "…", "dots": "…", "textellipsis": "…", "textendash": "–", "textemdash": "—",
        "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”",
        "guillemotleft": "«", "guillemotright": "»", "S": "§", "P": "¶", "copyright": "©",
        "textcopyright": "©", "textregistered": "®", "texttrademark": "™", "textdegree": "°",
        "textasciitilde": "~", "textasciicircum": "^", "textbackslash": "\\", "textbar": "|",
        "textless": "<", "textgreater": ">", "textunderscore": "_", "textbullet": "•",
        "pounds": "£", "euro": "€",
    ]

    private struct Converter {
        let input: ArraySlice<UInt8>
        var output: [UInt8] = []
        var pendingSpace = false
        var needsComposition = false
        /// Commands kept as their names because no table knows them.
        var unknown: [String] = []

        init(input: ArraySlice<UInt8>) {
            self.input = input
            output.reserveCapacity(input.count)
        }

        mutating func run(from start: Int, to end: Int) {
            var index = start
            while index < end {
                let byte = input[index]
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "}"):
                    index += 1
                case UInt8(ascii: "\\"):
                    index = command(at: index, end: end)
                case UInt8(ascii: "$"):
                    index = math(at: index, end: end)
                case UInt8(ascii: "~"):
                    pendingSpace = !output.isEmpty
                    index += 1
                case UInt8(ascii: "-"):
                    var run = 0
                    while index + run < end, input[index + run] == UInt8(ascii: "-") { run += 1 }
                    index += run
                    while run >= 3 { emit("—"); run -= 3 }
                    if run == 2 { emit("–") } else if run == 1 { emit(byte) }
                case UInt8(ascii: "`"):
                    if index + 1 < end, input[index + 1] == byte {
                        emit("“")
                        index += 2
                    } else {
                        emit("‘")
                        index += 1
                    }
                case UInt8(ascii: "'"):
                    if index + 1 < end, input[index + 1] == byte {
                        emit("”")
                        index += 2
                    } else {
                        emit(byte)
                        index += 1
                    }
                case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                    pendingSpace = !output.isEmpty
                    index += 1
                default:
                    // Combining marks U+0300..U+036F start with 0xCC or 0xCD in UTF-8.
                    if byte == 0xCC || byte == 0xCD { needsComposition = true }
                    emit(byte)
                    index += 1
                }
            }
        }

        mutating func emit(_ byte: UInt8) {
            if pendingSpace {
                output.append(0x20)
                pendingSpace = false
            }
            output.append(byte)
        }

        mutating func emit(_ text: String) {
            for byte in text.utf8 { emit(byte) }
        }

        /// Handles the command whose backslash is at `index`; returns the index after it.
        mutating func command(at index: Int, end: Int) -> Int {
            let next = index + 1
            guard next < end else { return end }
            let first = input[next]
            guard Bytes.isLetter(first) else {
                return controlSymbol(first, at: next, end: end)
            }
            var wordEnd = next
            while wordEnd < end, Bytes.isLetter(input[wordEnd]) { wordEnd += 1 }
            let word = String(decoding: input[next..<wordEnd], as: UTF8.self)
            var after = skipSpaces(from: wordEnd, end: end)
            if let mark = LaTeXText.accentMarks[word] {
                return accent(mark, argumentAt: after, end: end)
            }
            if let symbol = LaTeXText.symbols[word] ?? LaTeXCommands.words[word] ?? LaTeXCommands.punctuation[word]
                ?? LaTeXCommands.greek[word] ?? (LaTeXCommands.namedLogos.contains(word) ? word : nil) {
                emit(symbol)
                if after + 1 < end, input[after] == UInt8(ascii: "{"), input[after + 1] == UInt8(ascii: "}") {
                    after += 2
                }
                return after
            }
            if word == "href", after < end, input[after] == UInt8(ascii: "{") {
                return groupEnd(from: after, end: end)
            }
            if LaTeXCommands.droppedArgument.contains(word) {
                return after < end && input[after] == UInt8(ascii: "{") ? groupEnd(from: after, end: end) : after
            }
            if LaTeXCommands.withDimension.contains(word) {
                return dimensionEnd(from: after, end: end)
            }
            if LaTeXCommands.verbatim.contains(word), wordEnd < end {
                return verbatimArgument(from: wordEnd, end: end)
            }
            if LaTeXCommands.formatting.contains(word) { return after }
            if !unknown.contains(word) { unknown.append(word) }
            if after < end, input[after] == UInt8(ascii: "{"), !(after + 1 < end && input[after + 1] == UInt8(ascii: "}")) {
                // `\foo{text}`: most likely a formatting command; its argument is the text.
                return after
            }
            emit(word)
            // Printed as a word, the name keeps the space after it, which TeX would have eaten.
            if after > wordEnd { pendingSpace = true }
            if after + 1 < end, input[after] == UInt8(ascii: "{"), input[after + 1] == UInt8(ascii: "}") { after += 2 }
            return after
        }

        /// The index after a TeX dimension (`-.1em`, `2pt`, `{0.5em}`) starting at `start`.
        func dimensionEnd(from start: Int, end: Int) -> Int {
            if start < end, input[start] == UInt8(ascii: "{") { return groupEnd(from: start, end: end) }
            var index = start
            while index < end, input[index] == UInt8(ascii: "-") || input[index] == UInt8(ascii: "+")
                || input[index] == UInt8(ascii: ".") || Bytes.isDigit(input[index]) { index += 1 }
            var unit = index
            while unit < end, Bytes.isLetter(input[unit]), unit - index < 2 { unit += 1 }
            return unit - index == 2 ? unit : index
        }

        /// Copies `|text|` (any delimiter, or a braced group) after `\verb` or `\path` as it is.
        mutating func verbatimArgument(from start: Int, end: Int) -> Int {
            let delimiter = input[start]
            if delimiter == UInt8(ascii: "{") {
                let close = groupEnd(from: start, end: end)
                for byte in input[(start + 1)..<max(start + 1, close - 1)] { emit(byte) }
                return close
            }
            var index = start + 1
            while index < end, input[index] != delimiter { emit(input[index]); index += 1 }
            return min(index + 1, end)
        }

        mutating func controlSymbol(_ symbol: UInt8, at index: Int, end: Int) -> Int {
            let scalar = String(UnicodeScalar(symbol))
            if let mark = LaTeXText.accentMarks[scalar] {
                return accent(mark, argumentAt: index + 1, end: end)
            }
            switch symbol {
            case UInt8(ascii: "&"), UInt8(ascii: "%"), UInt8(ascii: "$"), UInt8(ascii: "#"),
                UInt8(ascii: "_"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                emit(symbol)
            case UInt8(ascii: "\\"), UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: ";"),
                UInt8(ascii: ":"), UInt8(ascii: "!"), 0x0A, 0x0D, 0x09:
                pendingSpace = !output.isEmpty
            case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "@"):
                break
            default:
                emit(symbol)
            }
            return index + 1
        }

        /// Writes the accented letter given as `{x}`, `{\i}`, `\i` or `x`; returns the index after it.
        mutating func accent(_ mark: Unicode.Scalar, argumentAt start: Int, end: Int) -> Int {
            var base: [UInt8] = []
            var after = start
            if start < end, input[start] == UInt8(ascii: "{") {
                after = groupEnd(from: start, end: end)
                let inner = input[(start + 1)..<max(start + 1, after - 1)]
                base = accentBase(inner)
            } else if start < end, input[start] == UInt8(ascii: "\\") {
                var wordEnd = start + 1
                while wordEnd < end, Bytes.isLetter(input[wordEnd]) { wordEnd += 1 }
                base = accentBase(input[start..<wordEnd])
                after = skipSpaces(from: wordEnd, end: end)
            } else if start < end {
                after = start + 1
                while after < end, input[after] & 0xC0 == 0x80 { after += 1 }
                base = Array(input[start..<after])
            }
            if base.isEmpty {
                // `\~{}` and `\^{}` print the character itself; other accents on nothing vanish.
                if mark == "\u{0303}" { emit("~") } else if mark == "\u{0302}" { emit("^") }
                return after
            }
            var firstEnd = 1
            while firstEnd < base.count, base[firstEnd] & 0xC0 == 0x80 { firstEnd += 1 }
            for byte in base[..<firstEnd] { emit(byte) }
            emit(String(mark))
            for byte in base[firstEnd...] { emit(byte) }
            needsComposition = true
            return after
        }

        /// The letters an accent applies to, with `\i` and `\j` taken as plain i and j.
        func accentBase(_ raw: ArraySlice<UInt8>) -> [UInt8] {
            let text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if text == "\\i" { return Array("i".utf8) }
            if text == "\\j" { return Array("j".utf8) }
            var nested = Converter(input: raw)
            nested.run(from: raw.startIndex, to: raw.endIndex)
            return nested.output
        }

        /// The index after the group whose `{` is at `start` (or `end` if it never closes).
        func groupEnd(from start: Int, end: Int) -> Int {
            var depth = 0
            var index = start
            while index < end {
                if input[index] == UInt8(ascii: "{") { depth += 1 }
                if input[index] == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { return index + 1 }
                }
                index += 1
            }
            return end
        }

        func skipSpaces(from start: Int, end: Int) -> Int {
            var index = start
            while index < end, input[index] == 0x20 || input[index] == 0x09 || input[index] == 0x0A || input[index] == 0x0D {
                index += 1
            }
            return index
        }

        /// Copies `$...$` (or `$$...$$`) verbatim; a lone `$` is copied as itself.
        mutating func math(at start: Int, end: Int) -> Int {
            let double = start + 1 < end && input[start + 1] == UInt8(ascii: "$")
            let delimiter = double ? 2 : 1
            var index = start + delimiter
            while index < end {
                if input[index] == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if input[index] == UInt8(ascii: "$") && (!double || (index + 1 < end && input[index + 1] == UInt8(ascii: "$"))) {
                    let close = index + delimiter
                    for byte in input[start..<close] {
                        if Bytes.isWhitespace(byte) { pendingSpace = true } else { emit(byte) }
                    }
                    return close
                }
                index += 1
            }
            emit(UInt8(ascii: "$"))
            return start + 1
        }
    }
}
