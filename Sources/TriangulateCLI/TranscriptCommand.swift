import ArgumentParser
import Foundation
import Study

struct TranscriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcript",
        abstract: "List and show interview transcripts.",
        discussion: """
            Transcripts live in corpus/transcripts as .txt or .md files with one 'Name: text' line per speaker turn; \
            the file name (without extension) is the participant's id.

            Examples:
              triangulate transcript list
              triangulate transcript show P01
            """,
        subcommands: [List.self, Show.self])

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
                for t in transcripts { Terminal.line("\(t.id)\t\(t.turns) turns\t\(t.codings) codings\t\(t.file)") }
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
            switch format {
            case .json: try JSONOutput.print(turns)
            case .text:
                for turn in turns {
                    let codes = turn.codes.isEmpty ? "" : "   [\(turn.codes.joined(separator: ", "))]"
                    Terminal.line("#\(turn.number) \(turn.speaker):\(codes)")
                    Terminal.line(turn.text.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n"))
                }
            }
        }
    }
}

struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Show the codebooks.",
        subcommands: [Show.self])

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
              triangulate excerpts --code selection
              triangulate excerpts --code selection/popularity --participant P02 --format json
              triangulate excerpts --search "licen* AND legal"
            """)

    @OptionGroup var studyOptions: StudyOptions
    @Option(help: "The code (its sub-codes are included).") var code: String?
    @Option(help: "Only this participant's transcript.") var participant: String?
    @Option(help: "Only this coder's codings.") var coder: String?
    @Option(help: "A full-text query over the turns' words.") var search: String?
    @Option(help: "Output format.") var format: DataFormat = .text

    struct Hit: Encodable {
        var transcript: String
        var turn: Int
        var snippet: String
    }

    func run() throws {
        let (_, index) = try studyOptions.open()
        var excerpts = try index.excerpts(code: code, participant: participant, coder: coder)
        if let search {
            let hits = try index.search(search, limit: 10_000).filter { participant == nil || $0.transcript == participant }
            if code == nil && coder == nil {
                switch format {
                case .json: try JSONOutput.print(hits.map { Hit(transcript: $0.transcript, turn: $0.turn, snippet: $0.snippet) })
                case .text:
                    if hits.isEmpty { Terminal.note("No turn matches.") }
                    for hit in hits { Terminal.line("\(hit.transcript)#\(hit.turn)  \(hit.snippet.replacingOccurrences(of: "\n", with: " "))") }
                }
                return
            }
            let turns = Set(hits.map { "\($0.transcript)#\($0.turn)" })
            excerpts = excerpts.filter { turns.contains("\($0.transcript)#\($0.turn)") }
        }
        switch format {
        case .json: try JSONOutput.print(excerpts)
        case .text:
            if excerpts.isEmpty { Terminal.note("No excerpts match.") }
            for excerpt in excerpts {
                Terminal.line("\(excerpt.address)  \(excerpt.code)  (\(excerpt.coder))")
                Terminal.line("    \"\(excerpt.text.replacingOccurrences(of: "\n", with: " "))\" — \(excerpt.speaker)")
            }
        }
    }
}

struct PaperCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paper",
        abstract: "List the literature records of the study.",
        subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the records of corpus/literature (BibTeX, RIS, Web of Science exports).",
            discussion: "Example:\n  triangulate paper list --format json")

        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "Output format.") var format: DataFormat = .text

        func run() throws {
            let (_, index) = try studyOptions.open()
            let papers = try index.papers()
            switch format {
            case .json: try JSONOutput.print(papers)
            case .text:
                if papers.isEmpty { Terminal.note("No papers yet: put .bib or .ris exports in corpus/literature.") }
                for paper in papers {
                    Terminal.line("\(paper.key)\t\(paper.year.map(String.init) ?? "n.d.")\t\(paper.title ?? "(no title)")")
                }
            }
        }
    }
}
