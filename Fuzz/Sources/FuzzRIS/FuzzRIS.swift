import Foundation
import FuzzSupport
import Literature

@_cdecl("FuzzRIS_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        _ = RISParser().parse(decodedText(data, path: "fuzz.ris"), file: "fuzz.ris")
    }
}
