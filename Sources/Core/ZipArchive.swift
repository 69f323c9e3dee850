import Foundation
import SystemZlib

/// Problems reading a ZIP archive (.docx, .xlsx, .qdpx): each names the archive and, where one
/// is at fault, the member, with the byte offset of what is wrong.
public enum ZipError: LocatedError, Equatable {
    /// The file has no end-of-central-directory record: it is not a ZIP archive, or it is truncated.
    case notAnArchive(file: String, reason: String)
    /// A structure of the archive departs from the ZIP format at `offset`.
    case malformed(file: String, offset: UInt64, expected: String, found: String)
    /// A member's path is absolute or climbs out of the archive (`..`).
    case unsafePath(file: String, member: String)
    /// A member inflates to more than the budget allows (a zip bomb, or a file too large to read).
    case tooLarge(file: String, member: String, limit: Int, what: String)
    /// A member uses a feature this reader does not implement (encryption, another compression).
    case unsupported(file: String, member: String, feature: String)
    /// A member's compressed data is damaged.
    case damaged(file: String, member: String, reason: String)
    /// Two members whose names differ only in letter case, where one was asked for.
    case ambiguousMember(file: String, member: String, count: Int)

    public var location: SourceLocation? {
        switch self {
        case .notAnArchive(let file, _), .malformed(let file, _, _, _), .unsafePath(let file, _), .tooLarge(let file, _, _, _),
             .unsupported(let file, _, _), .damaged(let file, _, _), .ambiguousMember(let file, _, _):
            return SourceLocation(file: file)
        }
    }

    public var message: String {
        switch self {
        case .notAnArchive(_, let reason):
            return "expected a ZIP archive, found \(reason)"
        case .malformed(_, let offset, let expected, let found):
            return "expected \(expected) at byte offset \(offset), found \(found)"
        case .unsafePath(_, let member):
            return "the archive member '\(member)' has an absolute path or one that leaves the archive ('..'); such an archive is refused"
        case .tooLarge(_, let member, let limit, let what):
            return "the archive member '\(member)' inflates to more than \(limit) bytes (\(what)); a ZIP bomb or a file too large to read"
        case .unsupported(_, let member, let feature):
            return "the archive member '\(member)' uses \(feature), which is not supported"
        case .damaged(_, let member, let reason):
            return "the archive member '\(member)' is damaged: \(reason)"
        case .ambiguousMember(_, let member, let count):
            return "expected one archive member named '\(member)' (letter case aside), found \(count)"
        }
    }
}

/// Reads ZIP archives that may be hostile, without trusting a single offset or size in them.
///
/// The archive is read from its file at explicit offsets (never mapped into a `Data` that a bad
/// offset could index past): the end-of-central-directory record (ZIP64 too) must lie in the
/// file; the central directory must lie before it; every member's local header and data must lie
/// before the central directory. Member paths are checked when the archive is opened: an absolute
/// path or a `..` component refuses the whole archive. Members are inflated with zlib against a
/// byte budget per member and for the whole archive, so a zip bomb stops at the budget instead of
/// filling memory, and a member that inflates to more than its header declares, or whose CRC-32
/// differs, is reported as damaged. Names are looked up without regard to letter case, since
/// producers of Office files differ (`[Content_Types].xml`, `word/Document.xml`).
public final class ZipArchive {
    /// Byte budgets for inflating; the defaults admit any real document and stop a zip bomb long
    /// before it costs a gigabyte.
    public struct Limits: Sendable, Equatable {
        /// The most bytes one member may inflate to.
        public var memberBytes: Int
        /// The most bytes all members read from this archive may inflate to together.
        public var totalBytes: Int
        /// The most members the central directory may list.
        public var members: Int

        public init(memberBytes: Int = 100 << 20, totalBytes: Int = 400 << 20, members: Int = 100_000) {
            self.memberBytes = memberBytes
            self.totalBytes = totalBytes
            self.members = members
        }
    }

    /// One member as the central directory lists it.
    public struct Member: Sendable, Equatable {
        /// The path inside the archive, with `/` separators.
        public let path: String
        /// The size the central directory declares; inflating never trusts it beyond a check.
        public let uncompressedSize: UInt64
        let compressedSize: UInt64
        let method: UInt16
        let flags: UInt16
        let crc32: UInt32
        let localHeaderOffset: UInt64

        /// Whether the member is a folder entry (its path ends with `/`).
        public var isDirectory: Bool { path.hasSuffix("/") }
    }

    public let members: [Member]
    public let displayPath: String
    public let limits: Limits
    private let handle: FileHandle
    private let fileSize: UInt64
    /// Where the central directory starts: every member's header and data lie before it.
    private let centralDirectoryOffset: UInt64
    private var inflatedSoFar = 0

    /// Opens `url` and validates its central directory; `displayPath` names it in errors.
    public init(url: URL, displayPath: String, limits: Limits = Limits()) throws {
        self.displayPath = displayPath
        self.limits = limits
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw FileError.cannotRead(path: displayPath, reason: "no such file, or no permission to read it")
        }
        self.handle = handle
        do {
            fileSize = try handle.seekToEnd()
            let directory = try Self.centralDirectory(handle, fileSize: fileSize, file: displayPath, limits: limits)
            centralDirectoryOffset = directory.offset
            members = directory.members
        } catch {
            try? handle.close()
            throw error
        }
    }

    deinit { try? handle.close() }

    /// The member whose path equals `path` without regard to letter case (an exact match wins
    /// over other spellings); nil when there is none.
    public func member(_ path: String) throws -> Member? {
        if let exact = members.first(where: { $0.path == path }) { return exact }
        let folded = path.lowercased()
        let matches = members.filter { $0.path.lowercased() == folded }
        if matches.count > 1 { throw ZipError.ambiguousMember(file: displayPath, member: path, count: matches.count) }
        return matches.first
    }

    /// The inflated bytes of the member named `path` (see `member(_:)`), or nil when there is none.
    public func data(_ path: String) throws -> Data? {
        guard let member = try member(path) else { return nil }
        return try data(of: member)
    }

    /// The inflated bytes of `member`, checked against its CRC-32 and the archive's budgets.
    public func data(of member: Member) throws -> Data {
        if member.flags & 1 != 0 { throw ZipError.unsupported(file: displayPath, member: member.path, feature: "encryption") }
        let start = try dataOffset(of: member)
        let budget = min(limits.memberBytes, limits.totalBytes - inflatedSoFar)
        if member.uncompressedSize > UInt64(max(0, budget)) {
            throw ZipError.tooLarge(file: displayPath, member: member.path, limit: budget,
                                    what: "its header declares \(member.uncompressedSize) bytes")
        }
        let compressed = try read(at: start, count: member.compressedSize)
        let output: Data
        switch member.method {
        case 0:
            output = compressed
        case 8:
            output = try inflate(compressed, member: member, budget: budget)
        default:
            throw ZipError.unsupported(file: displayPath, member: member.path, feature: "compression method \(member.method)")
        }
        guard UInt64(output.count) == member.uncompressedSize else {
            throw ZipError.damaged(file: displayPath, member: member.path,
                                   reason: "its header declares \(member.uncompressedSize) bytes, it holds \(output.count)")
        }
        let crc = output.withUnsafeBytes { buffer in
            UInt32(truncatingIfNeeded: SystemZlib.crc32(0, buffer.bindMemory(to: UInt8.self).baseAddress, UInt32(buffer.count)))
        }
        guard crc == member.crc32 else {
            throw ZipError.damaged(file: displayPath, member: member.path, reason: "its CRC-32 does not match its contents")
        }
        inflatedSoFar += output.count
        return output
    }

    // MARK: - Structure

    private static let endSignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let centralSignature: UInt32 = 0x0201_4B50
    private static let localSignature: UInt32 = 0x0403_4B50

    private static func centralDirectory(_ handle: FileHandle, fileSize: UInt64, file: String,
                                         limits: Limits) throws -> (offset: UInt64, members: [Member]) {
        guard fileSize >= 22 else {
            throw ZipError.notAnArchive(file: file, reason: "a file of \(fileSize) bytes, too short for one")
        }
        // The end record is 22 bytes plus a comment of at most 65,535 bytes, at the end of the file.
        let tailLength = min(fileSize, 22 + 65_535)
        let tail = try readBytes(handle, at: fileSize - tailLength, count: tailLength, file: file)
        var position: Int?
        var index = tail.count - 22
        while index >= 0 {
            if tail.uint32(at: index) == endSignature, index + 22 + Int(tail.uint16(at: index + 20)) == tail.count {
                position = index
                break
            }
            index -= 1
        }
        guard let end = position else {
            throw ZipError.notAnArchive(file: file, reason: "no end-of-central-directory record (not a ZIP archive, or a truncated one)")
        }
        let endOffset = fileSize - tailLength + UInt64(end)
        var count = UInt64(tail.uint16(at: end + 10))
        var size = UInt64(tail.uint32(at: end + 12))
        var offset = UInt64(tail.uint32(at: end + 16))
        var directoryLimit = endOffset
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // ZIP64: a locator right before the end record points at the ZIP64 end record.
            guard endOffset >= 20 else {
                throw ZipError.malformed(file: file, offset: endOffset, expected: "a ZIP64 end-of-central-directory locator before the end record",
                                         found: "the start of the file")
            }
            let locator = try readBytes(handle, at: endOffset - 20, count: 20, file: file)
            guard locator.uint32(at: 0) == zip64LocatorSignature else {
                throw ZipError.malformed(file: file, offset: endOffset - 20, expected: "a ZIP64 end-of-central-directory locator",
                                         found: "other bytes")
            }
            let recordOffset = locator.uint64(at: 8)
            guard recordOffset <= endOffset - 20, endOffset - 20 - recordOffset >= 56 else {
                throw ZipError.malformed(file: file, offset: endOffset - 20, expected: "a ZIP64 end record inside the file",
                                         found: "an offset of \(recordOffset)")
            }
            let record = try readBytes(handle, at: recordOffset, count: 56, file: file)
            guard record.uint32(at: 0) == zip64EndSignature else {
                throw ZipError.malformed(file: file, offset: recordOffset, expected: "a ZIP64 end-of-central-directory record", found: "other bytes")
            }
            count = record.uint64(at: 32)
            size = record.uint64(at: 40)
            offset = record.uint64(at: 48)
            directoryLimit = recordOffset
        }
        guard offset <= directoryLimit, size <= directoryLimit - offset else {
            throw ZipError.malformed(file: file, offset: endOffset, expected: "a central directory inside the file",
                                     found: "one of \(size) bytes at offset \(offset) in a file of \(fileSize) bytes")
        }
        guard count <= UInt64(limits.members), count <= size / 46 || count == 0 else {
            throw ZipError.malformed(file: file, offset: endOffset, expected: "at most \(min(UInt64(limits.members), size / 46)) members",
                                     found: "\(count) declared")
        }
        let directory = try readBytes(handle, at: offset, count: size, file: file)
        var members: [Member] = []
        var cursor = 0
        for _ in 0..<count {
            let at = offset + UInt64(cursor)
            guard cursor + 46 <= directory.count, directory.uint32(at: cursor) == centralSignature else {
                throw ZipError.malformed(file: file, offset: at, expected: "a central directory header (PK\\1\\2)",
                                         found: cursor + 46 <= directory.count ? "other bytes" : "the end of the central directory")
            }
            let flags = directory.uint16(at: cursor + 8)
            let method = directory.uint16(at: cursor + 10)
            let crc = directory.uint32(at: cursor + 16)
            var compressed = UInt64(directory.uint32(at: cursor + 20))
            var uncompressed = UInt64(directory.uint32(at: cursor + 24))
            let nameLength = Int(directory.uint16(at: cursor + 28))
            let extraLength = Int(directory.uint16(at: cursor + 30))
            let commentLength = Int(directory.uint16(at: cursor + 32))
            var localOffset = UInt64(directory.uint32(at: cursor + 42))
            let nameStart = cursor + 46
            let next = nameStart + nameLength + extraLength + commentLength
            guard next <= directory.count else {
                throw ZipError.malformed(file: file, offset: at, expected: "a member name and extra field inside the central directory",
                                         found: "lengths running past its end")
            }
            let nameBytes = directory[nameStart..<nameStart + nameLength]
            let name = String(validating: nameBytes, as: UTF8.self)
                ?? String(String.UnicodeScalarView(nameBytes.map { Unicode.Scalar($0) }))
            // ZIP64 extra field: the 8-byte values replace those saturated at 0xFFFFFFFF, in order.
            var extra = nameStart + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let tag = directory.uint16(at: extra)
                let length = Int(directory.uint16(at: extra + 2))
                guard extra + 4 + length <= extraEnd else { break }
                if tag == 0x0001 {
                    var field = extra + 4
                    func next64() -> UInt64? {
                        guard field + 8 <= extra + 4 + length else { return nil }
                        defer { field += 8 }
                        return directory.uint64(at: field)
                    }
                    if uncompressed == 0xFFFF_FFFF, let value = next64() { uncompressed = value }
                    if compressed == 0xFFFF_FFFF, let value = next64() { compressed = value }
                    if localOffset == 0xFFFF_FFFF, let value = next64() { localOffset = value }
                }
                extra += 4 + length
            }
            let path = name.replacingOccurrences(of: "\\", with: "/")
            if isUnsafe(path) { throw ZipError.unsafePath(file: file, member: name) }
            guard localOffset <= offset, 30 <= offset - localOffset, compressed <= offset - localOffset - 30 else {
                throw ZipError.malformed(file: file, offset: at, expected: "member '\(path)' to lie before the central directory (offset \(offset))",
                                         found: "a local header at offset \(localOffset) with \(compressed) compressed bytes")
            }
            members.append(Member(path: path, uncompressedSize: uncompressed, compressedSize: compressed, method: method,
                                  flags: flags, crc32: crc, localHeaderOffset: localOffset))
            cursor = next
        }
        return (offset, members)
    }

    /// An absolute path (`/x`, `C:x`) or one with a `..` component.
    private static func isUnsafe(_ path: String) -> Bool {
        if path.hasPrefix("/") { return true }
        let scalars = Array(path.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[1] == ":", scalars[0].properties.isAlphabetic { return true }
        return path.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }

    /// Where a member's data starts, after its local header; the header must be where the central
    /// directory says and the data must end before the central directory.
    private func dataOffset(of member: Member) throws -> UInt64 {
        let header = try read(at: member.localHeaderOffset, count: 30)
        guard header.uint32(at: 0) == Self.localSignature else {
            throw ZipError.malformed(file: displayPath, offset: member.localHeaderOffset,
                                     expected: "the local header of member '\(member.path)' (PK\\3\\4)", found: "other bytes")
        }
        let start = member.localHeaderOffset + 30 + UInt64(header.uint16(at: 26)) + UInt64(header.uint16(at: 28))
        guard start <= centralDirectoryOffset, member.compressedSize <= centralDirectoryOffset - start else {
            throw ZipError.malformed(file: displayPath, offset: member.localHeaderOffset,
                                     expected: "the data of member '\(member.path)' before the central directory (offset \(centralDirectoryOffset))",
                                     found: "\(member.compressedSize) bytes from offset \(start)")
        }
        return start
    }

    private func read(at offset: UInt64, count: UInt64) throws -> Data {
        try Self.readBytes(handle, at: offset, count: count, file: displayPath)
    }

    private static func readBytes(_ handle: FileHandle, at offset: UInt64, count: UInt64, file: String) throws -> Data {
        do {
            try handle.seek(toOffset: offset)
            let data = count == 0 ? Data() : (try handle.read(upToCount: Int(count)) ?? Data())
            guard UInt64(data.count) == count else {
                throw ZipError.malformed(file: file, offset: offset, expected: "\(count) bytes", found: "the end of the file after \(data.count)")
            }
            return data
        } catch let error as ZipError {
            throw error
        } catch {
            throw FileError.cannotRead(path: file, reason: error.localizedDescription)
        }
    }

    /// Raw DEFLATE (window bits -15) into a buffer that may grow up to `budget` bytes.
    private func inflate(_ compressed: Data, member: Member, budget: Int) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZipError.damaged(file: displayPath, member: member.path, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        // The declared size is the usual final size; a lying header can only cost up to the budget.
        // DEFLATE expands at most about 1,032-fold, which bounds the first allocation as well.
        let expected = Int(min(member.uncompressedSize, UInt64(max(0, budget)), member.compressedSize &* 1032 &+ 64))
        var output = Data(count: max(expected, 1 << 12))
        var produced = 0
        var input = compressed
        let inputCount = input.count
        var consumed = 0
        while true {
            if produced == output.count {
                guard output.count < budget else {
                    throw ZipError.tooLarge(file: displayPath, member: member.path, limit: budget, what: "stopped after inflating \(produced) bytes")
                }
                output.count = min(budget, max(output.count * 2, 1 << 16))
            }
            let code: Int32 = input.withUnsafeMutableBytes { inBuffer in
                output.withUnsafeMutableBytes { outBuffer in
                    let inBase = inBuffer.bindMemory(to: UInt8.self).baseAddress
                    let outBase = outBuffer.bindMemory(to: UInt8.self).baseAddress
                    stream.next_in = inBase.map { $0 + consumed }
                    stream.avail_in = UInt32(clamping: inputCount - consumed)
                    stream.next_out = outBase.map { $0 + produced }
                    stream.avail_out = UInt32(clamping: outBuffer.count - produced)
                    let before = (stream.avail_in, stream.avail_out)
                    let code = SystemZlib.inflate(&stream, Z_NO_FLUSH)
                    consumed += Int(before.0 - stream.avail_in)
                    produced += Int(before.1 - stream.avail_out)
                    return code
                }
            }
            switch code {
            case Z_STREAM_END:
                output.count = produced
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR where produced == output.count:
                continue
            case Z_BUF_ERROR:
                throw ZipError.damaged(file: displayPath, member: member.path, reason: "its compressed data ends before the end of the stream")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(code)"
                throw ZipError.damaged(file: displayPath, member: member.path, reason: "zlib reports '\(reason)'")
            }
        }
    }
}

extension Data {
    /// Little-endian integers at an offset from the start (the caller has checked the bounds).
    fileprivate func uint16(at offset: Int) -> UInt16 {
        let base = startIndex + offset
        return UInt16(self[base]) | UInt16(self[base + 1]) << 8
    }

    fileprivate func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16
    }

    fileprivate func uint64(at offset: Int) -> UInt64 {
        UInt64(uint32(at: offset)) | UInt64(uint32(at: offset + 4)) << 32
    }
}
