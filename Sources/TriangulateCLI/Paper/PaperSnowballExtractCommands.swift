import ArgumentParser
import Foundation
import Literature
import Index
import Project
import Study

extension PaperCommand {
    struct Snowball: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link records found by snowballing to the paper they came from (corpus/literature/snowballing.csv).",
            discussion: """
                Import the records found first (e.g. 'paper import refs-smith.bib --database snowballing'), then link them.

                Example:
                  triangulate paper snowball add seed-papers.bib#jiang2023ptmtorrent --from seed-papers.bib#jones2024what --direction backward --iteration 1
                """,
            subcommands: [Add.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record that RECORD was found from SOURCE.",
                discussion: "Example:\n  triangulate paper snowball add seed-papers.bib#jones2024what --from seed-papers.bib#jiang2023empirical --direction forward --iteration 1")
            @OptionGroup var studyOptions: StudyOptions
            @Argument(help: ArgumentHelp("The record found (FILE#KEY).", valueName: "record")) var record: String
            @Option(help: ArgumentHelp("The record it was found from.", valueName: "source")) var from: String
            @Option(help: "backward (its references) or forward (its citations).") var direction: DirectionArgument
            @Option(help: "1 for the start set's links, 2 for links of records found in iteration 1, …") var iteration: Int = 1

            func run() throws {
                let link = try ReviewRecorder(study: try studyOptions.load()).addSnowballLink(
                    record: record, from: from, direction: direction.value, iteration: iteration)
                Terminal.line("Recorded: \(link.record) found \(link.direction.rawValue) from \(link.source), iteration \(link.iteration).")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the snowballing links.", discussion: "Example:\n  triangulate paper snowball list")
            @OptionGroup var studyOptions: StudyOptions

            func run() throws {
                let study = try studyOptions.load()
                let url = ReviewLayout(study: study).snowballing
                for link in try SnowballingFile.read(url, displayPath: study.relativePath(url)) {
                    Terminal.line("\(link.iteration)\t\(link.direction.rawValue)\t\(link.source)\t→ \(link.record)")
                }
            }
        }
    }

    struct Extract: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Data extraction and quality assessment against the form in corpus/literature/extraction.yaml.",
            discussion: """
                The form lists typed fields: 'fields:' with id, label, type (text, number, choice, yes-no) and choices. \
                Answers go to corpus/literature/extraction/<reviewer>.csv.

                Example:
                  triangulate paper extract seed-papers.bib#jiang2023empirical --reviewer ana method=interviews participants=12
                  triangulate paper extract export --output extraction.csv
                """,
            subcommands: [Record.self, Export.self], defaultSubcommand: Record.self)

        struct Record: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set a reviewer's answers for a record (field=value; an empty value clears it).",
                discussion: "Example:\n  triangulate paper extract record seed-papers.bib#jiang2023empirical --reviewer ana replication=yes")
            @OptionGroup var studyOptions: StudyOptions
            @Argument(help: ArgumentHelp("The record (FILE#KEY).", valueName: "record")) var record: String
            @Option(help: "The reviewer.") var reviewer: String
            @Argument(help: ArgumentHelp("Answers as field=value.", valueName: "field=value")) var answers: [String] = []

            func run() throws {
                var values: [String: String] = [:]
                for answer in answers {
                    guard let equals = answer.firstIndex(of: "="), equals != answer.startIndex else {
                        throw CommandFailure(message: "expected an answer as field=value, found '\(answer)'")
                    }
                    values[String(answer[..<equals])] = String(answer[answer.index(after: equals)...])
                }
                guard !values.isEmpty else { throw CommandFailure(message: "give at least one answer as field=value") }
                let entry = try ReviewRecorder(study: try studyOptions.load()).extract(record: record, reviewer: reviewer, values: values)
                Terminal.line("Recorded \(values.count) answer\(values.count == 1 ? "" : "s") for \(entry.record) (\(reviewer)); \(entry.values.count) field\(entry.values.count == 1 ? "" : "s") answered.")
            }
        }

        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "All reviewers' answers as one CSV table (record, reviewer, then the form's fields).",
                discussion: "Example:\n  triangulate paper extract export --output extraction.csv")
            @OptionGroup var studyOptions: StudyOptions
            @OptionGroup var output: OutputFile

            func run() throws {
                try output.write(try ReviewRecorder(study: try studyOptions.load()).extractionExport())
            }
        }
    }

    // MARK: Reports and prioritisation
}
