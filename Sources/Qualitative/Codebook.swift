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
    /// The code's colour as QDA tools show it, `#RRGGBB`.
    public var color: String?
    /// False for a code that only groups others (a QualCoder category, a REFI-QDA code with
    /// `isCodable="false"`): it cannot be applied to text itself.
    public var codable: Bool
    /// What the exchange format carries and the YAML does not model (REFI-QDA note references,
    /// a tool's own attributes), by key, kept so an export can give it back.
    public var refi: [String: [String]]
    public var location: SourceLocation

    public init(id: String, name: String, definition: String? = nil, include: String? = nil, exclude: String? = nil,
                examples: [String] = [], parent: String? = nil, guid: String? = nil, color: String? = nil,
                codable: Bool = true, refi: [String: [String]] = [:], location: SourceLocation) {
        self.id = id
        self.name = name
        self.definition = definition
        self.include = include
        self.exclude = exclude
        self.examples = examples
        self.parent = parent
        self.guid = guid
        self.color = color
        self.codable = codable
        self.refi = refi
        self.location = location
    }

    /// Whether a coding with code `other` counts as this code: the code itself or a descendant.
    public func covers(_ other: String) -> Bool {
        other == id || other.hasPrefix(id + "/")
    }
}

/// A named group of codes across the hierarchy (REFI-QDA's `Set` of `MemberCode`s, ATLAS.ti's
/// code groups).
public struct CodeSet: Sendable, Equatable {
    public var name: String
    public var guid: String?
    public var description: String?
    /// The full ids of the member codes, in file order.
    public var codes: [String]
    /// Set members the codebook does not model (REFI-QDA `MemberSource`, `MemberNote` GUIDs).
    public var refi: [String: [String]]

    public init(name: String, guid: String? = nil, description: String? = nil, codes: [String], refi: [String: [String]] = [:]) {
        self.name = name
        self.guid = guid
        self.description = description
        self.codes = codes
        self.refi = refi
    }
}

/// A hierarchy of codes read from `codebooks/*.yaml`.
public struct Codebook: Sendable, Equatable {
    public var name: String
    public var file: String
    /// Every code, parents before their children, in file order.
    public var codes: [Code]
    public var sets: [CodeSet]

    public init(name: String, file: String, codes: [Code], sets: [CodeSet] = []) {
        self.name = name
        self.file = file
        self.codes = codes
        self.sets = sets
    }

    /// Reads a codebook:
    ///
    /// ```yaml
    /// name: Pre-trained model reuse
    /// codes:
    ///   - id: selection
    ///     name: Model selection
    ///     definition: …
    ///     color: "#F00082"          # optional, as QDA tools show it
    ///     codable: false            # a grouping code that is not applied itself
    ///     codes:
    ///       - id: popularity
    ///         x-refi:               # what another QDA tool gave that the YAML does not model
    ///           note-refs: [CE15250D-…]
    /// sets:                         # named groups of codes, by full id
    ///   - name: Signals
    ///     codes: [selection/popularity]
    /// ```
    public static func read(_ url: URL, displayPath: String) throws -> Codebook {
        try parse(YAMLValue.read(url, displayPath: displayPath))
    }

    public static func parse(_ text: String, file: String) throws -> Codebook {
        try parse(YAMLValue.parse(text, file: file))
    }

    static func parse(_ document: YAMLValue) throws -> Codebook {
        let top = try document.fields("a codebook", allowed: ["name", "description", "codes", "sets"])
        let name = try top.string("name") ?? URL(fileURLWithPath: document.file).deletingPathExtension().lastPathComponent
        var codes: [Code] = []
        var firstLine: [String: Int] = [:]

        func visit(_ items: [YAMLValue], parent: String?) throws {
            for item in items {
                let fields = try item.fields(
                    "a code", allowed: ["id", "name", "definition", "include", "exclude", "examples", "codes", "memo", "guid",
                                        "color", "codable", "x-refi"])
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
                    color: try color(fields),
                    codable: try codable(fields),
                    refi: try extensions(fields),
                    location: item.location))
                try visit(fields.list("codes"), parent: id)
            }
        }
        try visit(top.list("codes"), parent: nil)
        var sets: [CodeSet] = []
        for item in try top.list("sets") {
            let fields = try item.fields("a set", allowed: ["name", "guid", "description", "codes", "x-refi"])
            let members = try fields.strings("codes")
            if let unknown = members.first(where: { firstLine[$0] == nil }) {
                throw (fields["codes"] ?? item).error("set member '\(unknown)' is not a code of this codebook")
            }
            sets.append(CodeSet(name: try fields.requiredString("name"), guid: try fields.string("guid"),
                                description: try fields.string("description"), codes: members, refi: try extensions(fields)))
        }
        return Codebook(name: name, file: document.file, codes: codes, sets: sets)
    }

    private static func color(_ fields: YAMLFields) throws -> String? {
        guard let value = fields["color"] else { return nil }
        let text = try value.string("'color'")
        guard Code.isValidColor(text) else { throw value.error("expected a colour as #RRGGBB, found '\(text)'") }
        return text
    }

    private static func codable(_ fields: YAMLFields) throws -> Bool {
        guard let value = fields["codable"] else { return true }
        switch try value.string("'codable'") {
        case "true": return true
        case "false": return false
        case let other: throw value.error("expected 'codable' to be true or false, found '\(other)'")
        }
    }

    private static func extensions(_ fields: YAMLFields) throws -> [String: [String]] {
        guard let value = fields["x-refi"] else { return [:] }
        var result: [String: [String]] = [:]
        for entry in try value.mapping("'x-refi'") { result[entry.key] = try entry.value.strings("'x-refi.\(entry.key)'") }
        return result
    }

    /// The codebook as YAML that `parse` reads back to the same codes and sets: each code under
    /// its parent, keys in a fixed order, `codable` and `color` only where they say something.
    public func yamlText(comment: String? = nil) -> String {
        var writer = YAMLWriter()
        if let comment { writer.comment(comment) }
        writer.scalar("name", name)
        writer.key("codes")
        func write(parent: String?, indent: Int) {
            for code in codes where code.parent == parent {
                let own = parent.map { String(code.id.dropFirst($0.count + 1)) } ?? code.id
                writer.scalar("id", own, indent: indent, listItem: true)
                writer.scalar("name", code.name, indent: indent)
                if let definition = code.definition { writer.scalar("definition", definition, indent: indent) }
                if let include = code.include { writer.scalar("include", include, indent: indent) }
                if let exclude = code.exclude { writer.scalar("exclude", exclude, indent: indent) }
                if !code.examples.isEmpty { writer.flowList("examples", code.examples, indent: indent) }
                if let color = code.color { writer.scalar("color", color, indent: indent) }
                if !code.codable { writer.raw("codable", "false", indent: indent) }
                if let guid = code.guid { writer.scalar("guid", guid, indent: indent) }
                Self.write(code.refi, to: &writer, indent: indent)
                if codes.contains(where: { $0.parent == code.id }) {
                    writer.key("codes", indent: indent)
                    write(parent: code.id, indent: indent + 4)
                }
            }
        }
        write(parent: nil, indent: 4)
        if !sets.isEmpty {
            writer.key("sets")
            for set in sets {
                writer.scalar("name", set.name, indent: 4, listItem: true)
                if let guid = set.guid { writer.scalar("guid", guid, indent: 4) }
                if let description = set.description { writer.scalar("description", description, indent: 4) }
                writer.flowList("codes", set.codes, indent: 4)
                Self.write(set.refi, to: &writer, indent: 4)
            }
        }
        return writer.text
    }

    private static func write(_ refi: [String: [String]], to writer: inout YAMLWriter, indent: Int) {
        guard !refi.isEmpty else { return }
        writer.key("x-refi", indent: indent)
        for key in refi.keys.sorted() { writer.flowList(key, refi[key] ?? [], indent: indent + 2) }
    }
}

extension Code {
    /// Code id segments: lowercase ASCII letters, digits, `-` and `_`, starting with a letter or digit.
    public static func isValidSegment(_ segment: String) -> Bool {
        guard let first = segment.unicodeScalars.first, first.isASCIILowercaseOrDigit else { return false }
        return segment.unicodeScalars.allSatisfy { $0.isASCIILowercaseOrDigit || $0 == "-" || $0 == "_" }
    }

    /// `#RRGGBB` with hexadecimal digits, the colour form REFI-QDA's schema allows.
    public static func isValidColor(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return scalars.count == 7 && scalars[0] == "#" && scalars.dropFirst().allSatisfy { $0.properties.isASCIIHexDigit }
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
