import Foundation
import FuzzSupport
import Interchange

// A REFI-QDA archive (.qdpx), two ways by the input's first bytes:
// - `PK...`: the bytes are the archive (ZIPFoundation's reader behind the project's checks on
//   paths, sizes and budgets), then project.qde and the sources it names;
// - anything else: up to the first NUL byte project.qde, after it one source text
//   (sources/source.txt), packed by the harness into a valid archive, so that mutations reach the
//   project and the source lookup behind the CRC.
@_cdecl("FuzzQDPX_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        let file: Data
        if looksLikeZip(data) {
            file = data
        } else {
            let (project, source) = splitAtNUL(data)
            var members: [(path: String, data: Data)] = [("project.qde", project)]
            if let source { members.append(("sources/source.txt", source)) }
            file = storedZip(members)
        }
        let url = scratchFile("project.qdpx", file)
        _ = try? REFIProjectReader.read(url, displayPath: "project.qdpx")
    }
}
