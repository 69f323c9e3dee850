import Foundation
import FuzzSupport
import Transcripts

// Captions: the same text as WebVTT, SubRip and YouTube's .sbv.
@_cdecl("FuzzCaptions_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        let text = decodedText(data, path: "P01.vtt")
        for format in [CaptionReader.Format.webVTT, .subRip, .youTube] {
            _ = try? CaptionReader(format: format, interviewerNames: ["Interviewer"]).parse(text, id: "P01", file: "P01.vtt")
        }
    }
}
