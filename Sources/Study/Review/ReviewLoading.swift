import Foundation
import Literature
import Project

extension ReviewState {
    /// Reads the literature review of `study` with its screening settings.
    public static func load(_ study: Study) throws -> ReviewState {
        try load(ReviewLayout(study: study), criteria: study.settings.screening, dedupeThreshold: study.settings.dedupeThreshold,
                 relativePath: { [study] in study.relativePath($0) })
    }
}

extension Study {
    /// Where the paper cited as `key` stands in the literature review.
    public func reviewStatus(ofPaperKey key: String) throws -> PaperReviewStatus {
        try ReviewState.load(self).status(ofPaperKey: key)
    }
}
