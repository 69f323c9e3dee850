import ArgumentParser
import Core
import Transcripts
import Foundation
import Reports
import Index
import Project
import Study

struct TranscriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcript",
        abstract: "Import, list and show interview transcripts; check them for real names.",
        discussion: """
            Transcripts live in corpus/transcripts as .txt or .md files with one 'Name: text' line per speaker turn; \
            the file name (without extension) is the participant's id.

            Examples:
              triangulate transcript list
              triangulate transcript show P01
            """,
        subcommands: [Import.self, List.self, Show.self, CheckNames.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring a transcript (.txt, .md, .vtt, .srt, .docx) into the study, optionally pseudonymised.",
            discussion: """
                Copies the file to corpus/transcripts/ID.ext, where ID is --participant (default: the file's name). \
                With --pseudonymize, every real name listed in the key file (CSV: real,pseudonym) is replaced in \
                speakers and text, and the transcript is written as plain text; the import is refused if a real name \
                would remain. The key lives outside the study: --key FILE, $TRIANGULATE_PSEUDONYM_KEY, or \
                ~/.config/triangulate/pseudonyms.csv.

                Examples:
                  triangulate transcript import interviews/interview-13.docx --participant P13
                  triangulate transcript import interviews/P14.vtt --pseudonymize --key ~/private/names.csv
                  triangulate transcript import interviews/Interview-15.docx --participant P15 --interviewer "Speaker 1"
                """)

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The transcript file.") var file: String
        @Option(help: "The participant's id (the transcript's name in the study).") var participant: String?
        @Flag(help: "Replace the real names listed in the key file.") var pseudonymize = false
        @Option(help: ArgumentHelp("The pseudonym key (CSV real,pseudonym), kept outside the study.", valueName: "file")) var key: String?
        @Flag(help: "Replace the participant's existing transcript.") var replace = false
        @Option(help: ArgumentHelp("The text encoding when the file is not UTF-8 or UTF-16 with a byte-order mark: \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")). The transcript is stored as UTF-8.", valueName: "encoding"))
        var encoding: String = "auto"
        @Option(help: ArgumentHelp("The speaker label of the interviewer (e.g. \"Speaker 1\" in Rev files); it joins 'interviewer:' in triangulate.yaml.", valueName: "label"))
        var interviewer: String?
        @Option(help: ArgumentHelp("The speaker of captions that name none (.srt, .vtt without voices, .sbv; default: the participant). The transcript is then stored as timed 'Name: text' turns.", valueName: "name"))
        var speaker: String?

        func run() throws {
            let study = try studyOptions.load()
            guard let textEncoding = TextEncoding(name: encoding) else {
                throw ValidationError("expected --encoding to be one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")), found '\(encoding)'")
            }
            var keyURL: URL? = nil
            if pseudonymize {
                keyURL = key.map { URL(fileURLWithPath: $0) } ?? TranscriptImport.defaultKey()
                guard keyURL != nil else {
                    throw CommandFailure(message: "--pseudonymize needs a key file: pass --key FILE, set TRIANGULATE_PSEUDONYM_KEY, or create ~/.config/triangulate/pseudonyms.csv")
                }
            } else if key != nil {
                throw CommandFailure(message: "--key is used with --pseudonymize")
            }
            let outcome = try TranscriptImport(study: study).importTranscript(
                URL(fileURLWithPath: file), participant: participant, key: keyURL, replacing: replace, encoding: textEncoding, interviewer: interviewer, speaker: speaker)
            for warning in outcome.warnings { Terminal.warning(warning) }
            Terminal.line("Imported \(file) as \(outcome.path)\(pseudonymize ? " (pseudonymised)" : "").")
            // Which labels were found and which one is the interviewer: said, never guessed silently.
            let labels = outcome.speakers.speakers.map { "\($0.name) (\($0.turns) turns\($0.isInterviewer ? ", interviewer" : ""))" }
            Terminal.line("Speakers: \(labels.isEmpty ? "none" : labels.joined(separator: ", ")).")
            if outcome.speakers.interviewers.isEmpty, let likely = outcome.speakers.likelyInterviewer {
                Terminal.note("No speaker matches the study's interviewer (\(study.settings.interviewer.joined(separator: ", "))); '\(likely)' asks the most questions: add it to 'interviewer:' in triangulate.yaml if it is the interviewer.")
            }
        }
    }

    struct CheckNames: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-names",
            abstract: "Find real names from the pseudonym key anywhere in the study.",
            discussion: "Scans file names, transcripts, participants.csv, codings (quotes and memos), claims, literature exports and memos, matching after Unicode normalisation and case folding, inside e-mail addresses and identifiers. Exits with 1 and lists each place as FILE:LINE:COLUMN with the key line it matched (the names themselves are not printed).\n\nExample:\n  triangulate transcript check-names --key ~/private/names.csv")

        @OptionGroup var studyOptions: StudyOptions
        @Option(help: ArgumentHelp("The pseudonym key (default: $TRIANGULATE_PSEUDONYM_KEY or ~/.config/triangulate/pseudonyms.csv).", valueName: "file")) var key: String?

        func run() throws {
            guard let keyURL = key.map({ URL(fileURLWithPath: $0) }) ?? TranscriptImport.defaultKey() else {
                throw CommandFailure(message: "no pseudonym key: pass --key FILE or set TRIANGULATE_PSEUDONYM_KEY")
            }
            let places = try TranscriptImport(study: try studyOptions.load()).nameHits(key: keyURL)
            if places.isEmpty {
                Terminal.line("No real name from the key appears in the study.")
            } else {
                for place in places { Terminal.line(place) }
                throw CommandFailure(message: "real names from the key appear in \(places.count) place\(places.count == 1 ? "" : "s") (listed above)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the transcripts with their turns and codings.",
            discussion: "Example:\n  triangulate transcript list --format json")

        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let (_, index) = try studyOptions.open()
            let transcripts = try index.transcripts()
            switch format {
            case .json: try JSONOutput.print(transcripts)
            case .text:
                if transcripts.isEmpty { Terminal.note("No transcripts yet: put .txt or .md files in corpus/transcripts.") }
                try NameGuard.check(transcripts.flatMap(\.speakers))
                for t in transcripts {
                    let interviewer = t.interviewers.isEmpty ? "no interviewer found" : "interviewer \(t.interviewers.joined(separator: ", "))"
                    Terminal.line("\(t.id)\t\(t.turns) turns\t\(t.codings) codings\t\(t.file)\tspeakers \(t.speakers.joined(separator: ", ")); \(interviewer)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a transcript's turns, numbered as 'tag' expects, with their codes.",
            discussion: "Example:\n  triangulate transcript show P01")

        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The transcript's id (its file name without extension).") var id: String
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let (_, index) = try studyOptions.open()
            let turns = try index.turns(of: id)
            try NameGuard.check(turns.flatMap { [$0.speaker, $0.text] + $0.memos })
            switch format {
            case .json: try JSONOutput.print(turns)
            case .text:
                for turn in turns {
                    let codes = turn.codes.isEmpty ? "" : "   [\(turn.codes.joined(separator: ", "))]"
                    Terminal.line("#\(turn.number) \(turn.speaker):\(codes)")
                    Terminal.line(turn.text.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n"))
                    for memo in turn.memos { Terminal.line("    memo \(memo)") }
                }
            }
        }
    }
}

struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Show, import and export the codebooks.",
        subcommands: [Show.self, Import.self, Export.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a REFI-QDA codebook (.qdc) or the codes of a project (.qdpx) from ATLAS.ti, NVivo, MAXQDA, QualCoder.",
            discussion: """
                Writes codebooks/NAME.yaml (NAME: --as, or the file's name). Code ids are made from the names; each \
                code keeps its name, description and REFI-QDA guid.

                Example:
                  triangulate codebook import exports/interviews.qdpx --as nvivo
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Argument(help: "The .qdc or .qdpx file.") var file: String
        @Option(name: .customLong("as"), help: "The codebook's file name in codebooks/.") var name: String?
        @Flag(help: "Replace an existing codebook of that name.") var replace = false

        func run() throws {
            let result = try CodebookExchange(study: try studyOptions.load()).importCodebook(URL(fileURLWithPath: file), as: name, replacing: replace)
            Terminal.line("Imported \(result.codes) codes into \(result.path).")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export every code as a REFI-QDA codebook (.qdc).",
            discussion: "The same codebooks always export the same bytes.\n\nExample:\n  triangulate codebook export --output reuse.qdc")
        @OptionGroup var studyOptions: StudyOptions
        @OptionGroup var output: OutputFile

        func run() throws {
            try output.write(try CodebookExchange(study: try studyOptions.load()).exportCodebook())
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every code with its definition and how many codings use it (sub-codes included).",
            discussion: "Example:\n  triangulate codebook show")

        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let (_, index) = try studyOptions.open()
            let codes = try index.codes()
            switch format {
            case .json: try JSONOutput.print(codes)
            case .text:
                if codes.isEmpty { Terminal.note("No codes yet: add a codebook to codebooks/ (see the README).") }
                for code in codes {
                    let depth = code.id.split(separator: "/").count - 1
                    let indent = String(repeating: "  ", count: depth)
                    Terminal.line("\(indent)\(code.id)  \(code.name)  (\(code.codings) codings)")
                    if let definition = code.definition { Terminal.line("\(indent)    \(definition)") }
                }
            }
        }
    }
}

struct ExcerptsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "excerpts",
        abstract: "Retrieve coded excerpts with their addresses.",
        discussion: """
            Prints every excerpt coded with CODE (or one of its sub-codes), optionally for one participant or coder. \
            Addresses read TRANSCRIPT#TURN:START-END (offsets in Unicode characters of the turn). --search finds \
            turns by their words (full-text: words, "exact phrases", prefix*, AND, OR, NOT); with --code it keeps the \
            excerpts in matching turns.

            Examples:
              triangulate excerpts --code selection --study examples/tutorial
              triangulate excerpts --code selection/popularity --participant P02 --format json --study examples/tutorial
              triangulate excerpts --search "licen* AND legal"
              triangulate excerpts --code trust --where role="ML engineer" --where "years_experience>=5" --study examples/tutorial
            """)

    @OptionGroup var studyOptions: StudyOptions
    @Option(help: "The code (its sub-codes are included).") var code: String?
    @Option(help: "Only this participant's transcript.") var participant: String?
    @Option(help: "Only this coder's codings.") var coder: String?
    @Option(help: "A full-text query over the turns' words.") var search: String?
    @OptionGroup var selection: ParticipantSelection
    @Option(help: "Output format: text, json or csv.") var format: ExcerptFormat = .text

    enum ExcerptFormat: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    struct Hit: Encodable {
        var transcript: String
        var turn: Int
        var snippet: String
    }

    func run() throws {
        let (_, index) = try studyOptions.open()
        try index.requireNoErrors(in: StudyIndex.codingInputs)
        if let coder, !(try index.coders().contains(coder)) {
            throw StudyError.unknown(kind: "coder with codings", name: coder, known: try index.coders())
        }
        let selected = try selection.participants(in: index)
        var hits: [(transcript: String, turn: Int, snippet: String)]? = nil
        if let search {
            hits = try index.search(search, limit: 100_000).filter {
                (participant == nil || $0.transcript == participant) && (selected?.contains($0.transcript) ?? true)
            }
        }
        if let hits { try NameGuard.check(hits.map(\.snippet)) }
        if let hits, code == nil && coder == nil {
            // A search alone lists the matching turns, coded or not.
            switch format {
            case .json: try JSONOutput.print(hits.map { Hit(transcript: $0.transcript, turn: $0.turn, snippet: $0.snippet) })
            case .csv:
                var table = ReportTable(columns: [Column(key: "transcript"), Column(key: "turn"), Column(key: "snippet")])
                table.rows = hits.map { [Cell($0.transcript), .integer($0.turn), Cell($0.snippet)] }
                Terminal.output(CSVRenderer().render(table))
            case .text:
                if hits.isEmpty { Terminal.note("No turn matches.") }
                for hit in hits { Terminal.line("\(hit.transcript)#\(hit.turn)  \(hit.snippet.replacingOccurrences(of: "\n", with: " "))") }
            }
            return
        }
        var excerpts = try index.excerpts(code: code, participant: participant, coder: coder)
        if let selected { excerpts = excerpts.filter { selected.contains($0.transcript) } }
        if let hits {
            let turns = Set(hits.map { "\($0.transcript)#\($0.turn)" })
            excerpts = excerpts.filter { turns.contains("\($0.transcript)#\($0.turn)") }
        }
        try NameGuard.check(excerpts.flatMap { [$0.speaker, $0.text] + $0.notes })
        switch format {
        case .json: try JSONOutput.print(excerpts)
        case .csv:
            var table = ReportTable(columns: ["transcript", "turn", "start", "end", "code", "coder", "speaker", "text", "memo", "notes"].map { Column(key: $0) })
            table.rows = excerpts.map { e in
                [Cell(e.transcript), .integer(e.turn), e.start.map { .integer($0) } ?? .empty, e.end.map { .integer($0) } ?? .empty,
                 Cell(e.code), Cell(e.coder), Cell(e.speaker), Cell(e.text), Cell(e.memo ?? ""), Cell(e.notes.joined(separator: "\n"))]
            }
            Terminal.output(CSVRenderer().render(table))
        case .text:
            if excerpts.isEmpty { Terminal.note("No excerpts match.") }
            for excerpt in excerpts {
                Terminal.line("\(excerpt.address)  \(excerpt.code)  (\(excerpt.coder))")
                Terminal.line("    \"\(excerpt.text.replacingOccurrences(of: "\n", with: " "))\" — \(excerpt.speaker)")
                for note in excerpt.notes { Terminal.line("    memo \(note)") }
            }
        }
    }
}
