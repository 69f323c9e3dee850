import Foundation

/// Writes a transcript as the plain text Triangulate reads back: the preamble, a blank line, then
/// one `Speaker: text` turn after another (`[hh:mm:ss] Speaker: text` when the turn has a start
/// time). Used when an import changes the words (pseudonymisation) and the source format cannot be
/// rewritten in place.
public enum TranscriptWriter {
    public static func text(of transcript: Transcript) -> String {
        var out = ""
        if !transcript.preamble.isEmpty { out += transcript.preamble + "\n\n" }
        for turn in transcript.turns {
            if let start = turn.start { out += "[\(timestamp(start))] " }
            out += "\(turn.speaker): \(turn.text)\n"
        }
        return out
    }

    static func timestamp(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded(.down))
        return String(format: "%02d:%02d:%02d", whole / 3600, (whole / 60) % 60, whole % 60)
    }
}
