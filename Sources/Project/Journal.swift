import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A change to several study files at once, made so that a kill at any moment leaves the study
/// either before or after the whole change (DESIGN §1, the intent journal).
///
/// Before the first file is touched, the journal — every target's full new content — is written
/// atomically to `.triangulate/journal.json`. Then each file is replaced atomically, and the
/// journal is removed. If the process dies in between, the next command that takes the study's
/// lock finds the journal and finishes the change (replaying a file that was already written is
/// harmless: it gets the same bytes again). The journal lives in the derived folder because it is
/// only ever needed until the next command; it holds nothing a researcher decided that is not also
/// in the change being made.
public struct FileChange: Sendable, Codable, Equatable {
    /// The study path (relative to the root).
    public var path: String
    /// The new content; nil removes the file.
    public var content: Data?

    public init(path: String, content: Data?) {
        self.path = path
        self.content = content
    }

    public init(path: String, text: String) {
        self.init(path: path, content: Data(text.utf8))
    }
}

/// A point in a journalled change where tests may stop the process (a kill at every rename).
public enum JournalFault {
    /// Called after the journal is written and after each file is replaced, with the number of
    /// files replaced so far; a test that throws or exits here simulates a kill.
    nonisolated(unsafe) public static var hook: ((Int) throws -> Void)?
}

extension Study {
    var journalURL: URL { layout.derived.appendingPathComponent("journal.json") }

    /// Applies `changes` as one change: all of them or, after a crash, all of them at the next
    /// command. Call it while holding the study's lock.
    public func apply(_ changes: [FileChange]) throws {
        guard !changes.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try AtomicFile.write(try encoder.encode(changes), to: journalURL)
        try JournalFault.hook?(0)
        try replay(changes)
        try FileManager.default.removeItem(at: journalURL)
    }

    private func replay(_ changes: [FileChange]) throws {
        for (position, change) in changes.enumerated() {
            let url = resolve(change.path)
            if let content = change.content {
                try AtomicFile.write(content, to: url)
            } else if FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.removeItem(at: url)
            }
            try JournalFault.hook?(position + 1)
        }
    }

    /// Finishes an interrupted change before anything reads the study: cheap when there is none
    /// (one file-existence check), and under the lock when there is.
    public func finishInterruptedChange() throws {
        guard FileManager.default.fileExists(atPath: journalURL.path) else { return }
        _ = try withLock { }
    }

    /// Finishes a change an earlier command left half done, and sweeps the temporary files of
    /// processes that died while writing. Called whenever the lock is taken.
    func recover() throws {
        if FileManager.default.fileExists(atPath: journalURL.path) {
            let data: Data
            do { data = try Data(contentsOf: journalURL) } catch {
                throw StudyError.invalid("an interrupted change left \(relativePath(journalURL)), which cannot be read; restore the study from version control and delete that file", at: nil)
            }
            guard let changes = try? JSONDecoder().decode([FileChange].self, from: data) else {
                // A journal is written atomically, so a torn one never exists; one that does not
                // decode was written by another version: refuse rather than guess.
                throw StudyError.invalid("\(relativePath(journalURL)) records an interrupted change this version cannot read; restore the study from version control and delete that file", at: nil)
            }
            try replay(changes)
            try FileManager.default.removeItem(at: journalURL)
        }
        TemporaryFiles.sweep(in: [layout.codebooks, layout.corpus, layout.derived])
    }
}

/// Temporary files that atomic writers leave behind when a process is killed mid-write:
/// `.NAME.PID.RANDOM.tmp` (study files) and `.NAME.PID.RANDOM.sqlite` (dataset imports), with
/// SQLite's `-journal`, `-wal` and `-shm` companions.
public enum TemporaryFiles {
    /// The process id in a temporary file's name, or nil when the name is not one of ours.
    public static func owner(of name: String) -> Int32? {
        guard name.hasPrefix(".") else { return nil }
        var base = Substring(name)
        for suffix in ["-journal", "-wal", "-shm"] where base.hasSuffix(suffix) { base = base.dropLast(suffix.count) }
        guard base.hasSuffix(".tmp") || base.hasSuffix(".sqlite") else { return nil }
        let parts = base.split(separator: ".")
        guard parts.count >= 4, UInt32(parts[parts.count - 2]) != nil, let pid = Int32(parts[parts.count - 3]), pid > 0 else { return nil }
        return pid
    }

    /// Removes, below `folders`, the temporary files whose process is no longer running.
    public static func sweep(in folders: [URL]) {
        for folder in folders {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker {
                guard let pid = owner(of: url.lastPathComponent), pid != getpid() else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: url) }
            }
        }
    }
}
