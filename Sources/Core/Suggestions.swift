/// Spelling suggestions for names a researcher typed.
public enum Suggestions {
    public static func closest(to name: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        return best.1 <= max(2, name.count / 3) ? best.0 : nil
    }

    /// Levenshtein distance over Unicode scalars.
    public static func distance(_ a: String, _ b: String) -> Int {
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

/// A name a researcher typed that the study does not have, with the closest known one.
public struct UnknownNameError: LocatedError, Equatable {
    public var kind: String
    public var name: String
    public var known: [String]

    public init(kind: String, name: String, known: [String]) {
        self.kind = kind
        self.name = name
        self.known = known
    }

    public var location: SourceLocation? { nil }

    public var message: String {
        let suggestion = Suggestions.closest(to: name, in: known).map { " Did you mean '\($0)'?" } ?? ""
        let list = known.isEmpty ? "there are none yet" : "known: \(known.prefix(12).joined(separator: ", "))\(known.count > 12 ? ", …" : "")"
        return "no \(kind) '\(name)' in this study (\(list)).\(suggestion)"
    }
}

/// A request that breaks a rule of the study, in plain words, optionally located.
public struct InvalidRequestError: LocatedError, Equatable {
    public var location: SourceLocation?
    public var message: String

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }
}
