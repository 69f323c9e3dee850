import Foundation
import FuzzSupport
import Transcripts

// .docx, two ways by the input's first bytes:
// - `PK...`: the bytes are the file, read through Core's zip reader (sizes, offsets, inflation,
//   CRC, budgets), then the document;
// - anything else: the XML of a document: up to the first NUL byte word/document.xml, after it
//   word/comments.xml, packed by the harness into a valid archive so that mutations reach the
//   paragraph, memo-marker and comment code behind the zip reader's CRC check.
@_cdecl("FuzzDocx_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        let file: Data
        if looksLikeZip(data) {
            file = data
        } else {
            let (document, comments) = splitAtNUL(data)
            var members: [(path: String, data: Data)] = [("word/document.xml", document)]
            if let comments { members.append(("word/comments.xml", comments)) }
            file = storedZip(members)
        }
        let url = scratchFile("P01.docx", file)
        _ = try? DocxReader(interviewerNames: ["Interviewer"]).read(url, displayPath: "P01.docx")
    }
}
