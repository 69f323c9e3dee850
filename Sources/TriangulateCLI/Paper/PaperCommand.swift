import ArgumentParser
import Core
import Foundation
import Literature
import Index
import Project
import Study

struct PaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "Run a systematic literature review: import, deduplicate, screen, snowball, extract, report.",
        discussion: """
            Every decision is a line of plain text under corpus/literature/: the exports (*.bib, *.ris, *.txt, *.nbib; \
            CSV exports become NAME.bib, the original kept in originals/), imports.csv, searches.yaml, dedupe.csv, \
            screening/<reviewer>.csv and screening/resolutions.csv, snowballing.csv, extraction.yaml and \
            extraction/<reviewer>.csv. A record's id is FILE#KEY (scopus.bib#smith2020); a key alone works when one \
            record has it. Screening stages and criteria come from the 'screening:' section of triangulate.yaml.

            Example:
              triangulate paper import exports/scopus.bib --database scopus
              triangulate paper dedupe
              triangulate paper screen --next --reviewer ana
              triangulate paper screen --from asreview-export.csv --reviewer ana --unexplained-exclusion E1
              triangulate paper show jiang2023empirical
              triangulate paper next --stats
              triangulate paper prisma --format svg --output prisma.svg
            """,
        subcommands: [
            Import.self, Search.self, List.self, Show.self, Dedupe.self, Screen.self, Conflicts.self, Resolve.self, Agreement.self,
            Snowball.self, Extract.self, Prisma.self, Next.self, Simulate.self,
        ])

    /// The review, read from the study's files. The exports' warnings were listed when they were
    /// imported (and `paper list --warnings` lists them again); here one line says how many there
    /// are, so every command does not repeat them.
    static func load(_ options: StudyOptions, quiet: Bool = false) throws -> ReviewState {
        let state = try ReviewState.load(try options.load())
        if !quiet && !state.warnings.isEmpty {
            Terminal.note("note: the literature exports have \(state.warnings.count) warning\(state.warnings.count == 1 ? "" : "s") (duplicate keys, skipped entries); 'triangulate paper list --warnings' lists them.")
        }
        return state
    }

    /// The `--encoding` a user named (UTF-8, or UTF-16 by its byte-order mark, when nil).
    static func encoding(_ name: String?) throws -> TextEncoding {
        guard let name else { return .automatic }
        guard let encoding = TextEncoding(name: name) else {
            throw ValidationError("expected --encoding \(TextEncoding.names.joined(separator: ", ")), found '\(name)'")
        }
        return encoding
    }

    static func printWarnings(_ warnings: [String]) {
        for warning in warnings.prefix(20) { Terminal.warning(warning) }
        if warnings.count > 20 { Terminal.warning("… and \(warnings.count - 20) more problems in the exports") }
    }

    // MARK: Import and searches
}

/// `--direction` values.
struct DirectionArgument: ExpressibleByArgument {
    var value: SnowballingLink.Direction
    init?(argument: String) {
        guard let value = SnowballingLink.Direction(rawValue: argument) else { return nil }
        self.value = value
    }
    static var allValueStrings: [String] { SnowballingLink.Direction.allCases.map(\.rawValue) }
}
