import Claims
import Foundation
import Index
import Project

extension Study {
    /// Warnings for claims that cite papers the literature review excluded, has not screened, or
    /// has not finished screening. Empty when the study defines no screening: then every paper is
    /// unscreened and a warning per citation would say nothing.
    public func reviewWarnings(for claims: [Claim]) -> [String] {
        guard settings.screening != nil else { return [] }
        var warnings: [String] = []
        for claim in claims {
            let keys = claim.sources.map(\.paper)
            guard let statuses = try? reviewStatuses(ofPaperKeys: keys) else {
                return ["the literature review's files could not be read, so the claims' papers were not checked (run 'triangulate paper list')"]
            }
            for key in keys {
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
