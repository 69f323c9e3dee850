import Core
import Foundation
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
            "triangulate.yaml", allowed: ["title", "alpha", "correction", "coders", "interviewer", "default_dataset"])
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
        return writer.text
    }
}
