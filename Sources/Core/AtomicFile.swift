import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors raised while reading or writing study files.
public enum FileError: LocatedError, Equatable {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case locked(path: String)

    public var location: SourceLocation? {
        switch self {
        case .cannotRead(let path, _), .cannotWrite(let path, _), .locked(let path):
            return SourceLocation(file: path)
        }
    }

    public var message: String {
        switch self {
        case .cannotRead(_, let reason): return "cannot read the file: \(reason)"
        case .cannotWrite(_, let reason): return "cannot write the file: \(reason)"
        case .locked: return "another triangulate command is changing this study; try again when it has finished"
        }
    }
}

/// Writes whole files so that a crash or Ctrl-C never leaves one half-written.
///
/// The bytes go to a temporary file in the same directory, which is flushed to disk with fsync
/// and then renamed over the target: rename is atomic on POSIX file systems, so readers see either
/// the old file or the new one. The directory is fsynced too so the rename itself survives a
/// power loss.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileError.cannotWrite(path: url.path, reason: "cannot create the folder \(directory.path)")
        }
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw FileError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc_write(fd, buffer.baseAddress!.advanced(by: offset), buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw FileError.cannotWrite(path: url.path, reason: failure)
        }
        let dirfd = open(directory.path, O_RDONLY)
        if dirfd >= 0 {
            fsync(dirfd)
            close(dirfd)
        }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Appends lines to a text file by rewriting it atomically: a JSON Lines file of decisions
    /// is never left with half a line.
    public static func append(_ text: String, to url: URL) throws {
        var data = (try? Data(contentsOf: url)) ?? Data()
        if let last = data.last, last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        data.append(contentsOf: Array(text.utf8))
        try write(data, to: url)
    }
}

private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.write(fd, buffer, count)
    #elseif canImport(Musl)
    return Musl.write(fd, buffer, count)
    #else
    return Glibc.write(fd, buffer, count)
    #endif
}
