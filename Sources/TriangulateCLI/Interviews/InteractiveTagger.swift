import Foundation
import Index
import Project
import Qualitative
import Study

/// Walks the participant turns of one transcript that a coder has not coded yet and asks for
/// codes at a line prompt. Every answer is recorded at once, so quitting (or Ctrl-C) keeps all
/// the decisions made so far.
struct InteractiveTagger {
    let study: Study
    let transcript: String
    let coder: String

    func run() throws {
        let (_, index) = try StudyOptions.openIndex(study)
        let turns = try index.turns(of: transcript)
        let coded = Set(try index.excerpts(code: nil, participant: transcript, coder: coder).map(\.turn))
        let codes = try index.codes().map(\.id)
        guard !codes.isEmpty else { throw CommandFailure(message: "the codebooks have no codes yet; add some with 'triangulate code add'") }
        let queue = turns.filter { !coded.contains($0.number) && !$0.interviewer }
        if queue.isEmpty {
            Terminal.line("\(coder) has coded every participant turn of \(transcript).")
            return
        }
        Terminal.line("\(queue.count) uncoded turn\(queue.count == 1 ? "" : "s") of \(transcript) for \(coder). Type codes separated by spaces; '?' lists codes, '?sel' those matching 'sel'; Enter skips; 'q' quits.")
        let recorder = Recorder(study: study)
        var recorded = 0
        for turn in queue {
            if let previous = turns.first(where: { $0.number == turn.number - 1 }) {
                Terminal.line("\n  #\(previous.number) \(previous.speaker): \(Self.shorten(previous.text))")
            }
            Terminal.line("▶ #\(turn.number) \(turn.speaker): \(turn.text)")
            while true {
                Terminal.output("codes> ")
                guard let answer = readLine()?.trimmingCharacters(in: .whitespaces) else {
                    Terminal.line("")
                    Terminal.line("Recorded \(recorded) turn\(recorded == 1 ? "" : "s").")
                    return
                }
                if answer == "q" {
                    Terminal.line("Recorded \(recorded) turn\(recorded == 1 ? "" : "s").")
                    return
                }
                if answer.isEmpty { break }
                if answer.hasPrefix("?") {
                    Terminal.line(CodeMatching.candidates(String(answer.dropFirst()), in: codes).map { "  \($0)" }.joined(separator: "\n"))
                    continue
                }
                var chosen: [String] = []
                var problem: String?
                for token in answer.split(separator: " ").map(String.init) {
                    switch CodeMatching.resolve(token, in: codes) {
                    case .code(let code): chosen.append(code)
                    case .ambiguous(let options): problem = "'\(token)' could be \(options.joined(separator: ", ")); type more of it"
                    case .unknown: problem = "no code matches '\(token)'; '?' lists the codes"
                    }
                }
                if let problem {
                    Terminal.line(problem)
                    continue
                }
                let outcome = try recorder.tag([TagRequest(transcript: transcript, turn: turn.number, codes: chosen)], coder: coder)
                Terminal.line("  saved: \(outcome.written.map(\.code).joined(separator: ", "))")
                recorded += 1
                break
            }
        }
        Terminal.line("Done: recorded \(recorded) turn\(recorded == 1 ? "" : "s") of \(transcript).")
    }

    static func shorten(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 160 ? String(flat.prefix(159)) + "…" : flat
    }
}
