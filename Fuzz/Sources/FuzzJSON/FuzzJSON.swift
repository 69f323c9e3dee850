import Datasets
import Foundation
import FuzzSupport
import Transcripts

// JSON: a transcript (segments of speaker, text, times), and the same bytes as a dataset's .json
// file (an array of objects) through the importer's scan and typed read.
@_cdecl("FuzzJSON_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        _ = try? JSONTranscriptReader(interviewerNames: ["Interviewer"])
            .parse(decodedText(data, path: "P01.json"), id: "P01", file: "P01.json")
        _ = scratchFile("rows.json", data)
        let reader = DataFileReader(studyRoot: scratch)
        if let scanned = try? reader.scan(DatasetManifest.DataFile(path: "rows.json", table: "t")) {
            try? reader.readRecords(scanned) { _ in }
        }
    }
}
