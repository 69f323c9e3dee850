import Foundation
import Literature
import Project
import Study
#if canImport(Glibc)
import Glibc
#endif

/// `paper screen --next`: shows a reviewer's next record and reads answers from standard input
/// until they quit or nothing is left. Every answer is recorded at once (through
/// `ReviewRecorder`), so quitting or Ctrl-C keeps all the decisions made so far.
struct ScreeningLoop {
    let study: Study
    let reviewer: String
    let stage: String
    let seed: UInt64
    let once: Bool

    static let help = "i include · e CRITERION exclude · m maybe · s skip · u undo · q quit"

    func run() throws {
        let recorder = ReviewRecorder(study: study)
        let highlight = isatty(STDOUT_FILENO) != 0
        var skipped: Set<String> = []
        var given: [ScreeningDecision] = []
        var shownHelp = false
        var pinned: String?
        while true {
            let state = try ReviewState.load(study)
            guard let id = pinned ?? state.nextRecords(for: reviewer, stage: stage, seed: seed, skipping: skipped).first else {
                Terminal.line(skipped.isEmpty ? "Nothing left for \(reviewer) to screen at \(stage)."
                              : "Nothing left for \(reviewer) to screen at \(stage) but the \(skipped.count) skipped record\(skipped.count == 1 ? "" : "s").")
                Terminal.line(state.progress(of: reviewer, at: stage).summary + ".")
                return
            }
            pinned = nil
            let keywords = highlight ? state.includeKeywords(at: stage) : []
            Terminal.output("\n" + PaperCommand.Show.text(try state.details(of: id), keywords: keywords))
            if once { return }
            let exclusions = state.criteria.exclusionCriteria(at: stage)
                + (stage == state.criteria.stages.last && state.criteria.stages.count > 1 ? [ScreeningCriterion(id: ScreeningCriteria.notRetrieved, text: "report not retrieved")] : [])
            if !shownHelp {
                Terminal.line("\n\(Self.help); criteria: \(exclusions.map { "\($0.id) \($0.text)" }.joined(separator: "; "))")
                shownHelp = true
            }
            answering: while true {
                Terminal.output("\(stage)> ")
                guard let line = readLine() else {
                    Terminal.line("")
                    Terminal.line("Stopped: \(state.progress(of: reviewer, at: stage).summary).")
                    return
                }
                let words = line.split(separator: " ", maxSplits: 1).map(String.init)
                let command = words.first?.lowercased() ?? ""
                let argument = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
                do {
                    switch command {
                    case "q", "quit":
                        Terminal.line("Stopped: \(try ReviewState.load(study).progress(of: reviewer, at: stage).summary).")
                        return
                    case "s", "skip":
                        skipped.insert(id)
                        Terminal.line("Skipped (shown again in the next session).")
                        break answering
                    case "u", "undo":
                        guard let last = given.popLast() else {
                            Terminal.line("Nothing to undo in this session.")
                            continue
                        }
                        try recorder.undo(last)
                        Terminal.line("Undone: \(last.record) \(last.verdict.rawValue)\(last.criterion.map { " \($0)" } ?? "").")
                        pinned = last.record
                        break answering
                    case "i", "include", "m", "maybe":
                        let verdict: ScreeningVerdict = command.hasPrefix("i") ? .include : .maybe
                        let decision = try recorder.screen(record: id, stage: stage, verdict: verdict, criterion: nil, note: argument, reviewer: reviewer)
                        given.append(decision)
                        report(decision, before: state.progress(of: reviewer, at: stage))
                        break answering
                    case "e", "exclude":
                        let reasonWords = argument.split(separator: " ", maxSplits: 1).map(String.init)
                        guard let typed = reasonWords.first else {
                            Terminal.line("Give the criterion: e \(exclusions.map(\.id).joined(separator: "|")) [note]")
                            continue
                        }
                        guard let criterion = exclusions.first(where: { $0.id.lowercased() == typed.lowercased() }) else {
                            Terminal.line("No exclusion criterion '\(typed)' at \(stage); expected one of \(exclusions.map(\.id).joined(separator: ", ")).")
                            continue
                        }
                        let decision = try recorder.screen(record: id, stage: stage, verdict: .exclude, criterion: criterion.id,
                                                           note: reasonWords.count > 1 ? reasonWords[1] : "", reviewer: reviewer)
                        given.append(decision)
                        report(decision, before: state.progress(of: reviewer, at: stage))
                        break answering
                    case "", "?", "h", "help":
                        Terminal.line(Self.help)
                    default:
                        Terminal.line("Unknown answer '\(line)': \(Self.help)")
                    }
                } catch let error as StudyError {
                    Terminal.line("Not recorded: \(error.message)")
                }
            }
        }
    }

    /// The answer and the progress after it (the state read before it, plus this answer).
    private func report(_ decision: ScreeningDecision, before: ReviewerProgress) {
        var progress = before
        progress.screened += 1
        if decision.verdict == .include { progress.included += 1 }
        Terminal.line("Recorded: \(decision.verdict.rawValue)\(decision.criterion.map { " \($0)" } ?? "") · \(progress.summary)")
    }
}
