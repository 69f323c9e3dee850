import ArgumentParser
import Foundation
import Study

struct PaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "List the literature records of the study.",
        subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the records of corpus/literature (BibTeX, RIS, Web of Science exports).",
            discussion: "Example:\n  triangulate paper list --format json")

        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let (_, index) = try studyOptions.open()
            let papers = try index.papers()
            switch format {
            case .json: try JSONOutput.print(papers)
            case .text:
                if papers.isEmpty { Terminal.note("No papers yet: put .bib or .ris exports in corpus/literature.") }
                for paper in papers {
                    Terminal.line("\(paper.key)\t\(paper.year.map(String.init) ?? "n.d.")\t\(paper.title ?? "(no title)")")
                }
            }
        }
    }
}
