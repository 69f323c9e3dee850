import ArgumentParser
import Foundation
import Study

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Apply codes to a turn of a transcript, or to a quoted span of it.",
        discussion: """
            Appends one coding per code to corpus/codings/<coder>.jsonl (atomically, under the study's lock). \
            TRANSCRIPT#TURN names the transcript (its file name without extension) and the turn number as \
            'triangulate transcript show' prints it. With --quote, the coding covers exactly those words, which must \
            occur once in the turn; the quote also lets the coding find its place again if the transcript is edited.

            Examples:
              triangulate tag P03#12 selection/popularity --coder ana
              triangulate tag P03#12 selection/popularity trust/provenance --coder ana --quote "we look at downloads first"
            """)

    @OptionGroup var studyOptions: StudyOptions

    @Argument(help: ArgumentHelp("The turn to code, as TRANSCRIPT#TURN.", valueName: "transcript#turn"))
    var address: String

    @Argument(help: ArgumentHelp("One or more code ids from the codebooks.", valueName: "code"))
    var codes: [String]

    @Option(help: "Who is coding (names the codings file). Default: the only coder in triangulate.yaml.")
    var coder: String?

    @Option(help: "Code only these words of the turn (copied exactly).")
    var quote: String?

    @Option(help: "A memo kept with the coding.")
    var memo: String?

    func validate() throws {
        guard TurnAddress(address) != nil else {
            throw ValidationError("expected TRANSCRIPT#TURN such as P03#12, found '\(address)'")
        }
        guard !codes.isEmpty else { throw ValidationError("name at least one code to apply") }
    }

    func run() throws {
        let study = try studyOptions.load()
        let coder = try self.coder ?? Self.defaultCoder(study)
        let outcome = try Recorder(study: study).tag(TurnAddress(address)!, codes: codes, coder: coder, quote: quote, memo: memo)
        for coding in outcome.written {
            let span = coding.start.map { " [\($0)–\(coding.end!)]" } ?? ""
            Terminal.line("Tagged \(address)\(span) with \(coding.code) (\(coder)).")
        }
        for code in outcome.alreadyPresent {
            Terminal.note("\(address) already carries \(code) from \(coder) at that place; nothing written for it.")
        }
    }

    static func defaultCoder(_ study: Study) throws -> String {
        if let coder = ProcessInfo.processInfo.environment["TRIANGULATE_CODER"], !coder.isEmpty { return coder }
        if study.settings.coders.count == 1 { return study.settings.coders[0] }
        throw CommandFailure(message: "say who is coding with --coder NAME (or set TRIANGULATE_CODER); triangulate.yaml lists \(study.settings.coders.isEmpty ? "no coders" : "coders \(study.settings.coders.joined(separator: ", "))")")
    }
}
