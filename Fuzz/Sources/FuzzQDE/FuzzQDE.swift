import Foundation
import FuzzSupport
import Interchange

// REFI-QDA's project XML (project.qde), parsed from memory.
@_cdecl("FuzzQDE_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        _ = try? REFIProjectReader.parse(data, file: "project.qde")
    }
}
