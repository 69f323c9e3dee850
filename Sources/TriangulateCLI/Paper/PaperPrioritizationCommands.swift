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
