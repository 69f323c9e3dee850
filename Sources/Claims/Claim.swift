import Core
import Foundation
import YAMLSupport

/// A paper that makes a claim, by citation key, with the passage that makes it.
public struct PaperSource: Sendable, Equatable, Codable {
    public var paper: String
    public var quote: String?
    public var page: String?
    public var location: SourceLocation

    public init(paper: String, quote: String? = nil, page: String? = nil, location: SourceLocation) {
        self.paper = paper
        self.quote = quote
        self.page = page
        self.location = location
    }
}

/// A claim of the study: where it comes from and the metrics that test it (DESIGN §4).
public struct Claim: Sendable, Equatable, Codable {
    public var id: String
    public var statement: String
    public var sources: [PaperSource]
    /// Interview evidence: full code ids; a parent code covers its children.
    public var codes: [String]
    public var metrics: [MetricSpec]
    /// How the metrics' verdicts combine into the claim's.
    public var rule: ClaimRule
    public var note: String?
    public var location: SourceLocation

    public init(id: String, statement: String, sources: [PaperSource] = [], codes: [String] = [],
                metrics: [MetricSpec] = [], rule: ClaimRule = .all, note: String? = nil, location: SourceLocation) {
        self.id = id
        self.statement = statement
        self.sources = sources
        self.codes = codes
        self.metrics = metrics
        self.rule = rule
        self.note = note
        self.location = location
    }
}

extension Claim {
    public static func read(_ url: URL, displayPath: String) throws -> Claim {
        try parse(YAMLValue.read(url, displayPath: displayPath))
    }

    public static func parse(_ text: String, file: String) throws -> Claim {
        try parse(YAMLValue.parse(text, file: file))
    }

    static func parse(_ document: YAMLValue) throws -> Claim {
        let fields = try document.fields("a claim", allowed: ["id", "statement", "sources", "codes", "metrics", "rule", "note"])
        let idValue = try fields.required("id")
        let id = try fields.requiredString("id")
        guard Claim.isValidId(id) else {
            throw idValue.error("expected a claim id of letters, digits, '-', '_' and '.', found '\(id)'")
        }
        let sources = try fields.list("sources").map { item -> PaperSource in
            let source = try item.fields("a source", allowed: ["paper", "quote", "page", "note"])
            return PaperSource(paper: try source.requiredString("paper"), quote: try source.string("quote"),
                               page: try source.string("page"), location: item.location)
        }
        let metrics = try fields.list("metrics").map { try MetricSpec.parse($0) }
        var seen: Set<String> = []
        for (metric, value) in zip(metrics, try fields.list("metrics")) where !seen.insert(metric.id).inserted {
            throw value.error("metric id '\(metric.id)' appears twice in this claim")
        }
        var rule = ClaimRule.all
        if let ruleValue = fields["rule"] {
            let name = try ruleValue.string("'rule'")
            guard let parsed = ClaimRule(rawValue: name) else {
                throw ruleValue.error("expected rule to be one of all, any, majority, found '\(name)'")
            }
            rule = parsed
        }
        return Claim(
            id: id,
            statement: try fields.requiredString("statement"),
            sources: sources,
            codes: try fields.strings("codes"),
            metrics: metrics,
            rule: rule,
            note: try fields.string("note"),
            location: document.location)
    }

    public static func isValidId(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, CharacterSet.alphanumerics.contains(first) else { return false }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        return id.unicodeScalars.allSatisfy(allowed.contains)
    }

    /// The claim as YAML in the layout of DESIGN §4, for `claim add`.
    public var yamlText: String {
        var writer = YAMLWriter()
        writer.scalar("id", id)
        writer.scalar("statement", statement)
        if !sources.isEmpty {
            writer.key("sources")
            for source in sources {
                writer.scalar("paper", source.paper, indent: 4, listItem: true)
                if let quote = source.quote { writer.scalar("quote", quote, indent: 4) }
                if let page = source.page { writer.scalar("page", page, indent: 4) }
            }
        }
        if !codes.isEmpty { writer.flowList("codes", codes) }
        if !metrics.isEmpty {
            writer.key("metrics")
            for metric in metrics { metric.write(to: &writer) }
        }
        if rule != .all { writer.raw("rule", rule.rawValue) }
        if let note { writer.scalar("note", note) }
        return writer.text
    }
}

extension Claim {
    /// Where each of the claim's codes is written in its file, for rewriting them in place.
    public static func codeLocations(in text: String, file: String) throws -> [(code: String, location: SourceLocation)] {
        let document = try YAMLValue.parse(text, file: file)
        guard let codes = try document.fields("a claim", allowed: ["id", "statement", "sources", "codes", "metrics", "rule", "note"])["codes"] else {
            return []
        }
        return try codes.list("'codes'").map { (try $0.string("a code"), $0.location) }
    }
}
