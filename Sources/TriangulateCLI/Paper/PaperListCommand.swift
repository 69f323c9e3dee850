import ArgumentParser
import Foundation
import Literature
import Index
import Project
import Study

extension PaperCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the records of the review with their screening status.",
            discussion: """
                Statuses: unscreened (no first-stage decision), pending (maybe, conflict or a later stage to go), \
                included (at the last stage), excluded (with criterion and stage), duplicate (of the record kept).

                Example:
                  triangulate paper list --status included --format bibtex --output included.bib
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Only records with this status.") var status: StatusArgument?
        @Option(help: "Output format.") var format: ListFormat = .text
        @OptionGroup var output: OutputFile
        @Flag(help: "List the warnings about the literature exports (duplicate keys, skipped entries) instead.") var warnings = false

        enum StatusArgument: String, ExpressibleByArgument, CaseIterable { case included, excluded, pending, unscreened, duplicate }
        enum ListFormat: String, ExpressibleByArgument, CaseIterable { case text, json, bibtex }

        struct Row: Encodable {
            var id: String, key: String, file: String, type: String
            var database: String?, search: String?
            var year: Int?, authors: [String], title: String?, doi: String?
            var status: String, detail: String
        }

        func run() throws {
            if warnings {
                let state = try PaperCommand.load(studyOptions, quiet: true)
                if state.warnings.isEmpty { Terminal.note("The literature exports read without warnings.") }
                for warning in state.warnings { Terminal.line(warning) }
                return
            }
            let state = try PaperCommand.load(studyOptions)
            let selected = state.records.filter { status == nil || state.status(of: $0.recordID).name == status!.rawValue }
            switch format {
            case .bibtex:
                try output.write(BibTeXWriter.write(selected))
            case .json:
                let rows = selected.map { record in
                    let status = state.status(of: record.recordID)
                    return Row(id: record.recordID, key: record.key, file: record.location.file, type: record.type,
                               database: state.database(of: record), search: state.search(of: record), year: record.year,
                               authors: record.authors, title: record.title, doi: record.doi, status: status.name, detail: status.summary)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try output.write(String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n")
            case .text:
                if state.records.isEmpty { Terminal.note("No records yet: import an export with 'triangulate paper import FILE'.") }
                let text = selected.map { record in
                    "\(record.recordID)\t\(record.year.map(String.init) ?? "n.d.")\t\(state.status(of: record.recordID).summary)\t\(record.title ?? "(no title)")\n"
                }.joined()
                try output.write(text)
            }
        }
    }

    // MARK: Duplicates
}
