import Foundation
import Core
#if canImport(Glibc)
import Glibc
#endif

/// Writing to the terminal: results to stdout, diagnostics and progress to stderr.
enum Terminal {
    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func line(_ text: String) {
        output(text + "\n")
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("error: \(text)\n".utf8))
    }

    static func warning(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }

    static let stderrIsTerminal = isatty(STDERR_FILENO) != 0

    /// A progress reporter that rewrites one line of stderr, only when stderr is a terminal, so
    /// logs and CI output stay clean.
    static var progress: (@Sendable (String) -> Void)? {
        guard stderrIsTerminal else { return nil }
        return { message in
            FileHandle.standardError.write(Data("\r\u{1B}[K\(message)".utf8))
        }
    }

    static func endProgress() {
        if stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// Writes `text` to `path` atomically, or to stdout when no path is given.
    static func write(_ text: String, to path: String?) throws {
        if let path {
            try AtomicFile.write(text, to: URL(fileURLWithPath: path))
        } else {
            output(text)
        }
    }
}
