import Core
import Foundation

/// What a transcript import is told beyond the file: who the interviewer is, which names are
/// speakers, who speaks in captions without speaker labels, and the text encoding.
public struct TranscriptReadOptions: Sendable {
    /// Speaker labels taken as the interviewer (`interviewer:` in triangulate.yaml, `--interviewer`).
    public var interviewerNames: Set<String>
    /// Names that count as speakers even when they speak once (participants' pseudonyms).
    public var knownSpeakers: Set<String>
    /// The speaker of captions and JSON segments that name none (`--speaker`); nil for the
    /// transcript's id, which is the participant's.
    public var speaker: String?
    /// The text encoding of text formats (`--encoding`); .docx files are always XML.
    public var encoding: TextEncoding

    public init(interviewerNames: Set<String>, knownSpeakers: Set<String> = [], speaker: String? = nil,
                encoding: TextEncoding = .automatic) {
        self.interviewerNames = interviewerNames
        self.knownSpeakers = knownSpeakers
        self.speaker = speaker
        self.encoding = encoding
    }
}

/// Reads a transcript in any supported format, chosen by the file's extension.
public enum TranscriptReader {
    /// The extensions of the formats read: plain text, Markdown, WebVTT, SubRip, YouTube captions,
    /// JSON turn lists and Word.
    public static let fileExtensions: Set<String> = PlainTextReader.fileExtensions.union(["vtt", "srt", "sbv", "json", "docx"])

    /// Reads `url` into speaker turns; `displayPath` names the file in errors. Interviewer names
    /// mark turns as the interviewer's; known speakers (participants' pseudonyms) count as
    /// speakers even when they speak only once.
    public static func read(_ url: URL, displayPath: String, interviewerNames: Set<String>,
                            knownSpeakers: Set<String>) throws -> Transcript {
        try read(url, displayPath: displayPath, options: TranscriptReadOptions(interviewerNames: interviewerNames, knownSpeakers: knownSpeakers))
    }

    /// Reads `url` into speaker turns with `options`; `displayPath` names the file in errors.
    public static func read(_ url: URL, displayPath: String, options: TranscriptReadOptions) throws -> Transcript {
        let interviewers = options.interviewerNames, known = options.knownSpeakers
        switch url.pathExtension.lowercased() {
        case let ext where PlainTextReader.fileExtensions.contains(ext):
            return try PlainTextReader(interviewerNames: interviewers, knownSpeakers: known, encoding: options.encoding)
                .read(url, displayPath: displayPath)
        case "vtt", "srt", "sbv":
            let format: CaptionReader.Format = url.pathExtension.lowercased() == "vtt" ? .webVTT
                : url.pathExtension.lowercased() == "srt" ? .subRip : .youTube
            return try CaptionReader(format: format, interviewerNames: interviewers, knownSpeakers: known,
                                     speaker: options.speaker, encoding: options.encoding)
                .read(url, displayPath: displayPath)
        case "json":
            return try JSONTranscriptReader(interviewerNames: interviewers, speaker: options.speaker, encoding: options.encoding)
                .read(url, displayPath: displayPath)
        case "docx":
            return try DocxReader(interviewerNames: interviewers, knownSpeakers: known)
                .read(url, displayPath: displayPath)
        case let ext:
            throw TranscriptError.unsupportedFormat(file: displayPath, fileExtension: ext)
        }
    }
}
