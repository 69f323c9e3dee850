import Foundation

/// Citation keys for formats that have none (RIS, Web of Science): `jiang2023empirical`.
///
/// The key is the first author's family name folded to lowercase ASCII, the year and the first
/// title word that is not an article or preposition. Within one parse a repeated key gets the
/// suffix `a`, then `b`, ... in file order (the first record keeps the bare key), so keys stay
/// stable when records are appended to an export.
struct KeyGenerator {
    private var used: Set<String> = []
    private var nextSuffix: [String: Int] = [:]

    static let stopWords: Set<String> = [
        "a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "from", "by", "at", "as",
        "is", "are", "its", "via", "into", "about", "towards", "toward", "what", "how", "why", "do", "does",
    ]

    mutating func key(for record: BibliographicRecord) -> String {
        let base = Self.baseKey(for: record)
        var candidate = base
        // Remembering each base's next suffix keeps a thousand same-author-same-year keys linear.
        var counter = nextSuffix[base, default: 0]
        while used.contains(candidate) {
            candidate = base + Self.suffix(counter)
            counter += 1
        }
        nextSuffix[base] = counter
        used.insert(candidate)
        return candidate
    }

    static func baseKey(for record: BibliographicRecord) -> String {
        var family = "anon"
        if let first = record.authors.first ?? record.editors.first {
            let name = first.contains(",")
                ? String(first.prefix(while: { $0 != "," }))
                : String(first.split(separator: " ").last ?? Substring(first))
            let folded = fold(name)
            if !folded.isEmpty { family = folded }
        }
        let year = record.year.map(String.init) ?? ""
        var word = ""
        if let title = record.title {
            // Word by word over the bytes, stopping at the first significant one: titles can be long.
            let bytes = Array(title.utf8)
            var start = 0
            while word.isEmpty && start < bytes.count {
                var end = start
                while end < bytes.count, !Bytes.isWhitespace(bytes[end]) { end += 1 }
                let folded = fold(String(decoding: bytes[start..<end], as: UTF8.self))
                if !folded.isEmpty, !stopWords.contains(folded) { word = folded }
                start = end + 1
            }
        }
        return family + year + word
    }

    /// `a`, `b`, ..., `z`, `aa`, `ab`, ...
    static func suffix(_ index: Int) -> String {
        var value = index
        var letters: [Character] = []
        repeat {
            letters.insert(Character(UnicodeScalar(UInt8(97 + value % 26))), at: 0)
            value = value / 26 - 1
        } while value >= 0
        return String(letters)
    }

    /// Lowercase ASCII letters and digits only: `Müller-Lüdenscheidt` -> `mullerludenscheidt`.
    static func fold(_ text: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        func keep(_ byte: UInt8) {
            if Bytes.isLetter(byte) {
                result.append(byte | 0x20)
            } else if Bytes.isDigit(byte) {
                result.append(byte)
            }
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                keep(UInt8(scalar.value))
            } else if let replacement = specialLetters[scalar] {
                replacement.utf8.forEach(keep)
            } else {
                // Decomposition splits `ü` into `u` and a combining mark, which is dropped.
                for part in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars where part.isASCII {
                    keep(UInt8(part.value))
                }
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Letters that have no decomposition but an obvious ASCII spelling.
    private static let specialLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae",
        "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
    ]
}
