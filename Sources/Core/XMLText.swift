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

/// Foundation's XMLParser on Linux traps (an illegal instruction, not an error) on an element or
/// attribute name that is not valid UTF-8 (`<Pro\u{FF}ject/>`, found by fuzzing). Every reader
/// of XML therefore checks its bytes first and refuses the part with a located error.
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

    public static func firstInvalidUTF8(_ data: Data) -> InvalidByte? {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return nil }
        let index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if String(validating: bytes[index...], as: UTF8.self) != nil { return nil }
        return TextDecoder.firstInvalidUTF8(in: bytes, from: index).map {
            InvalidByte(byte: $0.byte, line: $0.line, column: $0.column, offset: $0.offset)
        }
    }
}
