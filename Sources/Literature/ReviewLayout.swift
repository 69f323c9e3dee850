import Foundation

/// Where the files of a study's systematic literature review live, all under `corpus/literature/`:
///
/// - `*.bib`, `*.ris`, `*.txt`, `*.nbib`: the database exports, one per search (CSV exports are
///   converted to `NAME.bib` at import, the original kept as `originals/NAME.csv`);
/// - `imports.csv`: each imported file with its database, search and original path;
/// - `searches.yaml`: the search log (queries, dates, hit counts);
/// - `dedupe.csv`: reviewers' verdicts on duplicate groups;
/// - `screening/<reviewer>.csv` and `screening/resolutions.csv`: screening decisions;
/// - `snowballing.csv`: records found by backward and forward snowballing;
/// - `extraction.yaml` and `extraction/<reviewer>.csv`: the extraction form and its answers.
///
/// A record's id is `FILE#KEY`, FILE relative to `corpus/literature/` (`scopus.bib#smith2020`);
/// keys a file repeats get `-2`, `-3`, … in file order (`BibliographicRecord.withUniqueKeys`).
public struct ReviewLayout: Sendable {
    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    public static let exportExtensions: Set<String> = ["bib", "ris", "txt", "nbib"]

    public var imports: URL { folder.appendingPathComponent("imports.csv") }
    public var originals: URL { folder.appendingPathComponent("originals") }
    public var searches: URL { folder.appendingPathComponent("searches.yaml") }
    public var dedupe: URL { folder.appendingPathComponent("dedupe.csv") }
    public var screening: URL { folder.appendingPathComponent("screening") }
    public var resolutions: URL { screening.appendingPathComponent("resolutions.csv") }
    public var snowballing: URL { folder.appendingPathComponent("snowballing.csv") }
    public var extractionForm: URL { folder.appendingPathComponent("extraction.yaml") }
    public var extraction: URL { folder.appendingPathComponent("extraction") }
    public func screeningFile(for reviewer: String) -> URL { screening.appendingPathComponent("\(reviewer).csv") }
    public func extractionFile(for reviewer: String) -> URL { extraction.appendingPathComponent("\(reviewer).csv") }
}
