import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock on a study (flock on a lock file), held by commands that record decisions.
///
/// The kernel releases a flock when the process dies, so a crashed command never leaves the
/// study locked.
public final class FileLock: @unchecked Sendable {
    private let descriptor: Int32

    /// Takes the lock, waiting up to `timeout` seconds for another command to finish.
    public init(url: URL, timeout: TimeInterval = 10) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(url.path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw FileError.cannotWrite(path: url.path, reason: String(cString: strerror(errno))) }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if Date() >= deadline {
                close(fd)
                throw FileError.locked(path: url.path)
            }
            usleep(50_000)
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
