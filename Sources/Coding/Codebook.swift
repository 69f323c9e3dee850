import Core
import Foundation
import YAMLSupport

/// One code of a codebook, with its place in the hierarchy.
public struct Code: Sendable, Equatable {
    /// The full id: the ancestors' ids and its own joined by `/`, e.g. `selection/popularity`.
    public var id: String
    public var name: String
    public var definition: String?
    public var include: String?
    public var exclude: String?
    public var examples: [String]
    public var parent: String?
    /// The REFI-QDA GUID of a code that came from, or goes to, another QDA tool.
    public var guid: String?
    public var location: SourceLocation

    public init(id: String, name: String, definition: String? = nil, include: String? = nil, exclude: String? = nil,
                examples: [String] = [], parent: String? = nil, guid: String? = nil, location: SourceLocation) {
        self.id = id
        self.name = name
        self.definition = definition
        self.include = include
        self.exclude = exclude
        self.examples = examples
        self.parent = parent
        self.guid = guid
        self.location = location
    }

    /// Whether a coding with code `other` counts as this code: the code itself or a descendant.
    public func covers(_ other: String) -> Bool {
        other == id || other.hasPrefix(id + "/")
    }
}

/// A hierarchy of codes read from `codebooks/*.yaml`.
public struct Codebook: Sendable, Equatable {
    public var name: String
    public var file: String
    /// Every code, parents before their children, in file order.
    public var codes: [Code]

    public init(name: String, file: String, codes: [Code]) {
        self.name = name
        self.file = file
        self.codes = codes
    }

    /// Reads a codebook:
    ///
    /// ```yaml
    /// name: Pre-trained model reuse
    /// codes:
    ///   - id: selection
    ///     name: Model selection
    ///     definition: …
    ///     codes:
    ///       - id: popularity
    /// ```
    public static func read(_ url: URL, displayPath: String) throws -> Codebook {
        try parse(YAMLValue.read(url, displayPath: displayPath))
    }

    public static func parse(_ text: String, file: String) throws -> Codebook {
        try parse(YAMLValue.parse(text, file: file))
    }

    static func parse(_ document: YAMLValue) throws -> Codebook {
        let top = try document.fields("a codebook", allowed: ["name", "description", "codes"])
        let name = try top.string("name") ?? URL(fileURLWithPath: document.file).deletingPathExtension().lastPathComponent
        var codes: [Code] = []
        var firstLine: [String: Int] = [:]

        func visit(_ items: [YAMLValue], parent: String?) throws {
            for item in items {
                let fields = try item.fields(
                    "a code", allowed: ["id", "name", "definition", "include", "exclude", "examples", "codes", "memo", "guid"])
                let idValue = try fields.required("id")
                let ownId = try fields.requiredString("id")
                guard Code.isValidSegment(ownId) else {
                    throw idValue.error("expected a code id of lowercase letters, digits, '-' and '_', found '\(ownId)'")
                }
                let id = parent.map { "\($0)/\(ownId)" } ?? ownId
                if let first = firstLine[id] {
                    throw idValue.error("code '\(id)' is defined twice (first at line \(first))")
                }
                firstLine[id] = idValue.location.line ?? 0
                codes.append(Code(
                    id: id,
                    name: try fields.string("name") ?? ownId,
                    definition: try fields.string("definition"),
                    include: try fields.string("include"),
                    exclude: try fields.string("exclude"),
                    examples: try fields.strings("examples"),
                    parent: parent,
                    guid: try fields.string("guid"),
                    location: item.location))
                try visit(fields.list("codes"), parent: id)
            }
        }
        try visit(top.list("codes"), parent: nil)
        return Codebook(name: name, file: document.file, codes: codes)
    }
}

extension Code {
    /// Code id segments: lowercase ASCII letters, digits, `-` and `_`, starting with a letter or digit.
    public static func isValidSegment(_ segment: String) -> Bool {
        guard let first = segment.unicodeScalars.first, first.isASCIILowercaseOrDigit else { return false }
        return segment.unicodeScalars.allSatisfy { $0.isASCIILowercaseOrDigit || $0 == "-" || $0 == "_" }
    }

    /// A full id such as `selection/popularity`.
    public static func isValidId(_ id: String) -> Bool {
        !id.isEmpty && id.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { isValidSegment(String($0)) }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILowercaseOrDigit: Bool {
        ("a"..."z").contains(self) || ("0"..."9").contains(self)
    }
}
