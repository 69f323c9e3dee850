import ArgumentParser
import Core
import Foundation
import Study

/// `triangulate participant import`: attributes from a sheet into participants.csv.
struct ParticipantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "participant",
        abstract: "Participants' attributes: merge demographics from a .csv or .xlsx sheet into corpus/participants.csv.",
        discussion: """
            Example:
              triangulate participant import corpus/sources/icse23/Demographic_Data.csv --id Participant
            """,
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a sheet of attributes into participants.csv (new columns added; existing values kept unless --replace).",
            discussion: """
                The --id column names each row's participant: an id of the study, or a number equal to the number in \
                exactly one id (3 → P03); any other value adds a participant. Columns participants.csv lacks are added \
                at the end; an empty field is filled; a field that already holds another value is changed only with \
                --replace — otherwise every such conflict is listed and nothing is written. Values are trimmed.

                Examples:
                  triangulate participant import corpus/sources/icse23/Demographic_Data.csv --id Participant
                  triangulate participant import corpus/sources/icse23/Memos.xlsx --id Participant --columns Role
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The sheet (.csv or .xlsx).") var file: String
        @Option(help: ArgumentHelp("The column that names each row's participant.", valueName: "column")) var id: String
        @Option(help: ArgumentHelp("Only these columns, comma-separated (default: every named column).", valueName: "A,B")) var columns: String?
        @Option(help: "The workbook's sheet (default: the first).") var sheet: String?
        @Flag(help: "Overwrite values that participants.csv already holds.") var replace = false

        func run() throws {
            let study = try studyOptions.load()
            let wanted = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            let outcome = try ParticipantImport(study: study).run(URL(fileURLWithPath: file), displayPath: file, idColumn: id,
                                                                  columns: wanted, sheet: sheet, replacing: replace)
            guard outcome.wrote else {
                Terminal.line("corpus/participants.csv already holds every value of \(file) (\(outcome.unchanged) the same); nothing was written.")
                return
            }
            var parts: [String] = []
            if !outcome.added.isEmpty { parts.append("\(outcome.added.count) participant\(outcome.added.count == 1 ? "" : "s") added") }
            if !outcome.newColumns.isEmpty { parts.append("columns added: \(outcome.newColumns.joined(separator: ", "))") }
            parts.append("\(outcome.filled) value\(outcome.filled == 1 ? "" : "s") filled")
            if outcome.replaced > 0 { parts.append("\(outcome.replaced) replaced") }
            if outcome.unchanged > 0 { parts.append("\(outcome.unchanged) already the same") }
            Terminal.line("Wrote corpus/participants.csv: " + parts.joined(separator: "; ") + ".")
        }
    }
}
