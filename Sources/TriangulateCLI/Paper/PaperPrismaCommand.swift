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
            abstract: "PRISMA 2020 flow counts (Markdown, JSON) or the flow diagram (SVG).",
            discussion: """
                Identified records come from the search log's hit counts (exports no search names count their records), \
                duplicates from deduplication, the rest from screening and resolutions.

                Example:
                  triangulate paper prisma --format svg --output prisma.svg
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Output format.") var format: PrismaFormat = .markdown
        @OptionGroup var output: OutputFile

        enum PrismaFormat: String, ExpressibleByArgument, CaseIterable { case markdown, json, svg }

        func run() throws {
            let counts = try PaperCommand.load(studyOptions).prisma()
            switch format {
            case .markdown: try output.write(counts.markdown())
            case .json: try output.write(counts.json())
            case .svg: try output.write(counts.svg())
            }
        }
    }
}
