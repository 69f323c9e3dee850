/// Resolves what a coder types to code ids, for interactive tagging: the exact id, or an
/// abbreviation whose `/`-separated parts start the parts of exactly one id (`sel/pop` for
/// `selection/popularity`), or a word that starts exactly one id's last part (`pop`).
public enum CodeMatching {
    public enum Resolution: Equatable, Sendable {
        case code(String)
        case ambiguous([String])
        case unknown
    }

    public static func resolve(_ typed: String, in codes: [String]) -> Resolution {
        if codes.contains(typed) { return .code(typed) }
        let parts = typed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let byParts = codes.filter { code in
            let segments = code.split(separator: "/").map(String.init)
            return segments.count == parts.count && zip(segments, parts).allSatisfy { $0.hasPrefix($1) }
        }
        if byParts.count == 1 { return .code(byParts[0]) }
        if byParts.count > 1 { return .ambiguous(byParts) }
        let byLastPart = codes.filter { $0.split(separator: "/").last.map { $0.hasPrefix(typed) } ?? false }
        if byLastPart.count == 1 { return .code(byLastPart[0]) }
        if byLastPart.count > 1 { return .ambiguous(byLastPart) }
        return .unknown
    }

    /// Ids that start with what was typed, or whose parts do, for listing candidates.
    public static func candidates(_ typed: String, in codes: [String]) -> [String] {
        if typed.isEmpty { return codes }
        return codes.filter { code in
            code.hasPrefix(typed) || code.split(separator: "/").contains { $0.hasPrefix(typed) }
        }
    }
}
