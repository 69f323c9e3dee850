import ArgumentParser
import Foundation
import Index
import Project
import Qualitative
import Study

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Apply codes to turns of a transcript, or to a quoted span of one turn.",
        discussion: """
            Appends one coding per code to corpus/codings/<coder>.jsonl (atomically, under the study's lock). \
            TRANSCRIPT#TURN names the transcript (its file name without extension) and the turn number as \
            'triangulate transcript show' prints it; TRANSCRIPT#FIRST-LAST codes a range of turns. With --quote, the \
            coding covers exactly those words, which must occur once in the turn; the quote also lets the coding find \
            its place again if the transcript is edited.

            --from FILE.csv records many codings at once (columns transcript, turn, code, and optionally quote and \
            memo; several codes in one cell are separated by ';'): all rows are checked first, then all are written, \
            or none. --interactive walks the participant turns of one transcript that the coder has not coded yet, \
            shows each with the turn before it, and asks for codes (abbreviations such as sel/pop complete to \
            selection/popularity; '?' lists codes; Enter skips; 'q' quits). Each answer is saved at once.

            Examples:
              triangulate tag P03#12 selection/popularity --coder ana --study examples/tutorial
              triangulate tag P03#12 trust/licensing --coder ana --quote "legal asks about it for every model" --study examples/tutorial
              triangulate tag P03#10-12 adaptation --coder ana --study examples/tutorial
              printf 'transcript,turn,code\\nP02,6,trust/provenance\\n' > round2.csv
              triangulate tag --from round2.csv --coder ben --study examples/tutorial
              triangulate tag --interactive P03 --coder ana --study examples/tutorial
            """)

    @OptionGroup var studyOptions: StudyOptions

    @Argument(help: ArgumentHelp("The turn(s) to code, as TRANSCRIPT#TURN or TRANSCRIPT#FIRST-LAST (with --interactive: the transcript).", valueName: "transcript#turn"))
    var address: String?

    @Argument(help: ArgumentHelp("One or more code ids from the codebooks.", valueName: "code"))
    var codes: [String] = []

    @Option(help: "Who is coding (names the codings file). Default: $TRIANGULATE_CODER, or the only coder in triangulate.yaml.")
    var coder: String?

    @Option(help: "Code only these words of the turn (copied exactly).")
    var quote: String?

    @Option(help: "A memo kept with the coding.")
    var memo: String?

    @Option(help: ArgumentHelp("Record the codings listed in a CSV file.", valueName: "file.csv"))
    var from: String?

    @Flag(help: "Walk the uncoded turns of a transcript and ask for codes.")
    var interactive = false

    func validate() throws {
        if let from {
            if address != nil || !codes.isEmpty || interactive { throw ValidationError("--from takes its codings from \(from); give no turn or codes") }
            return
        }
        guard let address else { throw ValidationError("name the turn to code, as TRANSCRIPT#TURN such as P03#12") }
        if interactive {
            if !codes.isEmpty || quote != nil { throw ValidationError("--interactive asks for the codes; give only the transcript") }
            return
        }
        guard TurnAddress(address) != nil else {
            throw ValidationError("expected TRANSCRIPT#TURN such as P03#12 or P03#12-15, found '\(address)'")
        }
        guard !codes.isEmpty else { throw ValidationError("name at least one code to apply") }
    }

    func run() throws {
        let study = try studyOptions.load()
        let coder = try self.coder ?? Self.defaultCoder(study)
        let recorder = Recorder(study: study)
        if let from {
            let requests = try BatchTagFile.read(URL(fileURLWithPath: from), displayPath: from)
            Self.report(try recorder.tag(requests, coder: coder), coder: coder)
        } else if interactive {
            try InteractiveTagger(study: study, transcript: address!, coder: coder).run()
        } else {
            Self.report(try recorder.tag(TurnAddress(address!)!, codes: codes, coder: coder, quote: quote, memo: memo), coder: coder)
        }
    }

    static func report(_ outcome: TagOutcome, coder: String) {
        for coding in outcome.written {
            let span = coding.start.map { " [\($0)–\(coding.end!)]" } ?? ""
            Terminal.line("Tagged \(coding.transcript)#\(coding.turn)\(span) with \(coding.code) (\(coder)).")
        }
        for present in outcome.alreadyPresent {
            Terminal.note("\(present): already coded by \(coder) at that place; nothing written for it.")
        }
    }

    static func defaultCoder(_ study: Study) throws -> String {
        if let coder = ProcessInfo.processInfo.environment["TRIANGULATE_CODER"], !coder.isEmpty { return coder }
        if study.settings.coders.count == 1 { return study.settings.coders[0] }
        throw CommandFailure(message: "say who is coding with --coder NAME (or set TRIANGULATE_CODER); triangulate.yaml lists \(study.settings.coders.isEmpty ? "no coders" : "coders \(study.settings.coders.joined(separator: ", "))")")
    }
}

struct UntagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "untag",
        abstract: "Remove a coder's codings from turns.",
        discussion: """
            Removes the coder's codings of the given codes at TRANSCRIPT#TURN (or a range): whole-turn codings, or \
            with --quote the coding of exactly that span. The codings file is rewritten atomically.

            Example:
              triangulate untag P02#6 trust/provenance --coder ana --study examples/tutorial
            """)

    @OptionGroup var studyOptions: StudyOptions
    @Argument(help: ArgumentHelp("The turn(s), as TRANSCRIPT#TURN or TRANSCRIPT#FIRST-LAST.", valueName: "transcript#turn")) var address: String
    @Argument(help: ArgumentHelp("The codes to remove.", valueName: "code")) var codes: [String]
    @Option(help: "Whose codings (default: $TRIANGULATE_CODER, or the only coder in triangulate.yaml).") var coder: String?
    @Option(help: "Remove the coding of exactly these words.") var quote: String?

    func validate() throws {
        guard TurnAddress(address) != nil else { throw ValidationError("expected TRANSCRIPT#TURN such as P03#12, found '\(address)'") }
        guard !codes.isEmpty else { throw ValidationError("name at least one code to remove") }
    }

    func run() throws {
        let study = try studyOptions.load()
        let coder = try self.coder ?? TagCommand.defaultCoder(study)
        let outcome = try Recorder(study: study).untag(TurnAddress(address)!, codes: codes, coder: coder, quote: quote)
        for coding in outcome.removed {
            Terminal.line("Removed \(coding.code) from \(coding.transcript)#\(coding.turn) (\(coder)).")
        }
    }
}
