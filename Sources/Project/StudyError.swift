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
            let suggestion = Suggestions.closest(to: name, in: known).map { " Did you mean '\($0)'?" } ?? ""
            let list = known.isEmpty ? "there are none yet" : "known: \(known.prefix(12).joined(separator: ", "))\(known.count > 12 ? ", …" : "")"
            return "no \(kind) '\(name)' in this study (\(list)).\(suggestion)"
        case .invalid(let message, _):
            return message
        }
    }
}

/// Spelling suggestions for names a researcher typed.
enum Suggestions {
    static func closest(to name: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        return best.1 <= max(2, name.count / 3) ? best.0 : nil
    }

    /// Levenshtein distance over Unicode scalars.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
