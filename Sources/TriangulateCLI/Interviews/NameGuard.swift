import Foundation
import Index
import Project
import Study
import Transcripts

/// Keeps mapped real names out of what commands print: when a pseudonym key is configured
/// ($TRIANGULATE_PSEUDONYM_KEY or ~/.config/triangulate/pseudonyms.csv), interview text that
/// still holds a real name from it is refused rather than printed. The names themselves are
/// never printed.
enum NameGuard {
    static func check(_ texts: [String]) throws {
        guard let key = TranscriptImport.defaultKey(), FileManager.default.fileExists(atPath: key.path) else { return }
        let map = try PseudonymMap.read(key)
        let leaking = texts.filter { !map.leaks(in: $0).isEmpty }.count
        if leaking > 0 {
            throw CommandFailure(message: "\(leaking) of the passages to print still hold real names from the pseudonym key (\(key.path)); nothing was printed. Find them with 'triangulate transcript check-names' and pseudonymise the transcripts.")
        }
    }
}
