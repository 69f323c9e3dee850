import ArgumentParser
import Foundation
import Literature
import Project
import Study

extension PaperCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one record: title, authors, venue, year, abstract, keywords, DOI and the decisions so far.",
            discussion: """
                RECORD is FILE#KEY, or a citation key that one record has.

                Example:
                  triangulate paper show jiang2023empirical
                  triangulate paper show seed-papers.bib#jiang2023empirical --format json
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: ArgumentHelp("The record (FILE#KEY or KEY).", valueName: "record")) var record: String
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let state = try PaperCommand.load(studyOptions, quiet: true)
            let details = try state.details(of: record)
            switch format {
            case .json: try JSONOutput.print(details)
            case .text: Terminal.output(Self.text(details, keywords: []))
            }
        }

        /// The record as the terminal shows it; `keywords` are highlighted when given.
        static func text(_ details: RecordDetails, keywords: [String]) -> String {
            func mark(_ text: String) -> String { KeywordHighlighter.highlight(text, keywords: keywords) }
            var out = "\(details.id)\n"
            out += "  \(mark(details.title ?? "(no title)"))\n"
            if !details.authors.isEmpty { out += "  \(details.authors.joined(separator: "; "))\n" }
            let venue = [details.venue, details.year.map(String.init)].compactMap { $0 }.joined(separator: ", ")
            if !venue.isEmpty { out += "  \(venue)\n" }
            if let doi = details.doi { out += "  doi: \(doi)\n" }
            if let url = details.url, details.doi == nil { out += "  url: \(url)\n" }
            if !details.keywords.isEmpty { out += "  keywords: \(mark(details.keywords.joined(separator: ", ")))\n" }
            out += "  status: \(details.status)\(details.database.map { " (from \($0))" } ?? "")\n"
            if let abstract = details.abstract { out += "\n\(mark(abstract))\n" }
            if !details.decisions.isEmpty {
                out += "\nDecisions:\n"
                for decision in details.decisions {
                    let verdict = [decision.decision, decision.criterion].compactMap { $0 }.joined(separator: " ")
                    out += "  \(decision.stage)\t\(decision.reviewer)\(decision.resolution ? " (resolution)" : "")\t\(verdict)"
                        + (decision.note.isEmpty ? "" : "\t\(decision.note)") + "\n"
                }
            }
            return out
        }
    }
}
