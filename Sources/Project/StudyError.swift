import Core

/// Problems with the study as a whole: finding it, creating it, or using its parts together.
public enum StudyError: LocatedError, Equatable {
    case notFound(searchedFrom: String)
    case alreadyExists(path: String)
    case invalidFiles(count: Int, summary: String)
    case unknown(kind: String, name: String, known: [String])
    case invalid(String, at: SourceLocation?)

    public var location: SourceLocation? {
        switch self {
        case .alreadyExists(let path): return SourceLocation(file: path)
        case .invalid(_, let location): return location
        default: return nil
        }
    }

    public var message: String {
        switch self {
        case .notFound(let start):
            return "no study found: neither \(start) nor any folder above it has a triangulate.yaml. Run 'triangulate init DIR' to create one, or pass --study DIR."
        case .alreadyExists:
            return "a study already exists here (triangulate.yaml is present); nothing was changed"
        case .invalidFiles(let count, let summary):
            return "\(count) study file\(count == 1 ? " has" : "s have") errors; fix \(count == 1 ? "it" : "them") first:\n\(summary)"
        case .unknown(let kind, let name, let known):
            return UnknownNameError(kind: kind, name: name, known: known).message
        case .invalid(let message, _):
            return message
        }
    }
}
