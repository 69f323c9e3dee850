import Core
import Crypto
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import YAMLSupport

/// The REFI-QDA codebook exchange (`.qdc`, and the `<CodeBook>` of a project's `project.qde`),
/// the format ATLAS.ti, NVivo, MAXQDA and QualCoder read and write.
///
/// REFI-QDA codes have free-text names and GUIDs; Triangulate's have path-like ids. Import
/// derives each id from the name (ASCII-folded, lowercase, other characters as `-`, made unique
/// among siblings) and keeps the name and GUID; export writes the kept GUID, or for a code that
/// never had one a GUID derived from its id (SHA-256 based), so the same codebook always exports
/// the same bytes. REFI-QDA has only a description per code, so include/exclude criteria and
/// examples travel in it as `Include:`, `Exclude:` and `Example:` lines, which import reads back.
public enum REFIQDACodebook {
    public static let codebookNamespace = "urn:QDA-XML:codebook:1.0"

    /// A code as exchanged: name, GUID, description and children.
    public struct Node: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var description: String?
        public var children: [Node]
    }

    // MARK: Import

    /// Reads the codes of a `.qdc` file's XML, or of a `project.qde`'s.
    public static func parse(_ data: Data, file: String) throws -> [Node] {
        let delegate = ParserDelegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldProcessNamespaces = true
        guard parser.parse() else {
            let location = SourceLocation(file: file, line: parser.lineNumber, column: parser.columnNumber)
            throw CodingError("expected REFI-QDA XML, found XML that does not parse (\(parser.parserError?.localizedDescription ?? "syntax error"))", at: location)
        }
        if let problem = delegate.problem { throw CodingError(problem.message, at: SourceLocation(file: file, line: problem.line)) }
        guard delegate.sawCodeBook else {
            throw CodingError("expected a REFI-QDA <CodeBook> element, found none", at: SourceLocation(file: file))
        }
        return delegate.roots
    }

    /// The codebook YAML for imported codes.
    public static func yaml(for nodes: [Node], name: String) -> String {
        var writer = YAMLWriter()
        writer.comment("Imported from REFI-QDA; guid keeps each code's identity for exchange with other QDA tools.")
        writer.scalar("name", name)
        writer.key("codes")
        func write(_ nodes: [Node], indent: Int) {
            var used = Set<String>()
            for node in nodes {
                let id = uniqueSlug(node.name, used: &used)
                writer.scalar("id", id, indent: indent, listItem: true)
                writer.scalar("name", node.name, indent: indent)
                let parts = splitDescription(node.description)
                if let definition = parts.definition { writer.scalar("definition", definition, indent: indent) }
                if let include = parts.include { writer.scalar("include", include, indent: indent) }
                if let exclude = parts.exclude { writer.scalar("exclude", exclude, indent: indent) }
                if !parts.examples.isEmpty { writer.flowList("examples", parts.examples, indent: indent) }
                writer.scalar("guid", node.guid, indent: indent)
                if !node.children.isEmpty {
                    writer.key("codes", indent: indent)
                    write(node.children, indent: indent + 4)
                }
            }
        }
        write(nodes, indent: 4)
        return writer.text
    }

    static func uniqueSlug(_ name: String, used: inout Set<String>) -> String {
        let folded = name.applyingTransform(.stripDiacritics, reverse: false) ?? name
        var slug = ""
        for scalar in folded.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.isEmpty { slug = "code" }
        var candidate = slug
        var number = 2
        while used.contains(candidate) {
            candidate = "\(slug)-\(number)"
            number += 1
        }
        used.insert(candidate)
        return candidate
    }

    static func splitDescription(_ description: String?) -> (definition: String?, include: String?, exclude: String?, examples: [String]) {
        guard let description else { return (nil, nil, nil, []) }
        var definition: [String] = []
        var include: String?, exclude: String?
        var examples: [String] = []
        for line in description.components(separatedBy: "\n") {
            if line.hasPrefix("Include: ") { include = String(line.dropFirst(9)) }
            else if line.hasPrefix("Exclude: ") { exclude = String(line.dropFirst(9)) }
            else if line.hasPrefix("Example: ") { examples.append(String(line.dropFirst(9))) }
            else { definition.append(line) }
        }
        let text = definition.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return (text.isEmpty ? nil : text, include, exclude, examples)
    }

    // MARK: Export

    /// A `.qdc` document for the codes (parents before children, as a Codebook lists them).
    public static func export(_ codes: [Code], origin: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        out += "<CodeBook xmlns=\"\(codebookNamespace)\" origin=\"\(escape(origin))\">\n  <Codes>\n"
        func write(parent: String?, depth: Int) {
            for code in codes where code.parent == parent {
                let pad = String(repeating: "  ", count: depth + 2)
                out += "\(pad)<Code guid=\"\(code.guid ?? derivedGUID(for: code.id))\" name=\"\(escape(code.name))\" isCodable=\"true\""
                let description = descriptionText(of: code)
                let children = codes.contains { $0.parent == code.id }
                if description == nil && !children {
                    out += " />\n"
                    continue
                }
                out += ">\n"
                if let description { out += "\(pad)  <Description>\(escape(description))</Description>\n" }
                write(parent: code.id, depth: depth + 1)
                out += "\(pad)</Code>\n"
            }
        }
        write(parent: nil, depth: 0)
        out += "  </Codes>\n</CodeBook>\n"
        return out
    }

    static func descriptionText(of code: Code) -> String? {
        var lines: [String] = []
        if let definition = code.definition { lines.append(definition) }
        if let include = code.include { lines.append("Include: \(include)") }
        if let exclude = code.exclude { lines.append("Exclude: \(exclude)") }
        lines += code.examples.map { "Example: \($0)" }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    /// A version-4-shaped GUID from the SHA-256 of the code id: stable across exports.
    static func derivedGUID(for id: String) -> String {
        var bytes = Array(SHA256.hash(data: Data("triangulate-code:\(id)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.map(String.init).joined(separator: "-")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            default:
                if scalar.value < 0x20 { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    private final class ParserDelegate: NSObject, XMLParserDelegate {
        var roots: [Node] = []
        var stack: [Node] = []
        var sawCodeBook = false
        var inCodeBook = false
        var text: String?
        var problem: (message: String, line: Int)?
        weak var parser: XMLParser?

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch element {
            case "CodeBook":
                sawCodeBook = true
                inCodeBook = true
            case "Code" where inCodeBook:
                guard let guid = attributes["guid"], let name = attributes["name"] else {
                    problem = problem ?? ("expected a <Code> with guid and name attributes, found one without", parser.lineNumber)
                    stack.append(Node(guid: "", name: "", description: nil, children: []))
                    return
                }
                stack.append(Node(guid: guid, name: name, description: nil, children: []))
            case "Description" where inCodeBook && !stack.isEmpty:
                text = ""
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text? += string
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            switch element {
            case "CodeBook": inCodeBook = false
            case "Description" where text != nil:
                stack[stack.count - 1].description = text
                text = nil
            case "Code" where inCodeBook && !stack.isEmpty:
                let node = stack.removeLast()
                if stack.isEmpty { roots.append(node) } else { stack[stack.count - 1].children.append(node) }
            default:
                break
            }
        }
    }
}
