import ArgumentParser
import Foundation
import TestSupport
import TriangulateCLI
import XCTest

/// Every example in every `--help` runs as printed, by bash, on a copy of the demo study shipped
/// in this repository (triangulate.yaml, codebooks/, corpus/).
///
/// An example block (the lines after "Example:" or "Examples:" in a command's discussion) runs as
/// one script, so `triangulate init my-study && cd my-study` followed by `triangulate status` works
/// as a reader would type it. Each block gets a fresh copy of the study. Files an example names
/// that stand for the reader's own files (an export, a decisions sheet) are in ExampleInputs/ and
/// are copied into the study first; everything else an example touches must be in the demo.
final class HelpExampleTests: XCTestCase {
    struct Block {
        var command: String
        var lines: [String]
    }

    /// The example blocks of a command and all its subcommands.
    static func blocks(of command: ParsableCommand.Type, path: [String] = []) -> [Block] {
        let configuration = command.configuration
        let name = path + [command._commandName]
        var found: [Block] = []
        let lines = configuration.discussion.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            index += 1
            guard trimmed == "Example:" || trimmed == "Examples:" else { continue }
            var examples: [String] = []
            var pending = ""
            while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
                let line = lines[index].trimmingCharacters(in: .whitespaces)
                index += 1
                if line.hasSuffix("\\") {
                    pending += line.dropLast() + " "
                } else {
                    examples.append(pending + line)
                    pending = ""
                }
            }
            if !examples.isEmpty { found.append(Block(command: name.joined(separator: " "), lines: examples)) }
        }
        for subcommand in configuration.subcommands {
            found += blocks(of: subcommand, path: name)
        }
        return found
    }

    func testEveryCommandHasAnExampleBlock() {
        let blocks = Self.blocks(of: TriangulateCommand.self)
        XCTAssertGreaterThan(blocks.count, 40)
        for block in blocks {
            for line in block.lines {
                XCTAssertTrue(line.hasPrefix("triangulate ") || line.hasPrefix("cd ") || line.hasPrefix("echo ") || line.hasPrefix("printf "),
                              "\(block.command): an example line that is not a command: \(line)")
            }
        }
    }

    func testEveryHelpExampleRunsAsPrintedOnTheDemoStudy() throws {
        guard let executable = CLI.executable else { throw XCTSkip("the triangulate executable is not built next to the tests; run 'swift build' first") }
        let fileManager = FileManager.default
        let work = try TestPaths.temporaryDirectory(for: self)
        let demo = work.appendingPathComponent("demo")
        try fileManager.createDirectory(at: demo, withIntermediateDirectories: true)
        // examples/: the illustrative tutorial study, which the text-coding examples name with --study.
        for item in ["triangulate.yaml", "codebooks", "corpus", "examples"] {
            try fileManager.copyItem(at: TestPaths.repositoryRoot.appendingPathComponent(item), to: demo.appendingPathComponent(item))
        }
        let inputs = TestPaths.repositoryRoot.appendingPathComponent("Tests/TriangulateCLITests/ExampleInputs")
        // ExampleInputs/home is the reader's home folder (a pseudonym key belongs outside the
        // study, as ~/private/names.csv); everything else is copied into the study.
        for item in (try? fileManager.contentsOfDirectory(atPath: inputs.path)) ?? [] where item != "home" {
            try fileManager.copyItem(at: inputs.appendingPathComponent(item), to: demo.appendingPathComponent(item))
        }
        let home = work.appendingPathComponent("home")
        try fileManager.copyItem(at: inputs.appendingPathComponent("home"), to: home)
        // Warm the copy once (index and imported datasets), so each block starts from the same state.
        let warm = try CLI.run(["matrix"], in: demo)
        XCTAssertEqual(warm.status, 0, warm.stderr)

        var failures: [String] = []
        for (number, block) in Self.blocks(of: TriangulateCommand.self).enumerated() {
            let folder = work.appendingPathComponent("block-\(number)")
            try fileManager.copyItem(at: demo, to: folder)
            let script = "set -e -o pipefail\n" + block.lines.joined(separator: "\n") + "\n"
            let output = try Self.bash(script, in: folder, path: executable.deletingLastPathComponent().path, home: home.path)
            if output.status != 0 {
                failures.append("""
                    \(block.command) (exit \(output.status)):
                    \(block.lines.map { "  $ " + $0 }.joined(separator: "\n"))
                    \(output.stderr.split(separator: "\n").suffix(6).map { "    " + $0 }.joined(separator: "\n"))
                    """)
            }
            try? fileManager.removeItem(at: folder)
        }
        XCTAssertTrue(failures.isEmpty, "help examples that do not run as printed on the demo study:\n" + failures.joined(separator: "\n"))
    }

    /// Runs a script with bash, the built executable first on PATH, answers on stdin empty (an
    /// interactive example sees end of input and stops).
    static func bash(_ script: String, in directory: URL, path: String, home: String) throws -> CLI.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["TRIANGULATE_CODER"] = nil
        environment["HOME"] = home
        process.environment = environment
        // stderr goes to a file, so a chatty command cannot fill a pipe nobody reads.
        let errorFile = directory.deletingLastPathComponent().appendingPathComponent(directory.lastPathComponent + ".stderr")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let err = try FileHandle(forWritingTo: errorFile)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let stderr = (try? Data(contentsOf: errorFile)) ?? Data()
        return CLI.Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                          stderr: String(decoding: stderr, as: UTF8.self))
    }
}
