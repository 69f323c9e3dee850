import ArgumentParser
import Core
import Foundation
import Literature
import Index
import Project
import Study

extension PaperCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a database export (BibTeX, RIS, Web of Science, CSV) into corpus/literature/.",
            discussion: """
                The file keeps its name (or --name) and a name that exists is refused. A CSV export (comma, ';' or TAB \
                separated, detected) needs a column mapping and is written as NAME.bib, the original kept in \
                corpus/literature/originals/. The mapping is a preset (\(ReviewCSVMapping.allCases.map(\.rawValue).joined(separator: ", "))), \
                a mapping file (one 'field = Column' per line, '#' comments, optionally 'preset = scopus' first), or \
                --map field=Column options, which apply on top of either. Fields: title, authors, year, doi, abstract, \
                journal, keywords, key, label, author-separator, keyword-separator. UTF-8 and UTF-16 with a byte-order \
                mark are read as they are; give --encoding windows-1252 or latin-1 for older exports (a file that is not \
                UTF-8 is refused with the byte offset of the first bad byte). Bad entries are reported with their file \
                and line; the good records of the file are imported. The import is logged in imports.csv with its \
                database, search and the path it came from, relative to the study.

                Example:
                  triangulate paper search add --database scopus --query 'TITLE-ABS-KEY(reuse)' --date 2025-09-05 --file corpus/literature/scopus.bib --hits 3
                  triangulate paper import exports/scopus.bib --database scopus --search S1
                  triangulate paper import exports/ieee.csv --mapping ieee --database ieee
                  triangulate paper import exports/wos.tsv --map title="Article Title" --map authors=Authors --map year="Publication Year"
                  triangulate paper import exports/old.csv --mapping exports/old-mapping.txt --encoding windows-1252
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: ArgumentHelp("The export file.", valueName: "file")) var file: String
        @Option(help: "The database it came from (default: the search's).") var database: String?
        @Option(help: ArgumentHelp("The id of the logged search that produced it (see 'paper search add').", valueName: "id")) var search: String?
        @Option(help: ArgumentHelp("The column layout of a CSV export: a preset or a mapping file.", valueName: "preset|file")) var mapping: String?
        @Option(help: ArgumentHelp("A CSV column for a field, e.g. title=\"Document Title\" (repeatable; on top of --mapping).", valueName: "field=column"))
        var map: [String] = []
        @Option(help: ArgumentHelp("The text encoding: \(TextEncoding.names.joined(separator: ", ")) (default: UTF-8, or UTF-16 by its byte-order mark).", valueName: "encoding"))
        var encoding: String?
        @Option(help: ArgumentHelp("The file name to give it in corpus/literature/.", valueName: "name")) var name: String?

        /// The mapping from --mapping (a preset or a mapping file) with the --map assignments on top;
        /// nil when neither is given.
        func columnMapping() throws -> CSVColumnMapping? {
            guard mapping != nil || !map.isEmpty else { return nil }
            var base = CSVColumnMapping(title: "")
            if let mapping {
                if let preset = CSVColumnMapping.presets[mapping.lowercased()] {
                    base = preset
                } else {
                    let url = URL(fileURLWithPath: mapping, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                    guard FileManager.default.fileExists(atPath: url.path) else {
                        throw CommandFailure(message: "--mapping '\(mapping)' is neither a preset (\(CSVColumnMapping.presets.keys.sorted().joined(separator: ", "))) nor a mapping file")
                    }
                    base = try CSVColumnMapping.parse(mappingFile: try TextFile.read(url, displayPath: mapping), file: mapping)
                }
            }
            return try base.applying(map) { SourceLocation(file: "--map \(map.isEmpty ? "" : map[$0])") }
        }

        func run() throws {
            let study = try studyOptions.load()
            let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let textEncoding = try PaperCommand.encoding(encoding)
            let columns = try columnMapping()
            let outcome = try ReviewRecorder(study: study).importExport(
                from: url, displayPath: file, name: name, database: database, search: search, mapping: nil, columns: columns,
                encoding: textEncoding)
            if outcome.alreadyImported {
                Terminal.line("\(file) is already imported as \(outcome.file) (\(outcome.records) records); nothing changed.")
                return
            }
            PaperCommand.printWarnings(outcome.warnings)
            Terminal.line("Imported \(outcome.records) record\(outcome.records == 1 ? "" : "s") into \(outcome.file)"
                + (outcome.warnings.isEmpty ? "." : "; \(outcome.warnings.count) problem\(outcome.warnings.count == 1 ? "" : "s") reported above."))
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The search log, corpus/literature/searches.yaml: queries, dates and hit counts.",
            discussion: "Example:\n  triangulate paper search add --database scopus --query 'TITLE-ABS-KEY(\"pre-trained model\" AND reuse)' --date 2025-09-05 --file corpus/literature/scopus.bib --hits 412",
            subcommands: [Add.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Log a database search.",
                discussion: """
                    --hits defaults to the number of records in --file when it is already imported.

                    Example:
                      triangulate paper search add --database scopus --query 'TITLE-ABS-KEY(reuse)' --date 2025-09-05 --file corpus/literature/scopus.bib --hits 412
                    """)
            @OptionGroup var studyOptions: StudyOptions
            @Option(help: "An id for the search (default: S1, S2, …).") var id: String?
            @Option(help: "The database searched.") var database: String
            @Option(help: "The query string, exactly as run.") var query: String
            @Option(help: ArgumentHelp("The day the search ran.", valueName: "YYYY-MM-DD")) var date: String
            @Option(help: ArgumentHelp("The export the search produced, in corpus/literature/.", valueName: "file")) var file: String
            @Option(help: "The number of hits the database reported.") var hits: Int?

            func run() throws {
                let entry = try ReviewRecorder(study: try studyOptions.load()).addSearch(
                    id: id, database: database, query: query, date: date, file: file, hits: hits)
                Terminal.line("Logged search \(entry.id): \(entry.database), \(entry.date), \(entry.hits) hits, \(entry.file).")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the logged searches.", discussion: "Example:\n  triangulate paper search list --format json")
            @OptionGroup var studyOptions: StudyOptions
            @Option(help: "Output format.") var format: DataFormat = .text

            struct Row: Encodable { var id, database, query, date, file: String; var hits: Int }

            func run() throws {
                let state = try PaperCommand.load(studyOptions, quiet: true)
                let rows = state.searchLog.entries.map { Row(id: $0.id, database: $0.database, query: $0.query, date: $0.date, file: $0.file, hits: $0.hits) }
                switch format {
                case .json: try JSONOutput.print(rows)
                case .text:
                    if rows.isEmpty { Terminal.note("No searches logged yet: use 'triangulate paper search add'.") }
                    for row in rows { Terminal.line("\(row.id)\t\(row.database)\t\(row.date)\t\(row.hits)\t\(row.file)\t\(row.query)") }
                }
            }
        }
    }

    // MARK: List
}
