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
        try importTranscript(source, participant: participant, key: key, replacing: replacing).path
    }

    /// What an import did and found: the file written, the speaker labels with the one taken as
    /// the interviewer, and the warnings (empty turns, mixed speaker styles, no interviewer).
    public struct Outcome: Sendable {
        public var path: String
        public var speakers: SpeakerReport
        public var warnings: [String]
    }

    /// Imports `source` (see `run`), read in `encoding`: a text file in another encoding than
    /// UTF-8 is stored as UTF-8, so every later reading agrees with this one.
    public func importTranscript(_ source: URL, participant: String?, key: URL?, replacing: Bool,
                                 encoding: TextEncoding = .automatic, interviewer: String? = nil,
                                 speaker: String? = nil) throws -> Outcome {
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
            // `--interviewer LABEL` joins the study's interviewer list, so every later reading of
            // this and the other transcripts agrees with this import.
            let settings = try interviewer.map { try study.addInterviewer($0) } ?? study.settings
            let pseudonyms = Set(try ParticipantsFile.read(study.layout.participants, displayPath: "corpus/participants.csv").compactMap(\.pseudonym))
            let transcript = try TranscriptReader.read(source, displayPath: source.path, options: TranscriptReadOptions(
                interviewerNames: Set(settings.interviewer), knownSpeakers: pseudonyms, speaker: speaker, encoding: encoding))
            let map = try key.map { try PseudonymMap.read($0) }
            // The id never carries a real name, whether typed or taken from the file's name.
            try TranscriptIdentity.check(id: id, takenFromFileName: participant == nil, file: source.path,
                                         participants: try ParticipantsFile.read(study.layout.participants, displayPath: "corpus/participants.csv"),
                                         key: map)
            let (_, speakers) = InterviewerChoice.apply(to: transcript, configured: settings.interviewer, override: interviewer, file: source.path)
            let warnings = (transcript.warnings + speakers.warnings).map(\.description)
            let target: URL
            if let key, let map {
                if key.standardizedFileURL.path.hasPrefix(study.root.path + "/") {
                    throw StudyError.invalid("the pseudonym key \(key.path) is inside the study; keep it outside, or the real names travel with the replication package", at: nil)
                }
                let text = TranscriptWriter.text(of: map.apply(to: transcript))
                let leaks = map.leaks(in: text)
                guard leaks.isEmpty else {
                    throw StudyError.invalid("\(leaks.count) mapped real name\(leaks.count == 1 ? " remains" : "s remain") after pseudonymisation (for example inside a longer word); nothing was written", at: nil)
                }
                target = study.layout.transcripts.appendingPathComponent("\(id).txt")
                try AtomicFile.write(text, to: target)
            } else if speaker != nil {
                // Captions name no speaker; the one `--speaker` names is kept by storing the
                // transcript as `[hh:mm:ss] Name: text` turns (start times kept), which every
                // later reading reads back with the same speaker.
                target = study.layout.transcripts.appendingPathComponent("\(id).txt")
                try AtomicFile.write(TranscriptWriter.text(of: transcript), to: target)
            } else {
                target = study.layout.transcripts.appendingPathComponent("\(id).\(ext)")
                var data: Data
                do { data = try Data(contentsOf: source) } catch {
                    throw FileError.cannotRead(path: source.path, reason: "no such file, or no permission to read it")
                }
                if ext != "docx", encoding != .automatic || !data.starts(with: [0xEF, 0xBB, 0xBF]) && String(data: data, encoding: .utf8) == nil {
                    data = Data(try TextFile.decode(data, path: source.path, encoding: encoding).utf8)
                }
                try AtomicFile.write(data, to: target)
            }
            if let existing, existing != study.relativePath(target) {
                try FileManager.default.removeItem(at: study.resolve(existing))
            }
            try index.refresh()
            return Outcome(path: study.relativePath(target), speakers: speakers, warnings: warnings)
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

    /// Every place in the study where a real name from the key appears, as
    /// `FILE:LINE:COLUMN: a real name (key line N)` — the name itself is never printed. Scans the
    /// file names, every text file under `codebooks/` and `corpus/` (transcripts, participants.csv,
    /// codings with their quotes and memos, claims, literature exports, memos), and the turns the
    /// index read from .docx transcripts.
    public func nameHits(key: URL) throws -> [String] {
        let map = try PseudonymMap.read(key)
        var hits: [String] = []
        func scan(_ text: String, place: String) {
            for match in map.occurrences(in: text) {
                hits.append("\(place):\(match.line):\(match.column): a real name (key line \(match.entry.line.map(String.init) ?? "?"))")
            }
        }
        for folder in [study.layout.codebooks, study.layout.corpus] {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) else { continue }
            for case let url as URL in walker {
                let path = study.relativePath(url)
                for match in map.occurrences(in: path) where match.line == 1 {
                    hits.append("\(path): the file name holds a real name (key line \(match.entry.line.map(String.init) ?? "?"))")
                }
                let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
                // Large data files are mined data, not the interviews' text; they are not scanned.
                guard values?.isRegularFile == true, (values?.fileSize ?? 0) <= 50_000_000,
                      let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else { continue }
                scan(text, place: path)
            }
        }
        let (index, _) = try StudyIndex.open(study)
        for (place, text) in try index.textsToScan() where place.hasSuffix(".docx") {
            if !map.occurrences(in: text).isEmpty && !hits.contains(where: { $0.hasPrefix(place + ":") }) {
                hits.append("\(place): a real name in its text (key line \(map.occurrences(in: text)[0].entry.line.map(String.init) ?? "?"))")
            }
        }
        return hits
    }
}
