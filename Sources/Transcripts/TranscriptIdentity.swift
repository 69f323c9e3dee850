import Core
import Foundation

/// The rule that a transcript's id is a participant's id or pseudonym, never a real name.
///
/// The id names the transcript's file in the study and is written into every coding and output,
/// so a real name in it would travel with the replication package. A file received as
/// `Alice Meyer.txt` must therefore be imported under the participant's id (`--participant P07`).
public enum TranscriptIdentity {
    /// Refuses `id` when it holds a name from the pseudonym key, or — when it was taken from the
    /// source's file name and is not a participant's id or pseudonym — when it looks like a
    /// person's name: two to four capitalised words of letters only (`Alice Meyer`,
    /// `Alice_Meyer`, `AliceMeyer`). The error names the key's line, never the name.
    public static func check(id: String, takenFromFileName: Bool, file: String, participants: [Participant],
                             key: PseudonymMap?) throws {
        if let match = key?.occurrences(in: id).first {
            throw TranscriptError.realNameInID(file: file, reason: "it holds the real name of line \(match.entry.line.map(String.init) ?? "?") of the pseudonym key")
        }
        if participants.contains(where: { $0.id == id || $0.pseudonym == id }) { return }
        if takenFromFileName, looksLikePersonalName(id) {
            throw TranscriptError.realNameInID(file: file, reason: "the file name looks like a person's name and is not a participant id in participants.csv")
        }
    }

    /// Two to four words, each an upper-case letter followed by lower-case letters, split at
    /// spaces, `_`, `-`, `.` or a change from lower to upper case.
    static func looksLikePersonalName(_ id: String) -> Bool {
        var words: [String] = []
        var word = ""
        for character in id {
            if character == " " || character == "_" || character == "-" || character == "." {
                if !word.isEmpty { words.append(word); word = "" }
                continue
            }
            guard character.isLetter else { return false }
            if character.isUppercase, let last = word.last, last.isLowercase {
                words.append(word)
                word = ""
            }
            word.append(character)
        }
        if !word.isEmpty { words.append(word) }
        guard (2...4).contains(words.count) else { return false }
        return words.allSatisfy { word in
            guard let first = word.first, first.isUppercase, word.count >= 2 else { return false }
            return word.dropFirst().allSatisfy(\.isLowercase)
        }
    }
}
