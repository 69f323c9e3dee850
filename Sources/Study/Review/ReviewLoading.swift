import Core
import Foundation
import Index
import Literature
import Project

extension ReviewState {
    /// Reads the literature review of `study` with its screening settings. The exports come
    /// parsed from the study's index (which reads an export again only when it changed), and
    /// the deduplication from there too while the records, the reviewers' dedupe decisions and
    /// the threshold are those it was computed from; the decision files are read as they are.
    /// - Parameter index: the study's index when the caller has it open.
    public static func load(_ study: Study, index given: StudyIndex? = nil) throws -> ReviewState {
        let layout = ReviewLayout(study: study)
        let relativePath: @Sendable (URL) -> String = { [study] in study.relativePath($0) }
        let index = try given ?? StudyIndex.open(study).0
        guard let (exports, fingerprint) = try index.reviewExports(in: layout) else {
            return try load(layout, criteria: study.settings.screening, dedupeThreshold: study.settings.dedupeThreshold, relativePath: relativePath)
        }
        let threshold = study.settings.dedupeThreshold
        return try load(layout, criteria: study.settings.screening, dedupeThreshold: threshold, relativePath: relativePath,
                        exports: exports) { records, decisions in
            var parts = [fingerprint, TriangulateVersion.current, "\(threshold)"]
            parts += decisions.map { "\($0.group)\u{1F}\($0.record)\u{1F}\($0.kind.rawValue)\u{1F}\($0.reviewer)" }
            let key = ContentHash.sha256(Data(parts.joined(separator: "\n").utf8))
            if let stored = try index.storedDedupe(fingerprint: key) { return stored }
            let result = Deduplicator(threshold: threshold).run(records, decisions: decisions)
            try index.storeDedupe(result, fingerprint: key)
            return result
        }
    }
}

extension Study {
    /// Where the paper cited as `key` stands in the literature review.
    public func reviewStatus(ofPaperKey key: String) throws -> PaperReviewStatus {
        try ReviewState.load(self).status(ofPaperKey: key)
    }
}
