import Foundation
import XCTest

/// Runs a program found on the PATH, for checks against independent tools (pdflatex, pandas).
enum ExternalTool {
    /// What a finished program left behind.
    struct Output {
        var status: Int32
        var standardOutput: Data
        var standardError: Data
    }

    /// The program's full path, or nil when no directory on the PATH holds an executable of that name.
    static func locate(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }

    /// Runs `name` with `arguments`, feeding it `input`; skips the calling test when the program
    /// is not on the PATH.
    static func run(_ name: String, arguments: [String], input: Data = Data(), in directory: URL? = nil) throws -> Output {
        guard let executable = locate(name) else {
            throw XCTSkip("\(name) is not on the PATH; this cross-check was skipped")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory {
            process.currentDirectoryURL = directory
        }
        // Input comes from a file, not a pipe: a program that exits before reading would make a
        // write to a pipe raise SIGPIPE and end the whole test run.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reports-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputFile = scratch.appendingPathComponent("stdin")
        let outputFile = scratch.appendingPathComponent("stdout")
        let errorFile = scratch.appendingPathComponent("stderr")
        try input.write(to: inputFile)
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        let inputHandle = try FileHandle(forReadingFrom: inputFile)
        let outputHandle = try FileHandle(forWritingTo: outputFile)
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardInput = inputHandle
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        try process.run()
        process.waitUntilExit()
        try inputHandle.close()
        try outputHandle.close()
        try errorHandle.close()
        return Output(
            status: process.terminationStatus,
            standardOutput: try Data(contentsOf: outputFile),
            standardError: try Data(contentsOf: errorFile)
        )
    }
}
