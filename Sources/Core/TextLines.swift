import Foundation

/// Decoding of study text files: UTF-8 with or without a byte-order mark, UTF-16 with one, an
/// 8-bit encoding when named (`TextEncoding`); any line ending.
public enum TextFile {
    /// Reads a whole text file, dropping a byte-order mark. Invalid UTF-8 is an error with the line
    /// and column where it starts.
    public static func read(_ url: URL, displayPath: String? = nil) throws -> String {
        let path = displayPath ?? url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileError.cannotRead(path: path, reason: "no such file, or no permission to read it")
        }
        return try decode(data, path: path)
    }

    /// Decodes a file's bytes: UTF-8 with or without a byte-order mark, or UTF-16 with one (see
    /// `TextEncoding.automatic`). Invalid UTF-8 is an error with the line and column where it
    /// starts; `decode(_:path:encoding:)` adds the byte offset and the `--encoding` to try.
    public static func decode(_ data: Data, path: String) throws -> String {
        try TextDecoder.decode(data, path: path, encoding: .automatic, suggestEncoding: false)
    }

    /// Splits text into lines on LF, CRLF or CR, without the terminators. Scans UTF-8 bytes:
    /// line breaks are ASCII, so every break is a character boundary, and a 5-million-word corpus
    /// is not walked Character by Character.
    public static func lines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(text[start..<index])
                var next = utf8.index(after: index)
                if byte == 0x0D, next != utf8.endIndex, utf8[next] == 0x0A { next = utf8.index(after: next) }
                start = next
                index = next
            } else {
                index = utf8.index(after: index)
            }
        }
        if start != utf8.endIndex { lines.append(text[start..<utf8.endIndex]) }
        return lines
    }
}
