import Core
import Datasets
import Foundation
import Index
import Project

/// The datasets of a study: their manifests in corpus/datasets and the derived databases.
public struct DatasetCatalog: Sendable {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    /// Dataset names, from the manifest files, sorted.
    public func names() -> [String] {
        let folder = study.layout.datasets
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }

    public func manifest(named name: String) throws -> DatasetManifest {
        let url = study.layout.manifest(for: name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw StudyError.unknown(kind: "dataset", name: name, known: names())
        }
        return try DatasetManifest.load(from: url, displayPath: study.relativePath(url))
    }

    /// Makes a dataset's derived database current, importing into `.triangulate/` when its inputs
    /// changed. It never writes the researcher's manifest (a read command changes no study file):
    /// when an input's content differs from what the manifest records, `changes` says so, and
    /// `dataset import` (or `dataset attach`) records the new state explicitly.
    public func prepare(_ manifest: DatasetManifest, frozen: Bool = false,
                        progress: (@Sendable (String) -> Void)?) throws -> (prepared: PreparedDataset, changes: [String]) {
        let prepared = try DatasetStore(studyRoot: study.root).prepare(manifest, policy: frozen ? .frozen : .reimportWithNotice,
                                                                       progress: Self.importProgress(progress))
        let path = study.relativePath(study.layout.manifest(for: manifest.name))
        return (prepared, prepared.notices.map { "\(path): \($0.message)" })
    }

    /// Registers a dataset: writes its manifest (refusing to replace one unless asked), then
    /// imports or checks it. Nothing is written when the import fails.
    public func add(_ manifest: DatasetManifest, replacing: Bool, progress: (@Sendable (String) -> Void)?) throws -> PreparedDataset {
        let url = study.layout.manifest(for: manifest.name)
        if FileManager.default.fileExists(atPath: url.path) && !replacing {
            throw StudyError.invalid("dataset '\(manifest.name)' already exists (\(study.relativePath(url))); pass --replace to import it again from another file", at: nil)
        }
        return try study.withLock {
            let prepared = try importOrCheck(manifest, progress: progress)
            try AtomicFile.write(prepared.manifest.yamlText(), to: url)
            return prepared
        }
    }

    private func importOrCheck(_ manifest: DatasetManifest, progress: (@Sendable (String) -> Void)?) throws -> PreparedDataset {
        try DatasetStore(studyRoot: study.root).prepare(manifest, progress: Self.importProgress(progress))
    }

    /// Import progress as one line of words: the one adapter for the matrix and the CLI.
    public static func importProgress(_ progress: (@Sendable (String) -> Void)?) -> (@Sendable (ImportProgress) -> Void)? {
        guard let progress else { return nil }
        return { step in
            let percent = step.totalBytes > 0 ? Int(100 * step.bytesRead / step.totalBytes) : 100
            progress("\(step.phase.rawValue) \(step.file): \(percent)% (\(step.rows) rows)")
        }
    }
}
