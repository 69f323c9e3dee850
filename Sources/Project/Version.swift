/// The tool's version, printed in every provenance block and part of the index's context (a new
/// version reads every study file again).
public enum TriangulateVersion {
    public static let current = "0.1.0"
}
