import ArgumentParser
import Foundation
import Index
import Project
import Interchange
import Study

extension PositionUnit: ExpressibleByArgument {}

/// `triangulate project import|export`: a whole qualitative project in and out (REFI-QDA, QualCoder).
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Move a whole qualitative project in or out: REFI-QDA projects (.qdpx) and QualCoder projects (.qda).",
        subcommands: [Import.self, Export.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a REFI-QDA project (.qdpx from NVivo, ATLAS.ti, MAXQDA…) or a QualCoder project (data.qda).",
            discussion: """
                Text sources become transcripts, codes the codebook, coded selections codings on turn and span (each one \
                checked against the text), users coders (added to coders: in triangulate.yaml), notes and descriptions memos, \
                cases participants, and codes applied to a case case-level codings. A source's .docx twin is compared with \
                its plain text, which carries the positions. The report lists, per kind, what was found, imported and not \
                imported, and why; anything the project holds that is not brought is listed there. Everything is written as \
                one change, or nothing if the import fails; the next command brings the index up to date.

                Example:
                  triangulate project import exports/interviews.qdpx --prefix nvivo
                  triangulate project import exports/study.qda/data.qda --format json
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The .qdpx, .qde or QualCoder .qda file.") var file: String
        @Option(help: ArgumentHelp("Put every imported code under this grouping code (when names clash with the study's codes).", valueName: "id"))
        var prefix: String?
        @Option(help: "How the project counts text positions (default: decided per source from the evidence).") var positions: PositionUnit?
        @Option(help: "text or json.") var format: DataFormat = .text

        func run() throws {
            let report = try ProjectExchange(study: try studyOptions.load())
                .importProject(URL(fileURLWithPath: file), prefix: prefix, positions: positions)
            Terminal.output(format == .json ? report.json : report.text)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the whole study as a REFI-QDA project (.qdpx).",
            discussion: """
                Transcripts, codes, coders, codings, memos and participants (as cases with variables, and with their \
                case-level codes as CodeRefs). What REFI-QDA cannot carry (the coder, memo or excerpts of a case-level \
                coding) is printed as a warning. The same study always exports the same bytes.

                Example:
                  triangulate project export study.qdpx
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The .qdpx file to write.") var file: String

        func run() throws {
            let warnings = try ProjectExchange(study: try studyOptions.load()).exportProject(to: URL(fileURLWithPath: file))
            for warning in warnings { Terminal.warning(warning) }
            Terminal.line("Exported the study to \(file).")
        }
    }
}
