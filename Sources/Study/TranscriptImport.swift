import Core
import Foundation
import Index
import Project
import Transcripts

/// Brings a transcript into the study (`transcript import`): as received, or pseudonymised with a
/// key file that lives outside the study.
public struct TranscriptImport {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    /// Where the pseudonym key is looked for when none is given: `$TRIANGULATE_PSEUDONYM_KEY`,
    /// then `~/.config/triangulate/pseudonyms.csv`.
    public static func defaultKey() -> URL? {
        if let path = ProcessInfo.processInfo.environment["TRIANGULATE_PSEUDONYM_KEY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let url = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config/triangulate/pseudonyms.csv")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Imports `source` as participant `participant`'s transcript. Without a key the file is
    /// copied byte for byte; with one, it is read, every mapped real name is replaced, and the
    /// result is written as plain text — and refused if a real name would remain.
    /// - Returns: the study path written.
    public func run(_ source: URL, participant: String?, key: URL?, replacing: Bool) throws -> String {
        let id = participant ?? source.deletingPathExtension().lastPathComponent
        guard !id.isEmpty, !id.contains("/"), !id.hasPrefix(".") else {
            throw StudyError.invalid("expected a participant id usable as a file name, found '\(id)'", at: nil)
        }
        let ext = source.pathExtension.lowercased()
        guard TranscriptReader.fileExtensions.contains(ext) else {
            throw StudyError.invalid("expected a transcript in one of \(TranscriptReader.fileExtensions.sorted().map { ".\($0)" }.joined(separator: ", ")), found '\(source.lastPathComponent)'", at: nil)
        }
        return try study.withLock {
            let (index, _) = try StudyIndex.open(study)
            let existing = try index.transcriptPath(id)
            if let existing, !replacing {
                throw StudyError.invalid("participant \(id) already has a transcript (\(existing)); pass --replace to import it again", at: nil)
            }
            let settings = study.settings
            let pseudonyms = Set(try ParticipantsFile.read(study.layout.participants, displayPath: "corpus/participants.csv").compactMap(\.pseudonym))
            let transcript = try TranscriptReader.read(source, displayPath: source.path, interviewerNames: Set(settings.interviewer),
                                                       knownSpeakers: pseudonyms)
            let target: URL
            if let key {
                if key.standardizedFileURL.path.hasPrefix(study.root.path + "/") {
                    throw StudyError.invalid("the pseudonym key \(key.path) is inside the study; keep it outside, or the real names travel with the replication package", at: nil)
                }
                let map = try PseudonymMap.read(key)
                let text = TranscriptWriter.text(of: map.apply(to: transcript))
                let leaks = map.leaks(in: text)
                guard leaks.isEmpty else {
                    throw StudyError.invalid("\(leaks.count) mapped real name\(leaks.count == 1 ? " remains" : "s remain") after pseudonymisation (for example inside a longer word); nothing was written", at: nil)
                }
                target = study.layout.transcripts.appendingPathComponent("\(id).txt")
                try AtomicFile.write(text, to: target)
            } else {
                target = study.layout.transcripts.appendingPathComponent("\(id).\(ext)")
                let data: Data
                do { data = try Data(contentsOf: source) } catch {
                    throw FileError.cannotRead(path: source.path, reason: "no such file, or no permission to read it")
                }
                try AtomicFile.write(data, to: target)
            }
            if let existing, existing != study.relativePath(target) {
                try FileManager.default.removeItem(at: study.resolve(existing))
            }
            try index.refresh()
            return study.relativePath(target)
        }
    }

    /// Real names from the key that appear anywhere in the study's transcripts or coding quotes.
    public func leaks(key: URL) throws -> [String] {
        let map = try PseudonymMap.read(key)
        let (index, _) = try StudyIndex.open(study)
        var found: [String] = []
        for (place, text) in try index.textsToScan() where !map.leaks(in: text).isEmpty && !found.contains(place) {
            found.append(place)
        }
        return found.sorted()
    }
}
