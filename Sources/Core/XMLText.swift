import Foundation

/// Escaping for XML and HTML text: the one escaper of every writer of SVG, HTML and REFI-QDA XML.
public enum XMLText {
    /// Text safe in element content and in double- or single-quoted attribute values. Control
    /// characters XML 1.0 cannot carry become U+FFFD; with `preservingLineBreaks`, line breaks and
    /// tabs are written as character references, so an attribute value keeps them.
    public static func escape(_ text: String, preservingLineBreaks: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += preservingLineBreaks ? "&#10;" : "\n"
            case "\r": out += preservingLineBreaks ? "&#13;" : "\r"
            case "\t": out += preservingLineBreaks ? "&#9;" : "\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Foundation's XMLParser on Linux crashes (a trap or a segmentation fault, not an error) on two
/// things fuzzing found: an element or attribute name that is not valid UTF-8 (`<Pro\u{FF}ject/>`)
/// and a processing instruction without data (`<?target?>`, for which libxml2 hands Foundation a
/// null pointer it passes to `strlen`). Every reader of XML therefore checks its bytes with
/// `firstProblem` first and refuses the part with a located error.
public enum XMLInput {
    /// Where the first byte that is not UTF-8 is, or nil when the bytes are UTF-8 (after an
    /// optional byte-order mark) or UTF-16 with a byte-order mark (which libxml2 converts itself).
    public struct InvalidByte: Equatable, Sendable {
        public var byte: UInt8
        public var line: Int
        public var column: Int
        public var offset: Int

        /// "the byte 0xFF at line 1, column 5 (byte offset 4)"
        public var description: String {
            "the byte 0x\(String(byte, radix: 16, uppercase: true)) at line \(line), column \(column) (byte offset \(offset))"
        }
    }

    /// What an XML reader refuses before Foundation's parser sees the bytes: what the document
    /// should have been (completing "expected … XML") and what was found where.
    public struct Problem: Equatable, Sendable {
        /// "in UTF-8" or "with data in every processing instruction"
        public var expected: String
        /// "the byte 0xFF at line 1, column 2 (byte offset 1)"
        public var found: String
        public var line: Int
        public var column: Int
    }

    /// The first thing in `data` Foundation's XMLParser cannot safely read, or nil.
    public static func firstProblem(_ data: Data) -> Problem? {
        if let invalid = firstInvalidUTF8(data) {
            return Problem(expected: "in UTF-8", found: invalid.description, line: invalid.line, column: invalid.column)
        }
        var bytes = [UInt8](data)
        var where_ = "byte offset"
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            // UTF-16: scanned in its UTF-8 form, so lines and columns hold and offsets are of that form.
            guard let text = String(data: data, encoding: .utf16) else { return nil }
            bytes = Array(text.utf8)
            where_ = "offset in its UTF-8 form"
        }
        guard let pi = firstProcessingInstructionWithoutData(bytes) else { return nil }
        return Problem(expected: "with data in every processing instruction",
                       found: "the processing instruction `\(pi.text)` without data at line \(pi.line), column \(pi.column) (\(where_) \(pi.offset))",
                       line: pi.line, column: pi.column)
    }

    public static func firstInvalidUTF8(_ data: Data) -> InvalidByte? {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return nil }
        let index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if String(validating: bytes[index...], as: UTF8.self) != nil { return nil }
        return TextDecoder.firstInvalidUTF8(in: bytes, from: index).map {
            InvalidByte(byte: $0.byte, line: $0.line, column: $0.column, offset: $0.offset)
        }
    }

    /// A `<?name?>` anywhere in the bytes: the target followed at once by `?>`, which is when
    /// libxml2 reports the instruction with no data at all. (`<?name ?>` has empty data, which
    /// Foundation reads.) Comments, CDATA sections and other instructions are not skipped:
    /// Foundation runs libxml2 in recovery mode, which after an error resumes where a scanner
    /// cannot follow (after a malformed `<?xml` declaration, at the next `>`), and an entity's
    /// value can open a comment the document then never sees (`<!ENTITY e "<!--">` … `&e;<?x?>`):
    /// the first found by fuzzing, the second by probing after it. The cost is refusing `<?x?>`
    /// written inside a comment or a CDATA section, which no tool whose files are read here
    /// writes. Columns count characters, as the UTF-8 check's do.
    static func firstProcessingInstructionWithoutData(_ bytes: [UInt8]) -> (text: String, line: Int, column: Int, offset: Int)? {
        let lt = UInt8(ascii: "<"), question = UInt8(ascii: "?"), gt = UInt8(ascii: ">"), newline = UInt8(ascii: "\n")
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var index = start
        while index + 1 < bytes.count {
            guard bytes[index] == lt, bytes[index + 1] == question else { index += 1; continue }
            // The target runs to the first blank, `?` or `>`; it holds no `?`, so a later `<?`
            // starts no earlier than one byte before where it ends, and the scan stays linear.
            var end = index + 2
            while end < bytes.count, ![0x20, 0x09, 0x0D, 0x0A, question, gt].contains(bytes[end]) { end += 1 }
            if end + 1 < bytes.count, bytes[end] == question, bytes[end + 1] == gt {
                var line = 1, lineStart = start
                for offset in start..<index where bytes[offset] == newline { line += 1; lineStart = offset + 1 }
                let column = 1 + bytes[lineStart..<index].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                let text = String(decoding: bytes[index..<min(end + 2, index + 80)], as: UTF8.self)
                return (text, line, column, index)
            }
            index = max(index + 1, end - 1)
        }
        return nil
    }
}
