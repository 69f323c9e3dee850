import ArgumentParser
import Foundation
import Literature
import Index
import Project
import Study

extension PaperCommand {
    struct Prisma: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prisma",
            abstract: "PRISMA 2020 flow counts (Markdown, JSON) or the flow diagram (SVG, LaTeX/TikZ).",
            discussion: """
                Records identified per database are the records imported from it (the search log's reported hit count \
                is shown beside it, with a warning when they differ); records found by snowballing are the second \
                column, identification via other methods. Duplicates come from deduplication, the rest from screening \
                and resolutions. Every arrow reconciles: identified - removed = screened, screened - excluded = sought, \
                sought - not retrieved = assessed, assessed - excluded with reasons = included. --format latex writes a \
                standalone TikZ document: 'pdflatex prisma.tex' makes the PDF.

                Example:
                  triangulate paper prisma --format svg --output prisma.svg
                  triangulate paper prisma --format latex --output prisma.tex
                  triangulate paper prisma --format json
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Output format.") var format: PrismaFormat = .markdown
        @OptionGroup var output: OutputFile

        enum PrismaFormat: String, ExpressibleByArgument, CaseIterable { case markdown, json, svg, latex }

        func run() throws {
            let counts = try PaperCommand.load(studyOptions).prisma()
            for warning in counts.warnings { Terminal.warning(warning) }
            switch format {
            case .markdown: try output.write(counts.markdown())
            case .json: try output.write(counts.json())
            case .svg: try output.write(counts.svg())
            case .latex: try output.write(counts.latex())
            }
        }
    }
}
