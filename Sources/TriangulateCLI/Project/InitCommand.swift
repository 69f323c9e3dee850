import ArgumentParser
import Foundation
import Index
import Project
import Study

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new study folder.",
        discussion: """
            Creates triangulate.yaml, codebooks/, corpus/{transcripts,codings,literature,claims,datasets}, \
            corpus/participants.csv and a .gitignore that keeps the derived .triangulate/ out of git. \
            The folder may exist already, but must not hold a study.

            Example:
              triangulate init reuse-study --title "Reuse of pre-trained models"
            """)

    @Argument(help: "The folder to create the study in.")
    var directory: String = "."

    @Option(help: "The study's title (default: the folder's name).")
    var title: String?

    func run() throws {
        let url = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let study = try Study.initialize(at: url, title: title)
        Terminal.line("Created the study '\(study.settings.title)' in \(directory).")
        Terminal.line("Next: add transcripts to corpus/transcripts, codes to codebooks/, claims with 'triangulate claim add'.")
    }
}
