import Foundation
import FuzzSupport
import Literature

// Web of Science's tagged export (`FN Clarivate ... PT J ... ER ... EF`).
@_cdecl("FuzzWoS_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        _ = WebOfScienceParser().parse(decodedText(data, path: "savedrecs.txt"), file: "savedrecs.txt")
    }
}
