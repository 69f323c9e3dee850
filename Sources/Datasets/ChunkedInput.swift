import Core
import Foundation
import SystemZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A data file read in chunks into one growable byte buffer, so a gigabyte file never sits in
/// memory as a whole.
///
/// Parsers consume whole records from `start`; when a record runs past `end` they call `fill()`,
/// which moves the unconsumed tail to the front of the buffer (doubling the buffer only when a
/// single record is larger than it) and reads the next chunk behind it. Buffer indexes are
/// therefore only valid until the next `fill()`, and parsers restart an incomplete record from
/// its first byte.
///
/// A single record may grow the buffer up to ``maximumRecordBytes``: a gzip file holding one
/// gigabyte-long field, or a file without line breaks, is refused with the line its record starts
/// on instead of filling the memory.
final class ChunkedInput {
    static let chunkSize = 1 << 20
    /// The longest record (CSV/TSV row, JSON Lines line, JSON array element) an import accepts:
    /// 100 MiB, as decompressed.
    static let maximumRecordBytes = 100 << 20

    let displayPath: String
    let totalBytes: Int64
    private let descriptor: Int32
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The first byte not yet consumed.
    var start = 0
    /// One past the last byte read.
    private(set) var end = 0
    /// True once the whole file has been read into the buffer.
    private(set) var isAtEnd = false
    /// Bytes read from the file so far.
    private(set) var bytesRead: Int64 = 0
    /// The line the record being read starts on, set by the parser, for the error when the
    /// record is too long.
    var recordLine = 1
    /// The record limit; ``maximumRecordBytes`` except in tests.
    let recordLimit: Int
    private var inflater: GzipInflater?

    /// Opens a file; `gzip` inflates it on the fly (see ``GzipInflater``). `totalBytes` and
    /// `bytesRead` always count the bytes of the file as stored, so progress works for both.
    /// `offset` starts reading a plain file there (for one chunk of a parallel scan): no byte
    /// order mark is looked for, and offsets (``fileOffset(of:)``) count from the file's start.
    init(url: URL, displayPath: String, gzip: Bool = false, recordLimit: Int = ChunkedInput.maximumRecordBytes,
         offset: Int64 = 0) throws {
        self.displayPath = displayPath
        self.recordLimit = recordLimit
        descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw DatasetError.cannotRead(path: displayPath, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        totalBytes = fstat(descriptor, &info) == 0 ? Int64(info.st_size) : 0
        capacity = 4 * Self.chunkSize
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        if gzip { inflater = try GzipInflater(displayPath: displayPath) }
        if offset > 0 {
            precondition(!gzip, "a gzip stream cannot be read from an offset")
            guard lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else {
                throw DatasetError.cannotRead(path: displayPath, reason: String(cString: strerror(errno)))
            }
            bytesRead = offset
        }
        _ = try fill()
        if offset == 0, end - start >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { start = 3 }
    }

    /// The offset in the file of the buffer index `index` (plain files only).
    @inline(__always)
    func fileOffset(of index: Int) -> Int64 { bytesRead - Int64(end - index) }

    deinit {
        close(descriptor)
        base.deallocate()
    }

    /// Reads more bytes behind the unconsumed ones. Returns false when the file has no more.
    func fill() throws -> Bool {
        if isAtEnd { return false }
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { base.update(from: base + start, count: remaining) }
            start = 0
            end = remaining
        }
        if end >= recordLimit {
            throw DatasetError.invalidData(SourceLocation(file: displayPath, line: recordLine),
                                           expected: "a record (row, line or array element) of at most \(recordLimit >> 20) MiB",
                                           found: "one that runs on past \(recordLimit >> 20) MiB from this line")
        }
        if capacity - end < Self.chunkSize {
            let newCapacity = max(capacity * 2, end + Self.chunkSize)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: base, count: end)
            base.deallocate()
            base = grown
            capacity = newCapacity
        }
        if let inflater {
            let count = try inflater.inflate(into: base + end, capacity: capacity - end) { buffer, size in
                try self.readFile(into: buffer, count: size)
            }
            if count == 0 {
                isAtEnd = true
                return false
            }
            end += count
            return true
        }
        let count = try readFile(into: base + end, count: capacity - end)
        if count == 0 {
            isAtEnd = true
            return false
        }
        end += count
        return true
    }

    /// Reads up to `count` bytes of the file as stored; 0 at its end.
    private func readFile(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        while true {
            let result = read(descriptor, buffer, count)
            if result < 0 {
                if errno == EINTR { continue }
                throw DatasetError.cannotRead(path: displayPath, reason: String(cString: strerror(errno)))
            }
            bytesRead += Int64(result)
            return result
        }
    }
}

/// Streams a gzip file through zlib's `inflate`, a compressed chunk at a time, so neither the
/// compressed nor the decompressed file is ever held whole.
///
/// zlib is initialised with window bits 15 + 32, which accepts a gzip (or zlib) header and checks
/// the CRC-32 and length in the trailer. A file made by `cat a.gz b.gz` holds several gzip
/// members; when one ends and more input follows, the stream is reset and the next member is
/// inflated behind it, as `gunzip` does. A stream that ends before its trailer is reported as
/// truncated, and zlib's own diagnosis (bad header, bad CRC, invalid distance) names the file.
final class GzipInflater {
    private static let inputSize = 1 << 18
    private let displayPath: String
    private var stream = z_stream()
    private let inputBuffer: UnsafeMutablePointer<UInt8>
    private var inputAtEnd = false
    private var memberEnded = false
    private var compressedOffset: Int64 = 0

    init(displayPath: String) throws {
        self.displayPath = displayPath
        inputBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.inputSize)
        let code = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard code == Z_OK else {
            inputBuffer.deallocate()
            throw DatasetError.cannotRead(path: displayPath, reason: "zlib could not start inflating (error \(code))")
        }
    }

    deinit {
        inflateEnd(&stream)
        inputBuffer.deallocate()
    }

    /// Inflates into `output` until it holds some bytes or the file ends; returns how many it wrote
    /// (0 only at the end of the last member). `readCompressed` supplies the file's stored bytes.
    func inflate(into output: UnsafeMutablePointer<UInt8>, capacity: Int,
                 readCompressed: (UnsafeMutablePointer<UInt8>, Int) throws -> Int) throws -> Int {
        let limit = min(capacity, Int(UInt32.max))
        stream.next_out = output
        stream.avail_out = UInt32(limit)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !inputAtEnd {
                let count = try readCompressed(inputBuffer, Self.inputSize)
                if count == 0 {
                    inputAtEnd = true
                } else {
                    stream.next_in = inputBuffer
                    stream.avail_in = UInt32(count)
                }
            }
            if memberEnded {
                if stream.avail_in == 0 { break }
                guard inflateReset(&stream) == Z_OK else { throw corrupt("zlib could not start the next gzip member") }
                memberEnded = false
            }
            if stream.avail_in == 0 {
                throw corrupt(compressedOffset == 0 ? "the file is empty, so it has no gzip header"
                                                    : "the gzip stream ends before its end marker (the file is truncated)")
            }
            let before = stream.avail_in
            let code = SystemZlib.inflate(&stream, Z_NO_FLUSH)
            compressedOffset += Int64(before - stream.avail_in)
            switch code {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                memberEnded = true
            case Z_NEED_DICT:
                throw corrupt("the stream needs a preset dictionary, which gzip files never use")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(code)"
                throw corrupt("zlib reports '\(reason)' near compressed byte \(compressedOffset)")
            }
        }
        return limit - Int(stream.avail_out)
    }

    private func corrupt(_ detail: String) -> DatasetError {
        .cannotRead(path: displayPath, reason: "not a valid gzip file: \(detail)")
    }
}

/// A line and column in a text file, advanced over bytes: columns count Unicode scalars.
struct TextPosition {
    var line = 1
    var column = 1

    mutating func advance(over bytes: UnsafePointer<UInt8>, from: Int, to: Int) {
        var index = from
        while index < to {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
    }

    func advanced(over bytes: UnsafePointer<UInt8>, from: Int, to: Int) -> TextPosition {
        var copy = self
        copy.advance(over: bytes, from: from, to: to)
        return copy
    }

    func location(in file: String) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }
}

/// The index of the first byte in `from..<to` that does not start a valid UTF-8 sequence
/// (overlong forms, surrogates and values past U+10FFFF count as invalid), or nil.
///
/// ASCII, the common case in data files, is skipped eight bytes at a time.
func firstInvalidUTF8(_ bytes: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
    var index = from
    let raw = UnsafeRawPointer(bytes)
    while index < to {
        if to - index >= 8, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            index += 8
            continue
        }
        let lead = bytes[index]
        if lead < 0x80 {
            index += 1
            continue
        }
        let length: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return index
        }
        guard to - index >= length else { return index }
        let second = bytes[index + 1]
        guard second >= lower, second <= upper else { return index }
        var offset = 2
        while offset < length {
            guard bytes[index + offset] & 0xC0 == 0x80 else { return index }
            offset += 1
        }
        index += length
    }
    return nil
}

/// How a byte sequence reads as a value, for type inference.
enum ValueShape {
    case empty, integer, real, boolean, text
}

/// Classifies a delimited-text value. Integers are an optional minus and digits without leading
/// zeros (so identifiers such as `007` stay text) that fit in 64 bits; reals add a fraction and/or
/// an exponent; booleans are exactly `true`, `false`, `True`, `False`.
func classify(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> ValueShape {
    if count == 0 { return .empty }
    let first = bytes[0]
    if first == UInt8(ascii: "t") || first == UInt8(ascii: "T") || first == UInt8(ascii: "f") || first == UInt8(ascii: "F") {
        return booleanValue(bytes, count) != nil ? .boolean : .text
    }
    var index = 0
    if first == UInt8(ascii: "-") {
        index = 1
        if count == 1 { return .text }
    }
    let integerStart = index
    while index < count, bytes[index] &- 48 < 10 { index += 1 }
    let integerDigits = index - integerStart
    if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") { return .text }
    if index == count {
        if integerDigits == 0 { return .text }
        if integerDigits < 19 { return .integer }
        return parseInteger(bytes, count) != nil ? .integer : .real
    }
    var fractionDigits = 0
    if bytes[index] == UInt8(ascii: ".") {
        index += 1
        let fractionStart = index
        while index < count, bytes[index] &- 48 < 10 { index += 1 }
        fractionDigits = index - fractionStart
    }
    if integerDigits == 0 && fractionDigits == 0 { return .text }
    if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
        index += 1
        if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        let exponentStart = index
        while index < count, bytes[index] &- 48 < 10 { index += 1 }
        if index == exponentStart { return .text }
    }
    return index == count ? .real : .text
}

/// `true`/`True` as 1 and `false`/`False` as 0; anything else nil.
@inline(__always)
func booleanValue(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
    if count == 4, bytes[0] | 0x20 == UInt8(ascii: "t"), bytes[1] == UInt8(ascii: "r"), bytes[2] == UInt8(ascii: "u"),
       bytes[3] == UInt8(ascii: "e") {
        return 1
    }
    if count == 5, bytes[0] | 0x20 == UInt8(ascii: "f"), bytes[1] == UInt8(ascii: "a"), bytes[2] == UInt8(ascii: "l"),
       bytes[3] == UInt8(ascii: "s"), bytes[4] == UInt8(ascii: "e") {
        return 0
    }
    return nil
}

/// An optional minus and decimal digits as a 64-bit integer; nil on anything else or overflow.
@inline(__always)
func parseInteger(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
    var index = 0
    let negative = count > 0 && bytes[0] == UInt8(ascii: "-")
    if negative { index = 1 }
    guard index < count else { return nil }
    var value: Int64 = 0
    while index < count {
        let digit = bytes[index] &- 48
        guard digit < 10 else { return nil }
        let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(Int64(digit))
                                         : shifted.addingReportingOverflow(Int64(digit))
        if overflow1 || overflow2 { return nil }
        value = next
        index += 1
    }
    return value
}

/// A decimal number as a Double, correctly rounded (strtod in the C locale); nil when the
/// bytes are not all a number.
func parseReal(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Double? {
    guard count > 0, count < 512 else {
        return count == 0 ? nil : Double(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
    }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> Double? in
        let pointer = buffer.baseAddress!
        UnsafeMutableRawPointer(pointer).copyMemory(from: bytes, byteCount: count)
        pointer[count] = 0
        var endPointer: UnsafeMutablePointer<CChar>?
        let value = strtod(pointer, &endPointer)
        guard let endPointer, endPointer - pointer == count else { return nil }
        return value
    }
}
