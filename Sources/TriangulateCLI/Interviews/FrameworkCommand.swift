import ArgumentParser
import Core
import Foundation
import Qualitative
import Reports
import Study

/// `triangulate framework import|show|edit`: framework-analysis matrices.
struct FrameworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framework",
        abstract: "Framework matrices (participants × themes, a summary per cell): import from a sheet, show, edit a cell.",
        discussion: """
            A framework is stored as plain text, one YAML file per framework in corpus/frameworks/ID.yaml (ID from \
            its name: 'ICSE 2023 framework' is icse-2023-framework), themes and participants in the sheet's order and \
            one block per filled cell, so an edit diffs as that cell's lines. Every write is atomic, under the study's lock.

            Examples:
              triangulate framework show
              triangulate framework show icse-2023-framework --format csv
              triangulate framework import corpus/sources/icse23/Memos.xlsx --name "ICSE 2023 framework" --replace
              triangulate framework edit P02 reuse-case "Language models as a base, then fine-tuned"
            """,
        subcommands: [Import.self, Show.self, Edit.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a framework from an .xlsx or .csv sheet: participants in column A, themes in row 1.",
            discussion: """
                A first-column value names a participant of the study by its id, or by a number equal to the number \
                in exactly one id (3 → P03). Every cell that does not fit the study (a participant the study lacks, a \
                filled cell under an empty header, a participant on two rows) is reported with its place \
                (Memos.xlsx!A5), and then nothing is written. A password-protected, legacy .xls or macro-only \
                workbook is refused with what to do.

                Example:
                  triangulate framework import corpus/sources/icse23/Memos.xlsx --name "ICSE 2023 framework" --replace
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The sheet (.xlsx or .csv).") var file: String
        @Option(help: "The framework's name (default: the file's name); its id is the name in lowercase with dashes.") var name: String?
        @Option(help: "The workbook's sheet (default: the first).") var sheet: String?
        @Flag(help: "Replace a framework of the same id.") var replace = false

        func run() throws {
            let study = try studyOptions.load()
            let outcome = try Frameworks(study: study).importSheet(URL(fileURLWithPath: file), displayPath: file, name: name, sheet: sheet, replacing: replace)
            let filled = outcome.matrix.cells.values.reduce(0) { $0 + $1.count }
            Terminal.line("Wrote \(outcome.path): \(outcome.matrix.participants.count) participants × \(outcome.matrix.themes.count) themes, \(filled) cells filled.")
        }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, latex, csv, json, html
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a framework matrix (text, markdown, latex, csv, json, html).",
            discussion: """
                NAME is the framework's id or name; it may be left out when the study has one framework. Where the \
                framework does not fit the study (a participant the study lacks, a theme code no codebook defines) a \
                warning names the place.

                Examples:
                  triangulate framework show
                  triangulate framework show icse-2023-framework --format markdown --output framework.md
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The framework's id or name (default: the only one).") var name: String?
        @Option(help: "Output format.") var format: Format = .text
        @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file")) var output: String?

        func run() throws {
            let study = try studyOptions.load()
            let frameworks = Frameworks(study: study)
            let id = try frameworks.resolve(name)
            let matrix = try frameworks.read(id).matrix
            for problem in try frameworks.problems(id) { Terminal.warning(problem.description) }
            let text: String
            switch format {
            case .text: text = Frameworks.text(matrix)
            case .markdown: text = MarkdownRenderer().render(Frameworks.table(matrix))
            case .latex: text = LaTeXRenderer().render(Frameworks.table(matrix))
            case .csv: text = CSVRenderer().render(Frameworks.table(matrix))
            case .json: text = JSONRenderer().render(Frameworks.table(matrix))
            case .html: text = HTMLRenderer().render(Frameworks.table(matrix))
            }
            try Terminal.write(text, to: output)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set one cell's summary (an empty summary clears it); the file is written atomically.",
            discussion: """
                THEME is the theme's id (as in the framework file) or its name. The cell's excerpts are kept.

                Example:
                  triangulate framework edit P02 reuse-case "Language models as a base, then fine-tuned"
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The participant (the row).") var participant: String
        @Argument(help: "The theme (the column): its id or name.") var theme: String
        @Argument(help: "The new summary.") var summary: String
        @Option(help: "The framework's id or name (default: the only one).") var framework: String?

        func run() throws {
            let study = try studyOptions.load()
            let frameworks = Frameworks(study: study)
            let id = try frameworks.resolve(framework)
            _ = try frameworks.edit(id, participant: participant, theme: theme, summary: summary)
            Terminal.line("Wrote \(study.relativePath(frameworks.url(of: id))): \(participant) × \(theme) \(summary.isEmpty ? "cleared" : "set").")
        }
    }
}
