import ArgumentParser
import Foundation
import Literature
import Index
import Project
import Study

extension PaperCommand {
    struct Dedupe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find duplicate records across exports, and confirm or split the groups.",
            discussion: """
                Records match on DOI, or on a normalised title (similarity ≥ the threshold) with the same first author \
                and a year at most one apart; each member says why. --review walks the groups at a prompt (c: confirm, \
                s: split, k: skip, q: quit), appending each answer to corpus/literature/dedupe.csv at once; --decide \
                records one answer. The other commands use dedupe_threshold from triangulate.yaml (default 0.9).

                Example:
                  triangulate paper import exports/scopus.bib --database scopus
                  triangulate paper import exports/ieee.bib --database ieee
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
}
