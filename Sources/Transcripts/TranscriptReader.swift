import Foundation

/// Reads a transcript in any supported format, chosen by the file's extension.
public enum TranscriptReader {
    /// The extensions of the formats read: plain text, Markdown, WebVTT, SubRip and Word.
    public static let fileExtensions: Set<String> = PlainTextReader.fileExtensions.union(["vtt", "srt", "docx"])

    /// Reads `url` into speaker turns; `displayPath` names the file in errors. Interviewer names
    /// mark turns as the interviewer's; known speakers (participants' pseudonyms) count as
    /// speakers even when they speak only once.
    public static func read(_ url: URL, displayPath: String, interviewerNames: Set<String>,
                            knownSpeakers: Set<String>) throws -> Transcript {
        switch url.pathExtension.lowercased() {
        case let ext where PlainTextReader.fileExtensions.contains(ext):
            return try PlainTextReader(interviewerNames: interviewerNames, knownSpeakers: knownSpeakers)
                .read(url, displayPath: displayPath)
        case "vtt":
            return try CaptionReader(format: .webVTT, interviewerNames: interviewerNames, knownSpeakers: knownSpeakers)
                .read(url, displayPath: displayPath)
        case "srt":
            return try CaptionReader(format: .subRip, interviewerNames: interviewerNames, knownSpeakers: knownSpeakers)
                .read(url, displayPath: displayPath)
        case "docx":
            return try DocxReader(interviewerNames: interviewerNames, knownSpeakers: knownSpeakers)
                .read(url, displayPath: displayPath)
        case let ext:
            throw TranscriptError.unsupportedFormat(file: displayPath, fileExtension: ext)
        }
    }
}
