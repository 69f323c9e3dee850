import ArgumentParser
import Foundation
import Index
import Project
import Study

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the study holds and what needs attention.",
        discussion: """
            Refreshes the index, then lists participants, transcripts, codes, codings per coder, papers, claims and \
            datasets, and every problem: files that do not parse, codings that lost their place (orphaned) or use \
            codes missing from the codebooks, datasets whose files changed. Exits with 1 when there are problems.

            Example:
              triangulate status --format json
            """)

    @OptionGroup var studyOptions: StudyOptions

    @Option(help: "Output format.")
    var format: DataFormat = .text

    func run() throws {
        let (_, index) = try studyOptions.open()
        let report = try index.status()
        switch format {
        case .json:
            try JSONOutput.print(report)
        case .text:
            Terminal.output(Self.text(report))
        }
        if !report.isClean { throw CommandFailure(message: "the study needs attention (see above)") }
    }

    static func text(_ report: StatusReport) -> String {
        var out = "\(report.title)\n\n"
        let coders = report.codings.isEmpty ? "none" : report.codings.map { "\($0.coder) \($0.codings)" }.joined(separator: ", ")
        out += "  participants  \(report.participants)\n"
        out += "  transcripts   \(report.transcripts) (\(report.turns) turns)\n"
        out += "  codes         \(report.codes)\n"
        out += "  codings       \(report.codings.reduce(0) { $0 + $1.codings }) (\(coders))\n"
        out += "  papers        \(report.papers)\n"
        out += "  claims        \(report.claims) (\(report.metrics) metrics)\n"
        out += "  datasets      \(report.datasets.isEmpty ? "none" : report.datasets.map { "\($0.name) (\($0.state))" }.joined(separator: ", "))\n"
        func section(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            out += "\n\(title):\n" + lines.map { "  \($0)\n" }.joined()
        }
        section("Problems in study files", report.problems.filter { $0.severity != .note }.map(\.description))
        section("Notes (nothing to fix)", report.problems.filter { $0.severity == .note }.map(\.description))
        section("Links leading out of the study (their files are not read)", report.links)
        section("Orphaned codings (kept, but they no longer point into their transcript)",
                report.orphaned.map { "\($0.location): \($0.coding): \($0.reason)" })
        section("Codings with codes missing from the codebooks", report.unknownCodes.map { "\($0.location): \($0.coding)" })
        section("Claims citing papers the review excluded or has not screened", report.claimWarnings)
        section("Overlapping codings", report.overlapping.map { "\($0.location): \($0.coding): \($0.reason)" })
        section("Re-anchored codings (the transcript changed; found again by their quote)",
                report.reanchored.map { "\($0.location): \($0.coding)" })
        section("Datasets that need attention",
                report.datasets.filter(\.needsAttention).map { "\($0.name): \($0.state)" })
        if report.isClean { out += "\nEverything is in order.\n" }
        return out
    }
}
