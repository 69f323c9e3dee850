import ArgumentParser
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
              triangulate paper import ~/Downloads/scopus.bib --database scopus
              triangulate paper dedupe
              triangulate paper screen --next --reviewer ana
              triangulate paper prisma --format svg --output prisma.svg
            """,
        subcommands: [
            Import.self, Search.self, List.self, Dedupe.self, Screen.self, Conflicts.self, Resolve.self, Agreement.self,
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

    static func printWarnings(_ warnings: [String]) {
        for warning in warnings.prefix(20) { Terminal.warning(warning) }
        if warnings.count > 20 { Terminal.warning("… and \(warnings.count - 20) more problems in the exports") }
    }

    // MARK: Import and searches

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a database export (BibTeX, RIS, Web of Science, CSV) into corpus/literature/.",
            discussion: """
                The file keeps its name (or --name) and a name that exists is refused. A CSV export needs --mapping and \
                is written as NAME.bib, the original kept in corpus/literature/originals/. Bad entries are reported with \
                their file and line; the good records of the file are imported. The import is logged in imports.csv \
                with its database and search.

                Example:
                  triangulate paper import exports/scopus.bib --database scopus --search S1
                  triangulate paper import exports/ieee.csv --mapping ieee --database ieee
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: ArgumentHelp("The export file.", valueName: "file")) var file: String
        @Option(help: "The database it came from (default: the search's).") var database: String?
        @Option(help: ArgumentHelp("The id of the logged search that produced it (see 'paper search add').", valueName: "id")) var search: String?
        @Option(help: "The column layout of a CSV export.") var mapping: CSVMappingArgument?
        @Option(help: ArgumentHelp("The file name to give it in corpus/literature/.", valueName: "name")) var name: String?

        func run() throws {
            let study = try studyOptions.load()
            let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let outcome = try ReviewRecorder(study: study).importExport(
                from: url, displayPath: file, name: name, database: database, search: search, mapping: mapping?.value)
            PaperCommand.printWarnings(outcome.warnings)
            Terminal.line("Imported \(outcome.records) record\(outcome.records == 1 ? "" : "s") into \(outcome.file)"
                + (outcome.warnings.isEmpty ? "." : "; \(outcome.warnings.count) problem\(outcome.warnings.count == 1 ? "" : "s") reported above."))
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The search log, corpus/literature/searches.yaml: queries, dates and hit counts.",
            discussion: "Example:\n  triangulate paper search add --database scopus --query 'TITLE-ABS-KEY(\"pre-trained model\" AND reuse)' --date 2025-09-05 --file corpus/literature/scopus.bib",
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
        @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file")) var output: String?
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
                try Terminal.write(BibTeXWriter.write(selected), to: output)
            case .json:
                let rows = selected.map { record in
                    let status = state.status(of: record.recordID)
                    return Row(id: record.recordID, key: record.key, file: record.location.file, type: record.type,
                               database: state.database(of: record), search: state.search(of: record), year: record.year,
                               authors: record.authors, title: record.title, doi: record.doi, status: status.name, detail: status.summary)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try Terminal.write(String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n", to: output)
            case .text:
                if state.records.isEmpty { Terminal.note("No records yet: import an export with 'triangulate paper import FILE'.") }
                let text = selected.map { record in
                    "\(record.recordID)\t\(record.year.map(String.init) ?? "n.d.")\t\(state.status(of: record.recordID).summary)\t\(record.title ?? "(no title)")\n"
                }.joined()
                try Terminal.write(text, to: output)
            }
        }
    }

    // MARK: Duplicates

    struct Dedupe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find duplicate records across exports, and confirm or split the groups.",
            discussion: """
                Records match on DOI, or on a normalised title (similarity ≥ the threshold) with the same first author \
                and a year at most one apart; each member says why. --review walks the groups at a prompt (c: confirm, \
                s: split, k: skip, q: quit), appending each answer to corpus/literature/dedupe.csv at once; --decide \
                records one answer. The other commands use dedupe_threshold from triangulate.yaml (default 0.9).

                Example:
                  triangulate paper dedupe --threshold 0.85
                  triangulate paper dedupe --review --reviewer ana
                  triangulate paper dedupe --decide scopus.bib#smith2020 ieee.bib#smith2020a not-duplicate --reviewer ana
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Title similarity (0–1) at which records match (default: dedupe_threshold, 0.9).") var threshold: Double?
        @Flag(help: "Confirm or split each group at a prompt.") var review = false
        @Option(parsing: .upToNextOption, help: ArgumentHelp("Record one answer: GROUP RECORD duplicate-of|not-duplicate.", valueName: "group record decision"))
        var decide: [String] = []
        @Option(help: "Who decides (names nothing else: lowercase letters, digits, - and _).") var reviewer: String?
        @Option(help: "Output format.") var format: DataFormat = .text

        struct Group: Encodable {
            struct Member: Encodable { var record: String; var reason: String; var title: String }
            var kept: String
            var title: String
            var duplicates: [Member]
        }

        func validate() throws {
            if let threshold, !(threshold > 0 && threshold <= 1) { throw ValidationError("--threshold must be above 0 and at most 1") }
            if !decide.isEmpty && decide.count != 3 { throw ValidationError("--decide takes three values: GROUP RECORD duplicate-of|not-duplicate") }
            if (review || !decide.isEmpty) && reviewer == nil { throw ValidationError("--review and --decide need --reviewer NAME") }
        }

        func run() throws {
            let study = try studyOptions.load()
            if !decide.isEmpty {
                guard let kind = DedupeDecision.Kind(rawValue: decide[2]) else {
                    throw CommandFailure(message: "expected duplicate-of or not-duplicate as the decision, found '\(decide[2])'")
                }
                let decision = try ReviewRecorder(study: study).decideDuplicate(group: decide[0], record: decide[1], kind: kind, reviewer: reviewer!)
                Terminal.line("Recorded: \(decision.record) \(decision.kind.rawValue) \(decision.group) (\(decision.reviewer)).")
                return
            }
            let state = try PaperCommand.load(studyOptions)
            let result = threshold.map { Deduplicator(threshold: $0).run(state.records, decisions: state.dedupeDecisions) } ?? state.dedupe
            if review { return try reviewGroups(result, state: state, study: study) }
            let groups = result.groups.map { group in
                Group(kept: group.kept, title: state.byID[group.kept]?.title ?? "",
                      duplicates: group.duplicates.map { .init(record: $0.recordID, reason: $0.reason, title: state.byID[$0.recordID]?.title ?? "") })
            }
            switch format {
            case .json: try JSONOutput.print(groups)
            case .text:
                for (number, group) in groups.enumerated() {
                    Terminal.line("Group \(number + 1): keep \(group.kept) — \(group.title)")
                    for member in group.duplicates { Terminal.line("  duplicate \(member.record): \(member.reason)") }
                }
                Terminal.note("\(groups.count) duplicate group\(groups.count == 1 ? "" : "s"), \(result.duplicateCount) duplicate\(result.duplicateCount == 1 ? "" : "s") among \(state.records.count) records.")
            }
        }

        private func reviewGroups(_ result: DedupeResult, state: ReviewState, study: Study) throws {
            let decided = Set(state.dedupeDecisions.map(\.record))
            let recorder = ReviewRecorder(study: study)
            var answered = 0
            outer: for (number, group) in result.groups.enumerated() {
                let open = group.duplicates.filter { !decided.contains($0.recordID) }
                guard !open.isEmpty else { continue }
                Terminal.line("\nGroup \(number + 1) of \(result.groups.count): keep \(group.kept)")
                Terminal.line("  \(Self.describe(state.byID[group.kept]))")
                for member in open {
                    Terminal.line("  duplicate? \(member.recordID): \(member.reason)")
                    Terminal.line("  \(Self.describe(state.byID[member.recordID]))")
                    while true {
                        Terminal.output("  [c]onfirm / [s]plit / s[k]ip / [q]uit: ")
                        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { break outer }
                        var kind: DedupeDecision.Kind? = nil
                        switch answer {
                        case "c", "confirm": kind = .duplicateOf
                        case "s", "split": kind = .notDuplicate
                        case "k", "skip", "": break
                        case "q", "quit": break outer
                        default: continue
                        }
                        guard let kind else { break }
                        _ = try recorder.decideDuplicate(group: group.kept, record: member.recordID, kind: kind, reviewer: reviewer!, state: state)
                        answered += 1
                        break
                    }
                }
            }
            Terminal.note("\(answered) answer\(answered == 1 ? "" : "s") recorded in corpus/literature/dedupe.csv.")
        }

        static func describe(_ record: BibliographicRecord?) -> String {
            guard let record else { return "(record not found)" }
            let authors = record.authors.prefix(3).joined(separator: "; ") + (record.authors.count > 3 ? " et al." : "")
            return "\(record.title ?? "(no title)") — \(authors) (\(record.year.map(String.init) ?? "n.d.")) \(record.doi.map { "doi:\($0)" } ?? "")"
        }
    }

    // MARK: Screening

    struct Verdict: ParsableArguments {
        @Flag(help: "Include the record.") var include = false
        @Option(help: ArgumentHelp("Exclude the record for this exclusion criterion.", valueName: "criterion")) var exclude: String?
        @Flag(help: "Undecided: to discuss.") var maybe = false
        @Option(help: ArgumentHelp("The criterion an include or maybe cites (optional).", valueName: "criterion")) var criterion: String?
        @Option(help: "A note kept with the decision.") var note: String = ""

        var chosen: Int { (include ? 1 : 0) + (exclude != nil ? 1 : 0) + (maybe ? 1 : 0) }

        var verdict: (ScreeningVerdict, String?) {
            if let exclude { return (.exclude, exclude) }
            return (include ? .include : .maybe, criterion)
        }
    }

    struct Screen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a screening decision, or show a reviewer's next record.",
            discussion: """
                Decisions are appended to corpus/literature/screening/<reviewer>.csv; the last one for a record and stage \
                counts. Stages and criterion ids come from 'screening:' in triangulate.yaml. A record reaches a later \
                stage when it is included at the one before. --next is blind: it uses only the reviewer's own decisions, \
                and at the first stage orders records as 'paper next' does.

                Example:
                  triangulate paper screen --next --reviewer ana
                  triangulate paper screen scopus.bib#smith2020 --stage title-abstract --exclude E2 --reviewer ana
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: ArgumentHelp("The record (FILE#KEY).", valueName: "record")) var record: String?
        @Option(help: "The stage (default: the first).") var stage: String?
        @OptionGroup var verdict: Verdict
        @Option(help: "The reviewer.") var reviewer: String
        @Flag(help: "Show the reviewer's next record to screen instead.") var next = false
        @Option(help: "Seed of the order before the model can learn.") var seed: UInt64 = 0

        func validate() throws {
            if next {
                if record != nil || verdict.chosen > 0 { throw ValidationError("--next shows a record; give no record or decision with it") }
            } else {
                if record == nil { throw ValidationError("give a record to screen, or --next") }
                if verdict.chosen != 1 { throw ValidationError("give exactly one of --include, --exclude CRITERION, --maybe") }
            }
        }

        func run() throws {
            let study = try studyOptions.load()
            let criteria = try study.settings.screening ?? ScreeningCriteria(include: [], exclude: [])
            let stage = self.stage ?? criteria.stages[0]
            if next {
                let state = try PaperCommand.load(studyOptions)
                guard criteria.stages.contains(stage) else { throw StudyError.unknown(kind: "screening stage", name: stage, known: criteria.stages) }
                guard let id = state.nextRecord(for: reviewer, stage: stage, seed: seed), let record = state.byID[id] else {
                    Terminal.line("Nothing left for \(reviewer) to screen at \(stage).")
                    return
                }
                Terminal.line(id)
                Terminal.line("  \(Dedupe.describe(record))")
                if let abstract = record.fields["abstract"] { Terminal.line("\n\(abstract)") }
                return
            }
            let (choice, criterion) = verdict.verdict
            let decision = try ReviewRecorder(study: study).screen(
                record: record!, stage: stage, verdict: choice, criterion: criterion, note: verdict.note, reviewer: reviewer)
            Terminal.line("Recorded: \(decision.record) \(decision.verdict.rawValue)\(decision.criterion.map { " \($0)" } ?? "") at \(decision.stage) (\(decision.reviewer)).")
        }
    }

    struct Conflicts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List records whose reviewers disagree and that no one has resolved.",
            discussion: "Example:\n  triangulate paper conflicts --stage title-abstract")
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Only this stage (default: all).") var stage: String?
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let conflicts = try PaperCommand.load(studyOptions, quiet: true).conflicts(at: stage)
            switch format {
            case .json: try JSONOutput.print(conflicts)
            case .text:
                for conflict in conflicts {
                    let decisions = conflict.decisions.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
                    Terminal.line("\(conflict.stage)\t\(conflict.record)\t\(decisions)\t\(conflict.title)")
                }
                Terminal.note("\(conflicts.count) unresolved conflict\(conflicts.count == 1 ? "" : "s").")
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the final decision on a conflict, in corpus/literature/screening/resolutions.csv.",
            discussion: "Example:\n  triangulate paper resolve scopus.bib#smith2020 --stage title-abstract --exclude E1 --by carla")
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: ArgumentHelp("The record (FILE#KEY).", valueName: "record")) var record: String
        @Option(help: "The stage (default: the first).") var stage: String?
        @OptionGroup var verdict: Verdict
        @Option(help: "Who resolves it.") var by: String

        func validate() throws {
            if verdict.chosen != 1 { throw ValidationError("give exactly one of --include, --exclude CRITERION, --maybe") }
        }

        func run() throws {
            let study = try studyOptions.load()
            let stage = self.stage ?? study.settings.screening?.stages.first ?? "title-abstract"
            let (choice, criterion) = verdict.verdict
            let resolution = try ReviewRecorder(study: study).resolve(
                record: record, stage: stage, verdict: choice, criterion: criterion, note: verdict.note, resolver: by)
            Terminal.line("Resolved: \(resolution.record) \(resolution.verdict.rawValue)\(resolution.criterion.map { " \($0)" } ?? "") at \(resolution.stage) (\(resolution.resolver)).")
        }
    }

    struct Agreement: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Agreement between reviewers per stage: Cohen's kappa for two, Fleiss' kappa for three or more.",
            discussion: """
                Computed over the records two or more reviewers decided, with include, exclude and maybe as the \
                categories (each reviewer's last decision; resolutions do not count).

                Example:
                  triangulate paper agreement --stage title-abstract --format json
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Only this stage (default: all).") var stage: String?
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let results = try PaperCommand.load(studyOptions, quiet: true).agreement(at: stage)
            switch format {
            case .json: try JSONOutput.print(results)
            case .text:
                for result in results {
                    if let kappa = result.kappa, let measure = result.measure {
                        Terminal.line("\(result.stage): \(measure) = \(String(format: "%.3f", kappa)), agreement \(String(format: "%.1f", 100 * (result.percentAgreement ?? 0)))% on \(result.records) records (\(result.reviewers.joined(separator: ", ")))")
                    } else {
                        Terminal.line("\(result.stage): no coefficient: \(result.note ?? "")")
                    }
                }
            }
        }
    }

    // MARK: Snowballing and extraction

    struct Snowball: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link records found by snowballing to the paper they came from (corpus/literature/snowballing.csv).",
            discussion: """
                Import the records found first (e.g. 'paper import refs-smith.bib --database snowballing'), then link them.

                Example:
                  triangulate paper snowball add refs-smith.bib#doe2019 --from scopus.bib#smith2020 --direction backward --iteration 1
                """,
            subcommands: [Add.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record that RECORD was found from SOURCE.",
                discussion: "Example:\n  triangulate paper snowball add refs.bib#doe2019 --from scopus.bib#smith2020 --direction forward --iteration 2")
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
                  triangulate paper extract scopus.bib#smith2020 --reviewer ana method=survey participants=120
                  triangulate paper extract export --output extraction.csv
                """,
            subcommands: [Record.self, Export.self], defaultSubcommand: Record.self)

        struct Record: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set a reviewer's answers for a record (field=value; an empty value clears it).",
                discussion: "Example:\n  triangulate paper extract record scopus.bib#smith2020 --reviewer ana method=survey")
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
            @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file")) var output: String?

            func run() throws {
                try Terminal.write(try ReviewRecorder(study: try studyOptions.load()).extractionExport(), to: output)
            }
        }
    }

    // MARK: Reports and prioritisation

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
        @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file")) var output: String?

        enum PrismaFormat: String, ExpressibleByArgument, CaseIterable { case markdown, json, svg }

        func run() throws {
            let counts = try PaperCommand.load(studyOptions).prisma()
            switch format {
            case .markdown: try Terminal.write(counts.markdown(), to: output)
            case .json: try Terminal.write(counts.json(), to: output)
            case .svg: try Terminal.write(counts.svg(), to: output)
            }
        }
    }

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unscreened records, most likely relevant first, learned from the decisions so far.",
            discussion: """
                TF-IDF on title and abstract and a class-balanced logistic regression trained on the first-stage \
                outcomes (include = relevant, exclude = irrelevant). Until one include and one exclude exist, the order \
                is random, fixed by --seed. The same decisions and seed give the same order.

                Example:
                  triangulate paper next --limit 20 --seed 0
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "How many records to show.") var limit: Int = 10
        @Option(help: "Seed of the order before the model can learn.") var seed: UInt64 = 0
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let ranked = try PaperCommand.load(studyOptions, quiet: true).next(limit: max(0, limit), seed: seed)
            switch format {
            case .json: try JSONOutput.print(ranked)
            case .text:
                if ranked.isEmpty { Terminal.note("No unscreened records.") }
                for paper in ranked {
                    Terminal.line("\(paper.rank)\t\(paper.score.map { String(format: "%.3f", $0) } ?? "random")\t\(paper.record)\t\(paper.title)")
                }
            }
        }
    }

    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a labelled dataset in prioritised order: the recall curve and WSS@95.",
            discussion: """
                The labels file is an ASReview CSV (title, abstract, label_included; record_id when present). The \
                replay starts from one relevant and one irrelevant record drawn with --seed and retrains after every \
                --batch records (1 replays ASReview's schedule; 10 is about six times faster).

                Example:
                  triangulate paper simulate --labels Kitchenham_2010.csv --seed 0 --batch 10
                """)
        @Option(help: ArgumentHelp("The labelled dataset (ASReview CSV).", valueName: "file")) var labels: String
        @Option(help: "Seed of the prior records and of any random order.") var seed: UInt64 = 0
        @Option(help: "Records screened between retrainings.") var batch: Int = 10
        @Option(help: "Output format.") var format: DataFormat = .text
        @Option(help: ArgumentHelp("Also write the full recall curve as CSV (screened,found).", valueName: "file")) var curve: String?

        func run() throws {
            let url = URL(fileURLWithPath: labels, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            Terminal.progress?("Simulating the screening of \(labels)…")
            let report = try ReviewSimulation.run(labels: url, displayPath: labels, seed: seed, batch: batch)
            Terminal.endProgress()
            if let curve {
                let text = "screened,found\n" + report.curve.enumerated().map { "\($0.offset),\($0.element)\n" }.joined()
                try Terminal.write(text, to: curve)
            }
            switch format {
            case .json: try JSONOutput.print(report)
            case .text:
                Terminal.line("\(report.records) records screened after 2 priors, \(report.relevant) relevant (seed \(report.seed), batch \(report.batch))" + (report.unlabelled > 0 ? "; \(report.unlabelled) unlabelled rows left out" : ""))
                Terminal.line("Recall\tScreened\tShare")
                for milestone in report.milestones {
                    Terminal.line("\(Int((milestone.recall * 100).rounded()))%\t\(milestone.screened)\t\(String(format: "%.1f", 100 * milestone.fraction))%")
                }
                Terminal.line("Recall after 10% / 25% / 50% screened: \(String(format: "%.3f", report.recallAt10)) / \(String(format: "%.3f", report.recallAt25)) / \(String(format: "%.3f", report.recallAt50))")
                Terminal.line("WSS@95 = \(String(format: "%.3f", report.wss95)), WSS@100 = \(String(format: "%.3f", report.wss100))")
            }
        }
    }
}

/// `--mapping` values.
struct CSVMappingArgument: ExpressibleByArgument {
    var value: ReviewCSVMapping
    init?(argument: String) {
        guard let value = ReviewCSVMapping(rawValue: argument) else { return nil }
        self.value = value
    }
    static var allValueStrings: [String] { ReviewCSVMapping.allCases.map(\.rawValue) }
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
