import ArgumentParser
import Core
import Foundation
import Index
import Project
import Study

/// The `triangulate` command: nouns with verbs over a study folder.
public struct TriangulateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "triangulate",
        abstract: "A workbench for mixed-methods research: interviews, literature and mined data, triangulated into a claim-validation matrix.",
        discussion: """
            A study is a folder of plain text: triangulate.yaml, codebooks/ and corpus/. Every command finds it from the \
            current directory upward, or from --study DIR. .triangulate/ holds a derived index and imported datasets; \
            deleting it loses nothing.

            Example:
              triangulate init my-study && cd my-study
              triangulate status
              triangulate matrix --format latex --output matrix.tex
            """,
        version: TriangulateVersion.current,
        subcommands: [
            InitCommand.self, StatusCommand.self, TranscriptCommand.self, ParticipantCommand.self, FrameworkCommand.self, CodebookCommand.self, CodeCommand.self, TagCommand.self, UntagCommand.self,
            ExcerptsCommand.self, AnalyzeCommand.self, AgreementCommand.self, PaperCommand.self, ClaimCommand.self, DatasetCommand.self, MatrixCommand.self, TestCommand.self, ReportCommand.self,
            ProjectCommand.self,
        ])

    public init() {}

    /// Parses the process arguments, runs the command and exits: 0 on success, 1 when the
    /// command failed, 64 on misuse (argument-parser's convention).
    public static func runAndExit() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(0)
        } catch let error as LocatedError {
            Terminal.error(error.description)
            Foundation.exit(1)
        } catch let error as CommandFailure {
            Terminal.error(error.message)
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// A failure a command reports in plain words (the details were already printed).
struct CommandFailure: Error {
    var message: String
}

/// Options every command that works on a study takes.
struct StudyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The study folder (default: the nearest folder at or above the current one with a triangulate.yaml).", valueName: "dir"))
    var study: String?

    func load() throws -> Study {
        if let study {
            let url = URL(fileURLWithPath: study, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("triangulate.yaml").path) else {
                throw CommandFailure(message: "\(study) is not a study folder: it has no triangulate.yaml (create one with 'triangulate init \(study)')")
            }
            return try Study(root: url.standardizedFileURL)
        }
        return try Study.locate(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// The study with its index refreshed.
    func open() throws -> (Study, StudyIndex) {
        try Self.openIndex(try load())
    }

    static func openIndex(_ study: Study) throws -> (Study, StudyIndex) {
        let (index, _) = try StudyIndex.open(study, progress: Terminal.progress)
        Terminal.endProgress()
        return (study, index)
    }
}

/// Output formats of commands whose output is data.
enum DataFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
