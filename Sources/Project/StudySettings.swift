import Claims
import Core
import Foundation
import Literature
import Statistics
import YAMLSupport

/// The settings of a study, from `triangulate.yaml`.
public struct StudySettings: Sendable, Equatable {
    public var title: String
    public var alpha: Double
    public var correction: PValueCorrection
    public var coders: [String]
    /// Speaker names that belong to the interviewer.
    public var interviewer: [String]
    /// The dataset a metric uses when it names none.
    public var defaultDataset: String?
    /// The literature review's screening stages and criteria (`screening:`); nil when the study
    /// defines none yet, and screening commands then ask for them.
    public var screening: ScreeningCriteria?
    /// The reviewers assigned to screen every record (`screening: reviewers:`), for blind mode:
    /// a reviewer sees another's decision on a record only once all of them decided it.
    public var screeningReviewers: [String] = []
    /// The title similarity above which records are duplicates (`dedupe_threshold`, default 0.9).
    public var dedupeThreshold: Double = 0.9
    /// Confidence level, interval kind, bootstrap and significance rule for every metric that
    /// does not set its own (`confidence:`, `interval:`, `bootstrap:`, `significance:`).
    public var evaluation = EvaluationDefaults()

    public init(title: String, alpha: Double = 0.05, correction: PValueCorrection = .holm, coders: [String] = [],
                interviewer: [String] = ["Interviewer"], defaultDataset: String? = nil) {
        self.title = title
        self.alpha = alpha
        self.correction = correction
        self.coders = coders
        self.interviewer = interviewer
        self.defaultDataset = defaultDataset
    }

    public static let fileName = "triangulate.yaml"

    public static func read(_ url: URL, displayPath: String) throws -> StudySettings {
        let document = try YAMLValue.read(url, displayPath: displayPath)
        let fields = try document.fields(
            "triangulate.yaml", allowed: ["title", "alpha", "correction", "coders", "interviewer", "default_dataset", "screening", "dedupe_threshold"]
                + EvaluationDefaults.keys)
        var settings = StudySettings(title: try fields.string("title") ?? "Untitled study")
        if let alpha = try fields.double("alpha") {
            guard alpha > 0 && alpha < 1 else { throw fields["alpha"]!.error("expected alpha between 0 and 1, found \(alpha)") }
            settings.alpha = alpha
        }
        if let name = try fields.string("correction") {
            guard let correction = PValueCorrection(rawValue: name) else {
                throw fields["correction"]!.error(
                    "expected correction to be one of \(PValueCorrection.allCases.map(\.rawValue).joined(separator: ", ")), found '\(name)'")
            }
            settings.correction = correction
        }
        settings.coders = try fields.strings("coders")
        if fields["interviewer"] != nil { settings.interviewer = try fields.strings("interviewer") }
        settings.defaultDataset = try fields.string("default_dataset")
        settings.evaluation = try EvaluationDefaults.parse(fields)
        if let threshold = try fields.double("dedupe_threshold") {
            guard threshold > 0 && threshold <= 1 else {
                throw fields["dedupe_threshold"]!.error("expected dedupe_threshold above 0 and at most 1, found \(threshold)")
            }
            settings.dedupeThreshold = threshold
        }
        if let node = fields["screening"] {
            settings.screening = try ScreeningCriteria(yaml: node, what: "'screening'", otherKeys: ["reviewers"])
            settings.screeningReviewers = try node.mapping("'screening'").first { $0.key == "reviewers" }?.value.strings("'reviewers'") ?? []
        }
        return settings
    }

    /// The YAML text `init` writes, with a comment on each setting.
    public var yamlText: String {
        var writer = YAMLWriter()
        writer.scalar("title", title)
        writer.raw("alpha", "\(alpha)")
        writer.raw("correction", correction.rawValue + "          # holm | bonferroni | benjamini-hochberg | none")
        writer.flowList("coders", coders)
        writer.flowList("interviewer", interviewer)
        if let defaultDataset { writer.scalar("default_dataset", defaultDataset) }
        if dedupeThreshold != 0.9 { writer.raw("dedupe_threshold", "\(dedupeThreshold)") }
        if let screening {
            writer.key("screening")
            func write(_ criteria: [ScreeningCriterion], as key: String, indent: Int) {
                writer.key(key, indent: indent)
                for criterion in criteria {
                    writer.scalar("id", criterion.id, indent: indent + 4, listItem: true)
                    writer.scalar("text", criterion.text, indent: indent + 4)
                }
            }
            if screening.stageCriteria.isEmpty {
                writer.flowList("stages", screening.stages, indent: 2)
            } else {
                // A stage with criteria of its own is a mapping; then every stage is, for one layout.
                writer.key("stages", indent: 2)
                for stage in screening.stages {
                    writer.scalar("name", stage, indent: 6, listItem: true)
                    if let include = screening.stageCriteria[stage]?.include { write(include, as: "include", indent: 6) }
                    if let exclude = screening.stageCriteria[stage]?.exclude { write(exclude, as: "exclude", indent: 6) }
                }
            }
            if !screeningReviewers.isEmpty { writer.flowList("reviewers", screeningReviewers, indent: 2) }
            for (key, criteria) in [("include", screening.include), ("exclude", screening.exclude)] where !criteria.isEmpty {
                write(criteria, as: key, indent: 2)
            }
        }
        return writer.text
    }
}
