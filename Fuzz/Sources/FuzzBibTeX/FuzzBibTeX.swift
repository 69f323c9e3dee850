import Foundation
import FuzzSupport
import Literature

// BibTeX: the parser collects located diagnostics rather than throwing; the writer then writes
// back what it read, as `paper import` does.
@_cdecl("FuzzBibTeX_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        let result = BibTeXParser().parse(decodedText(data, path: "fuzz.bib"), file: "fuzz.bib")
        _ = BibTeXWriter.write(result.records)
    }
}
