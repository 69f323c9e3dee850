import Core
import Foundation

/// Which speakers a transcript has and which of them is taken as the interviewer: what an import
/// reports (issue 10.3).
public struct SpeakerReport: Sendable, Equatable {
    /// One speaker label and how much it speaks.
    public struct Speaker: Sendable, Equatable {
        public var name: String
        public var turns: Int
        /// Turns holding a question mark: the interviewer usually asks most.
        public var questions: Int
        /// Words spoken (white-space separated).
        public var words: Int
        public var isInterviewer: Bool
    }

    /// Every label found, in order of first appearance.
    public var speakers: [Speaker]
    /// The labels taken as the interviewer.
    public var interviewers: [String] { speakers.filter(\.isInterviewer).map(\.name) }
    /// Set when no configured interviewer matched: the speaker whose turns hold questions most
    /// densely (turns with a question mark per word spoken, at least 1.5 times anyone else's), to
    /// suggest, never to assume. Per word, because an interviewer asks in few words while a
    /// participant's long answers also contain the odd question.
    public var likelyInterviewer: String?
    public var warnings: [TranscriptWarning]
}

/// Chooses the interviewer among a transcript's speakers.
public enum InterviewerChoice {
    /// Marks as the interviewer's the turns whose speaker is `override` (`--interviewer LABEL`)
    /// or, without one, any of `configured` (the study's `interviewer:` list). A label matches
    /// exactly, or else without regard to letter case. When nothing matches, every turn is a
    /// participant's, and the report warns and names the likely interviewer — Rev files label
    /// everyone `Speaker N`, so a study's `Interviewer` matches nobody there.
    public static func apply(to transcript: Transcript, configured: [String], override: String? = nil,
                             file: String) -> (transcript: Transcript, report: SpeakerReport) {
        let wanted = override.map { [$0] } ?? configured
        let labels = transcript.speakers
        var chosen = Set(labels.filter(wanted.contains))
        if chosen.isEmpty {
            let folded = Set(wanted.map { $0.lowercased() })
            chosen = Set(labels.filter { folded.contains($0.lowercased()) })
        }
        var result = transcript
        for index in result.turns.indices { result.turns[index].isInterviewer = chosen.contains(result.turns[index].speaker) }
        var speakers: [SpeakerReport.Speaker] = labels.map { SpeakerReport.Speaker(name: $0, turns: 0, questions: 0, words: 0, isInterviewer: chosen.contains($0)) }
        let position = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        for turn in result.turns {
            guard let index = position[turn.speaker] else { continue }
            speakers[index].turns += 1
            if turn.text.contains("?") { speakers[index].questions += 1 }
            speakers[index].words += turn.text.split(whereSeparator: \.isWhitespace).count
        }
        var report = SpeakerReport(speakers: speakers, likelyInterviewer: nil, warnings: [])
        if chosen.isEmpty, !labels.isEmpty {
            func density(_ speaker: SpeakerReport.Speaker) -> Double { Double(speaker.questions) / Double(max(1, speaker.words)) }
            let ranked = speakers.sorted { density($0) > density($1) }
            if let top = ranked.first, top.questions > 0, ranked.count == 1 || density(top) >= 1.5 * density(ranked[1]) {
                report.likelyInterviewer = top.name
            }
            let found = labels.map { "'\($0)'" }.joined(separator: ", ")
            let asked = wanted.isEmpty ? "no interviewer is configured"
                : override != nil ? "--interviewer '\(override!)' matches no speaker"
                : "no configured interviewer (\(wanted.map { "'\($0)'" }.joined(separator: ", "))) matches a speaker"
            var message = "\(asked); speakers found: \(found); every turn is taken as a participant's"
            if let likely = report.likelyInterviewer { message += "; '\(likely)' asks the most questions for the words spoken: pass --interviewer '\(likely)' if that is the interviewer" }
            report.warnings.append(TranscriptWarning(location: SourceLocation(file: file), message: message))
        }
        return (result, report)
    }
}
