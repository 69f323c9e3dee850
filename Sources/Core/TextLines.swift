import Foundation

/// Decoding of study text files: UTF-8 with or without a byte-order mark, any line ending.
public enum TextFile {
    /// Reads a whole text file, dropping a UTF-8 byte-order mark. Invalid UTF-8 is an error with
    /// the line and column where it starts.
    public static func read(_ url: URL, displayPath: String? = nil) throws -> String {
        let path = displayPath ?? url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FileError.cannotRead(path: path, reason: "no such file, or no permission to read it")
        }
        return try decode(data, path: path)
    }

    public static func decode(_ data: Data, path: String) throws -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        throw invalidUTF8(in: Array(bytes), path: path)
    }

    /// Walks the bytes as UTF-8 and names the line and column of the first invalid sequence.
    private static func invalidUTF8(in bytes: [UInt8], path: String) -> FileError {
        var line = 1, column = 1, index = 0
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
                return FileError.cannotRead(
                    path: "\(path):\(line):\(column)",
                    reason: "expected UTF-8 text, found the byte 0x\(String(lead, radix: 16, uppercase: true))")
            }
            if lead == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            index = end
        }
        return FileError.cannotRead(path: path, reason: "expected UTF-8 text")
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
