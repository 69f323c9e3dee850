import Foundation

/// How the bytes of a text file are turned into text: recognised by their byte-order mark, or an
/// 8-bit encoding the user names (`--encoding`).
///
/// Automatic detection accepts only what is unambiguous: UTF-8 (with or without a byte-order
/// mark) and UTF-16 with a byte-order mark. An 8-bit file cannot be told apart from another 8-bit
/// encoding by its bytes, so Windows-1252 and Latin-1 are read only when asked for.
public enum TextEncoding: String, CaseIterable, Sendable {
    /// UTF-8 with or without a byte-order mark, or UTF-16 (LE or BE) with one.
    case automatic = "auto"
    /// Windows code page 1252 (Western European), which Word and Excel on Windows write.
    case windows1252 = "windows-1252"
    /// ISO-8859-1: every byte is the Unicode scalar of the same value.
    case latin1 = "latin-1"

    /// The encoding a user names: `auto`, `utf-8`, `windows-1252`/`cp1252`, `latin-1`/`iso-8859-1`,
    /// in any letter case.
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "auto", "utf-8", "utf8", "utf-16", "utf16": self = .automatic
        case "windows-1252", "cp1252", "cp-1252", "win-1252": self = .windows1252
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1": self = .latin1
        default: return nil
        }
    }

    /// The names `--encoding` accepts, for help texts.
    public static let names = ["auto", "utf-8", "windows-1252", "latin-1"]
}

extension TextFile {
    /// Reads a whole text file in `encoding`; a file that is not text in it is refused with the
    /// line, column and byte offset of the first bad byte and the `--encoding` to try.
    public static func read(_ url: URL, displayPath: String? = nil, encoding: TextEncoding) throws -> String {
        let path = displayPath ?? url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileError.cannotRead(path: path, reason: "no such file, or no permission to read it")
        }
        return try decode(data, path: path, encoding: encoding)
    }

    /// Decodes `data` in `encoding` (see `read(_:displayPath:encoding:)`).
    public static func decode(_ data: Data, path: String, encoding: TextEncoding) throws -> String {
        try TextDecoder.decode(data, path: path, encoding: encoding, suggestEncoding: true)
    }
}

/// The one decoder behind every `TextFile` read.
enum TextDecoder {
    static func decode(_ data: Data, path: String, encoding: TextEncoding, suggestEncoding: Bool) throws -> String {
        switch encoding {
        case .latin1:
            return String(String.UnicodeScalarView(data.lazy.map { Unicode.Scalar($0) }))
        case .windows1252:
            return String(String.UnicodeScalarView(data.lazy.map(windows1252Scalar)))
        case .automatic:
            let bytes = [UInt8](data)
            if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
                throw FileError.cannotRead(path: "\(path):1:1", reason: "expected UTF-8 or UTF-16 text, found a UTF-32 byte-order mark; save the file as UTF-8")
            }
            if bytes.starts(with: [0xFF, 0xFE]) { return try utf16(bytes, bigEndian: false, path: path) }
            if bytes.starts(with: [0xFE, 0xFF]) { return try utf16(bytes, bigEndian: true, path: path) }
            let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            if let text = String(validating: bytes[start...], as: UTF8.self) { return text }
            throw invalidUTF8(in: bytes, from: start, path: path, suggestEncoding: suggestEncoding)
        }
    }

    /// Windows-1252's 0x80–0x9F differ from Latin-1; the five bytes it leaves undefined map to
    /// the C1 control of the same value, as the WHATWG Encoding Standard decodes them.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    private static func windows1252Scalar(_ byte: UInt8) -> Unicode.Scalar {
        guard (0x80...0x9F).contains(byte) else { return Unicode.Scalar(byte) }
        // Every table entry is a valid scalar (none is a surrogate).
        return Unicode.Scalar(windows1252High[Int(byte - 0x80)]) ?? Unicode.Scalar(byte)
    }

    /// UTF-16 after its byte-order mark; an odd length or an unpaired surrogate is an error with
    /// its byte offset.
    private static func utf16(_ bytes: [UInt8], bigEndian: Bool, path: String) throws -> String {
        var scalars = String.UnicodeScalarView()
        var line = 1, column = 1
        var index = 2
        func unit(at offset: Int) -> UInt16 {
            bigEndian ? UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]) : UInt16(bytes[offset + 1]) << 8 | UInt16(bytes[offset])
        }
        func failure(_ offset: Int, _ found: String) -> FileError {
            .cannotRead(path: "\(path):\(line):\(column)",
                        reason: "expected UTF-16\(bigEndian ? "BE" : "LE") text (as its byte-order mark says), found \(found) at byte offset \(offset)")
        }
        while index < bytes.count {
            guard index + 1 < bytes.count else { throw failure(index, "a last byte without its pair") }
            let first = unit(at: index)
            var value = UInt32(first)
            var width = 2
            if (0xD800...0xDBFF).contains(first) {
                guard index + 3 < bytes.count, (0xDC00...0xDFFF).contains(unit(at: index + 2)) else {
                    throw failure(index, "a high surrogate without its low surrogate")
                }
                let second = unit(at: index + 2)
                value = 0x10000 + (UInt32(first - 0xD800) << 10) + UInt32(second - 0xDC00)
                width = 4
            } else if (0xDC00...0xDFFF).contains(first) {
                throw failure(index, "a low surrogate without its high surrogate")
            }
            guard let scalar = Unicode.Scalar(value) else { throw failure(index, "an invalid code point") }
            scalars.append(scalar)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            index += width
        }
        return String(scalars)
    }

    /// Walks the bytes as UTF-8 and names the line, column and byte offset of the first invalid
    /// sequence, with the encoding the bytes suggest.
    private static func invalidUTF8(in bytes: [UInt8], from start: Int, path: String, suggestEncoding: Bool) -> FileError {
        guard let invalid = firstInvalidUTF8(in: bytes, from: start) else {
            return FileError.cannotRead(path: path, reason: "expected UTF-8 text")
        }
        var reason = "expected UTF-8 text, found the byte 0x\(String(invalid.byte, radix: 16, uppercase: true))"
        if suggestEncoding { reason += " at byte offset \(invalid.offset); \(suggestion(for: bytes))" }
        return FileError.cannotRead(path: "\(path):\(invalid.line):\(invalid.column)", reason: reason)
    }

    /// The first byte from `start` that does not begin a valid UTF-8 sequence, with its line,
    /// column (in characters) and byte offset; nil when all is valid. The one UTF-8 walker for
    /// text files and XML parts alike.
    static func firstInvalidUTF8(in bytes: [UInt8], from start: Int) -> (byte: UInt8, line: Int, column: Int, offset: Int)? {
        var line = 1, column = 1, index = start
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            let end = index + length
            if length == 0 || end > bytes.count || String(validating: bytes[index..<end], as: UTF8.self) == nil {
                return (lead, line, column, index)
            }
            if lead == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            index = end
        }
        return nil
    }

    /// What to try instead: UTF-16 without its byte-order mark shows as NUL bytes between ASCII
    /// letters; bytes 0x80–0x9F are printable only in Windows-1252; other high bytes read as
    /// Latin-1 as well.
    private static func suggestion(for bytes: [UInt8]) -> String {
        let sample = bytes.prefix(4096)
        let nulCount = sample.lazy.filter { $0 == 0 }.count
        if nulCount * 4 >= sample.count {
            return "the NUL bytes suggest UTF-16 without a byte-order mark; save the file as UTF-8 (or UTF-16 with a byte-order mark)"
        }
        if bytes.contains(where: { (0x80...0x9F).contains($0) }) {
            return "if the file was saved as Windows-1252 (common on Windows), pass --encoding windows-1252"
        }
        return "if the file was saved in an 8-bit encoding, pass --encoding windows-1252 (or --encoding latin-1)"
    }
}
