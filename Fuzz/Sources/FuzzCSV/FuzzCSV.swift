import Core
import Datasets
import Foundation
import FuzzSupport
import Literature

// One input through every CSV reader: Core's CSVText (participants, decisions), the literature
// importer with a detected delimiter and the Scopus preset, and the dataset importer's two passes
// (scan, then typed records), which read the file from disk in chunks as `data import` does.
@_cdecl("FuzzCSV_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        let text = decodedText(data, path: "fuzz.csv")
        _ = try? CSVText.parse(text, file: "fuzz.csv")
        _ = try? CSVImporter(mapping: .scopus).parse(text, file: "fuzz.csv")
        _ = scratchFile("data.csv", data)
        let reader = DataFileReader(studyRoot: scratch)
        if let scanned = try? reader.scan(DatasetManifest.DataFile(path: "data.csv", table: "t")) {
            try? reader.readRecords(scanned) { _ in }
        }
    }
}
