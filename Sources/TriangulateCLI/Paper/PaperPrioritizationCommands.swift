import ArgumentParser
import Foundation
import Literature
import Index
import Project
import Study

extension PaperCommand {
    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unscreened records, most likely relevant first, learned from the decisions so far.",
            discussion: """
                TF-IDF on title and abstract and a class-balanced logistic regression trained on the first-stage \
                outcomes (include = relevant, exclude = irrelevant). Until one include and one exclude exist, the order \
                is random, fixed by --seed. The same decisions and seed give the same order.

                --stats reports when prioritised screening may stop, and never stops it: the records screened and found \
                relevant (included or maybe) in the order they were first decided, two rules and an estimate. The knee \
                method (Cormack & Grossman 2016) finds the knee of the gain curve and is met when the slope ratio before \
                and after it reaches 156 - min(relevant, 150) after at least --min-screened records. The consecutive \
                rule is met after --consecutive irrelevant records in a row (ASReview users pick 50-100). The estimate \
                of relevant records remaining is the rate after the knee times the records left; it errs high.

                Example:
                  triangulate paper next --limit 20 --seed 0
                  triangulate paper next --stats
                  triangulate paper next --stats --consecutive 50 --format json
                """)
        @OptionGroup var studyOptions: StudyOptions
        @Option(help: "How many records to show.") var limit: Int = 10
        @Option(help: "Seed of the order before the model can learn.") var seed: UInt64 = 0
        @Option(help: "Output format.") var format: DataFormat = .text
        @Flag(help: "Report the stopping rules and the estimate of relevant records remaining instead.") var stats = false
        @Option(help: ArgumentHelp("With --stats: the run of irrelevant records in a row that meets the consecutive rule.", valueName: "n"))
        var consecutive: Int = 100
        @Option(help: ArgumentHelp("With --stats: the records screened before the knee method may be met.", valueName: "n"))
        var minScreened: Int = 150

        func validate() throws {
            if consecutive < 1 { throw ValidationError("expected --consecutive of 1 or more, found \(consecutive)") }
            if minScreened < 0 { throw ValidationError("expected --min-screened of 0 or more, found \(minScreened)") }
        }

        func run() throws {
            if stats {
                let progress = try PaperCommand.load(studyOptions, quiet: true).screeningProgress(
                    consecutiveIrrelevant: consecutive, minimumScreened: minScreened)
                switch format {
                case .json: try JSONOutput.print(progress)
                case .text:
                    for line in progress.summary { Terminal.line(line) }
                    let met = progress.rule.kneeRuleMet || progress.rule.consecutiveRuleMet
                    Terminal.line(met ? "A stopping rule is met: screening may stop, if the estimate above is acceptable for the review."
                                      : "No stopping rule is met: keep screening.")
                }
                return
            }
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
                  triangulate paper simulate --labels labels.csv --seed 0 --batch 10
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
