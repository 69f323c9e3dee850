import Foundation

/// Writes a transcript as the plain text Triangulate reads back: the preamble, a blank line, then
/// one `Speaker: text` turn after another (`[hh:mm:ss] Speaker: text` when the turn has a start
/// time). Used when an import changes the words (pseudonymisation) and the source format cannot be
/// rewritten in place.
///
/// Memos travel as Markdown footnotes, which `PlainTextReader` reads back: a marker `[^n]` where
/// the memo starts in its turn and, after the turns, `[^n]: text` with further lines of the memo
/// indented by four spaces; a memo on no turn has only its definition. Footnotes are numbered 1, 2, …
/// in memo order; a memo's own number and author, and where a comment's span ends, are not kept.
public enum TranscriptWriter {
    public static func text(of transcript: Transcript) -> String {
        var markers: [Int: [(offset: Int, label: Int)]] = [:]
        for (index, memo) in transcript.memos.enumerated() {
            if let turn = memo.turn { markers[turn, default: []].append((memo.start, index + 1)) }
        }
        var out = ""
        if !transcript.preamble.isEmpty { out += transcript.preamble + "\n\n" }
        for turn in transcript.turns {
            if let start = turn.start { out += "[\(timestamp(start))] " }
            out += "\(turn.speaker): \(marked(turn.text, markers[turn.number] ?? []))\n"
        }
        if !transcript.memos.isEmpty {
            out += "\n"
            for (index, memo) in transcript.memos.enumerated() {
                let lines = memo.text.split(separator: "\n", omittingEmptySubsequences: false)
                out += "[^\(index + 1)]: " + lines.map(String.init).joined(separator: "\n    ") + "\n"
            }
        }
        return out
    }

    /// `text` with `[^label]` inserted at each scalar offset (a later marker at the same offset
    /// after an earlier one).
    private static func marked(_ text: String, _ markers: [(offset: Int, label: Int)]) -> String {
        guard !markers.isEmpty else { return text }
        var out = String.UnicodeScalarView()
        let sorted = markers.sorted { $0.offset != $1.offset ? $0.offset < $1.offset : $0.label < $1.label }
        var next = 0
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            while next < sorted.count, sorted[next].offset <= offset {
                out.append(contentsOf: "[^\(sorted[next].label)]".unicodeScalars)
                next += 1
            }
            out.append(scalar)
        }
        for marker in sorted[next...] { out.append(contentsOf: "[^\(marker.label)]".unicodeScalars) }
        return String(out)
    }

    static func timestamp(_ seconds: TimeInterval) -> String {
        // Times come from source files; a hostile one must not trap the conversion.
        let whole = seconds.isFinite && seconds >= 0 && seconds < 1e12 ? Int(seconds.rounded(.down)) : 0
        return String(format: "%02d:%02d:%02d", whole / 3600, (whole / 60) % 60, whole % 60)
    }
}
