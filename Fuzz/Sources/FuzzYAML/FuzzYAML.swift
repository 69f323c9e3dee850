import Claims
import Datasets
import Foundation
import FuzzSupport
import Literature
import Project
import Qualitative
import YAMLSupport

// The YAML readers: the same text as a claim, a codebook, a dataset manifest, a search log and
// the study's triangulate.yaml (read from a file, as the study opens it).
@_cdecl("FuzzYAML_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data in
        let text = decodedText(data, path: "fuzz.yaml")
        _ = try? YAMLValue.parse(text, file: "fuzz.yaml")
        _ = try? Claim.parse(text, file: "claims/c.yaml")
        _ = try? Codebook.parse(text, file: "codebooks/codebook.yaml")
        _ = try? DatasetManifest.parse(text, displayPath: "datasets/d.yaml")
        _ = try? SearchLog.parse(text, file: "review/searches.yaml")
        let url = scratchFile("triangulate.yaml", data)
        _ = try? StudySettings.read(url, displayPath: "triangulate.yaml")
    }
}
