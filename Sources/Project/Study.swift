import Core
import Foundation
import Literature

/// A study folder: its settings and the places of its files (DESIGN §1).
public struct Study: Sendable {
    public let root: URL
    public let settings: StudySettings

    public init(root: URL) throws {
        self.root = root.standardizedFileURL
        let settingsURL = root.appendingPathComponent(StudySettings.fileName)
        self.settings = try StudySettings.read(settingsURL, displayPath: StudySettings.fileName)
    }

    /// Finds the study containing `directory`: the nearest folder at or above it that holds a
    /// `triangulate.yaml`.
    public static func locate(from directory: URL) throws -> Study {
        var current = directory.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(StudySettings.fileName).path) {
                return try Study(root: current)
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { throw StudyError.notFound(searchedFrom: directory.path) }
            current = parent
        }
    }

    /// Creates the skeleton of a study in `directory` (which may exist, but must not hold a study).
    @discardableResult
    public static func initialize(at directory: URL, title: String?) throws -> Study {
        let settingsURL = directory.appendingPathComponent(StudySettings.fileName)
        if FileManager.default.fileExists(atPath: settingsURL.path) {
            throw StudyError.alreadyExists(path: settingsURL.path)
        }
        let layout = StudyLayout(root: directory)
        for folder in [layout.codebooks, layout.transcripts, layout.codings, layout.literature, layout.claims, layout.datasets] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let name = title ?? directory.standardizedFileURL.lastPathComponent
        try AtomicFile.write(
            "# Settings of this study. Everything you decide lives as plain text in codebooks/ and corpus/;\n"
            + "# .triangulate/ is derived and can be deleted at any time.\n"
            + StudySettings(title: name).yamlText,
            to: settingsURL)
        let gitignore = directory.appendingPathComponent(".gitignore")
        if !FileManager.default.fileExists(atPath: gitignore.path) {
            try AtomicFile.write("# Derived index and imported datasets: rebuilt by triangulate from the study's text files.\n.triangulate/\n# Temporary files of interrupted writes (swept by the next command).\n.*.tmp\n", to: gitignore)
        }
        let participants = layout.participants
        if !FileManager.default.fileExists(atPath: participants.path) {
            try AtomicFile.write("id,pseudonym,role\n", to: participants)
        }
        return try Study(root: directory)
    }

    public var layout: StudyLayout { StudyLayout(root: root) }

    /// A path relative to the study root, for messages and for files the study records.
    public func relativePath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// Resolves a path the study records (relative to the root, or absolute).
    public func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
    }

    /// Takes the study's lock: commands that record decisions hold it while they write.
    /// Taking it first finishes any change a killed command left half done (the journal) and
    /// sweeps dead processes' temporary files.
    public func lock() throws -> FileLock {
        try checkFoldersInside()
        let lock = try FileLock(url: layout.derived.appendingPathComponent("lock"))
        try recover()
        return lock
    }
}

/// Where each kind of file lives in a study.
public struct StudyLayout: Sendable {
    public let root: URL
    public var codebooks: URL { root.appendingPathComponent("codebooks") }
    public var corpus: URL { root.appendingPathComponent("corpus") }
    public var transcripts: URL { corpus.appendingPathComponent("transcripts") }
    public var participants: URL { corpus.appendingPathComponent("participants.csv") }
    public var codings: URL { corpus.appendingPathComponent("codings") }
    public var literature: URL { corpus.appendingPathComponent("literature") }
    public var claims: URL { corpus.appendingPathComponent("claims") }
    public var datasets: URL { corpus.appendingPathComponent("datasets") }
    public var derived: URL { root.appendingPathComponent(".triangulate") }
    public var index: URL { derived.appendingPathComponent("index.sqlite") }

    public func codingFile(for coder: String) -> URL { codings.appendingPathComponent("\(coder).jsonl") }
    public func claimFile(for id: String) -> URL { claims.appendingPathComponent("\(id).yaml") }
    public func manifest(for dataset: String) -> URL { datasets.appendingPathComponent("\(dataset).yaml") }
}

extension Study {
    /// Runs `body` holding the study's lock: every command that changes a study file does its
    /// reading, checking and writing inside one of these.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        let lock = try lock()
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }
}

extension ReviewLayout {
    /// The literature review's files of `study`.
    public init(study: Study) {
        self.init(folder: study.layout.literature)
    }
}

extension Study {
    /// The study's root with every symbolic link resolved.
    public var realRoot: URL { root.resolvingSymlinksInPath() }

    /// Whether `url`, with its links resolved, lies inside the study.
    public func isInside(_ url: URL) -> Bool {
        let real = url.resolvingSymlinksInPath().path
        let base = realRoot.path
        return real == base || real.hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }

    /// Refuses to write into a study whose folders lead outside it: a symbolic link for
    /// `corpus/codings` would make `tag` write a coder's decisions somewhere else.
    func checkFoldersInside() throws {
        let folders = [layout.codebooks, layout.corpus, layout.transcripts, layout.codings, layout.literature,
                       layout.claims, layout.datasets, layout.derived]
        for folder in folders where FileManager.default.fileExists(atPath: folder.path) && !isInside(folder) {
            throw StudyError.invalid("\(relativePath(folder)) is a link to \(folder.resolvingSymlinksInPath().path), outside the study; nothing is written through it (replace the link with the folder itself)", at: SourceLocation(file: relativePath(folder)))
        }
    }
}

extension Study {
    /// Whether `url` itself is a symbolic link.
    public func isLink(_ url: URL) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil
    }

    /// Symbolic links inside the study's text folders, as `LINK -> TARGET`: their files are not
    /// read, and `status` lists them.
    public func links() -> [String] {
        var found: [String] = []
        for folder in [layout.codebooks, layout.corpus] {
            if isLink(folder) { found.append("\(relativePath(folder)) -> \(folder.resolvingSymlinksInPath().path)") }
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isSymbolicLinkKey]) else { continue }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isSymbolicLinkKey]))?.isSymbolicLink == true {
                found.append("\(relativePath(url)) -> \(url.resolvingSymlinksInPath().path)")
            }
        }
        return found.sorted()
    }
}
