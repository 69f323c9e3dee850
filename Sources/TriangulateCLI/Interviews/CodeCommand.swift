import ArgumentParser
import Foundation
import Index
import Project
import Study

struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Add, rename, move, merge and remove codes.",
        discussion: """
            Each change rewrites the codebook and every coding and claim that uses the code, one file at a time \
            atomically; comments and layout of the codebook are kept. Codings are never dropped: a code in use can \
            be merged into another, not removed.

            Examples:
              triangulate code add security --parent trust --name "Security" --definition "Unsafe weight formats or malicious code as a reason to avoid a model." --study examples/tutorial
              triangulate code rename selection/popularity downloads --study examples/tutorial
              triangulate code move trust/licensing --parent documentation --study examples/tutorial
              triangulate code merge trust/reproducibility trust/provenance --study examples/tutorial
            """,
        subcommands: [Add.self, Rename.self, Move.self, Merge.self, Remove.self])

    static func report(_ summary: CodebookChangeSummary, _ what: String) {
        Terminal.line("\(what) in \(summary.codebook).")
        if !summary.codingFiles.isEmpty { Terminal.line("Rewrote codings in \(summary.codingFiles.joined(separator: ", ")).") }
        if !summary.claimFiles.isEmpty { Terminal.line("Rewrote claims in \(summary.claimFiles.joined(separator: ", ")).") }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a code to a codebook.",
            discussion: "Example:\n  triangulate code add security --parent trust --name \"Security\" --study examples/tutorial")
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The new code's id segment (lowercase letters, digits, '-', '_').") var id: String
        @Option(help: "The parent code's full id (default: a top-level code).") var parent: String?
        @Option(help: "A readable name.") var name: String?
        @Option(help: "The definition coders apply.") var definition: String?
        @Option(help: "The codebook file in codebooks/ (needed when there are several, or none yet).") var codebook: String?

        func run() throws {
            let summary = try CodebookChanges(study: try studyOptions.load())
                .add(id: id, name: name, definition: definition, parent: parent, codebook: codebook)
            CodeCommand.report(summary, "Added \(parent.map { "\($0)/" } ?? "")\(id)")
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename a code (its sub-codes follow).",
            discussion: "Example:\n  triangulate code rename selection/popularity downloads --study examples/tutorial")
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The code's full id.") var code: String
        @Argument(help: "The new last segment of its id.") var newName: String

        func run() throws {
            let summary = try CodebookChanges(study: try studyOptions.load()).rename(code, to: newName)
            CodeCommand.report(summary, "Renamed \(code)")
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a code (with its sub-codes) under another parent.",
            discussion: "Example:\n  triangulate code move trust/licensing --parent documentation --study examples/tutorial\n  triangulate code move documentation/licensing --top --study examples/tutorial")
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The code's full id.") var code: String
        @Option(help: "The new parent's full id.") var parent: String?
        @Flag(help: "Move it to the top level.") var top = false

        func validate() throws {
            if (parent == nil) == !top { throw ValidationError("give either --parent CODE or --top") }
        }

        func run() throws {
            let summary = try CodebookChanges(study: try studyOptions.load()).move(code, under: parent)
            CodeCommand.report(summary, "Moved \(code)")
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a code into another: its codings take the other's id and it leaves the codebook.",
            discussion: "Example:\n  triangulate code merge trust/reproducibility trust/provenance --study examples/tutorial")
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The code to merge away.") var from: String
        @Argument(help: "The code that remains.") var into: String

        func run() throws {
            let summary = try CodebookChanges(study: try studyOptions.load()).merge(from, into: into)
            CodeCommand.report(summary, "Merged \(from) into \(into)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a code that no coding uses.",
            discussion: "Example:\n  triangulate code add stars --parent selection --study examples/tutorial\n  triangulate code remove selection/stars --study examples/tutorial")
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The code's full id.") var code: String

        func run() throws {
            let summary = try CodebookChanges(study: try studyOptions.load()).remove(code)
            CodeCommand.report(summary, "Removed \(code)")
        }
    }
}
