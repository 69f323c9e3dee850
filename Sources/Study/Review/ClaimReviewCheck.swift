import Claims
import Core
import Foundation
import Index
import Literature
import Project

extension Study {
    /// What the review's statuses depend on: every file under corpus/literature (path, size,
    /// modification time), the screening settings and the tool's version. Stat calls only, so it
    /// costs microseconds; a changed file changes it.
    func reviewFingerprint() -> String {
        var parts = [TriangulateVersion.current, String(describing: settings.screening), "\(settings.dedupeThreshold)"]
        let folder = layout.literature
        if let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey]) {
            var entries: [String] = []
            for case let url as URL in walker {
                let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey])
                guard values?.isRegularFile == true else { continue }
                let stamp = values?.contentModificationDate?.timeIntervalSince1970 ?? 0
                entries.append("\(relativePath(url))|\(values?.fileSize ?? 0)|\(stamp)")
            }
            parts += entries.sorted()
        }
        return ContentHash.sha256(Data(parts.joined(separator: "\n").utf8))
    }
}

extension StudyIndex {
    /// Where each citation key stands in the literature review. The statuses live in the index
    /// and are computed again from the review's files only when those files changed.
    /// - Parameter keys: only these citation keys (all when nil); status and the matrix ask only
    ///   for the keys their claims cite, so a large review costs them nothing to decode.
    public func reviewStatuses(keys: Set<String>? = nil) throws -> [String: PaperReviewStatus] {
        let fingerprint = study.reviewFingerprint()
        let decoder = JSONDecoder()
        if let stored = try reviewStatuses(fingerprint: fingerprint, keys: keys) {
            return try stored.mapValues { try decoder.decode(PaperReviewStatus.self, from: Data($0.utf8)) }
        }
        var statuses = try ReviewState.load(study, index: self).statusesByKey()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try storeReviewStatuses(try statuses.mapValues { String(decoding: try encoder.encode($0), as: UTF8.self) }, fingerprint: fingerprint)
        if let keys { statuses = statuses.filter { keys.contains($0.key) } }
        return statuses
    }

    /// Warnings for claims that cite papers the literature review excluded, has not screened, or
    /// has not finished screening. Empty when the study defines no screening: then every paper is
    /// unscreened and a warning per citation would say nothing.
    public func reviewWarnings(for claims: [Claim]) -> [String] {
        guard study.settings.screening != nil else { return [] }
        guard let statuses = try? reviewStatuses(keys: Set(claims.flatMap { $0.sources.map(\.paper) })) else {
            return ["the literature review's files could not be read, so the claims' papers were not checked (run 'triangulate paper list')"]
        }
        var warnings: [String] = []
        for claim in claims {
            for key in claim.sources.map(\.paper) {
                guard let status = statuses[key] else { continue }
                switch status {
                case .excluded, .unscreened, .pending:
                    warnings.append("\(claim.location.file): claim \(claim.id) cites '\(key)', which is \(status.summary) in the literature review")
                default:
                    continue
                }
            }
        }
        return warnings
    }
}
