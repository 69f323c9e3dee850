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
///
/// Colours (`color`), grouping codes (`isCodable="false"`) and sets of codes travel both ways.
/// The dialects differ in small ways this reader absorbs: NVivo nests codes and writes
/// lowercase GUIDs and no colours; ATLAS.ti writes a flat list with uppercase GUIDs, colours and
/// `Parent::child` names (kept as names, not turned into a hierarchy, since the tool itself does
/// not treat them as one), and its sets in the project; MAXQDA nests codes, writes colours and
/// puts its sets inside the codebook. Ids are ASCII: a non-Latin name is transliterated
/// (`Знание` → `znanie`, `信任` → `xin-ren`) so ids stay typeable in `tag` commands, and the
/// name keeps the original script.
public enum REFIQDACodebook {
    public static let codebookNamespace = "urn:QDA-XML:codebook:1.0"

    /// A code as exchanged: name, GUID, description, colour, whether it is codable, and children.
    public struct Node: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var description: String?
        public var color: String?
        public var isCodable: Bool
        /// GUIDs of the notes the code refers to (`NoteRef`).
        public var noteRefs: [String]
        public var children: [Node]

        public init(guid: String, name: String, description: String? = nil, color: String? = nil, isCodable: Bool = true,
                    noteRefs: [String] = [], children: [Node] = []) {
            self.guid = guid
            self.name = name
            self.description = description
            self.color = color
            self.isCodable = isCodable
            self.noteRefs = noteRefs
            self.children = children
        }
    }

    /// A set as exchanged: its member codes, sources and notes by GUID.
    public struct SetNode: Sendable, Equatable {
        public var guid: String
        public var name: String
        public var description: String?
        public var memberCodes: [String]
        public var memberSources: [String]
        public var memberNotes: [String]

        public init(guid: String, name: String, description: String? = nil, memberCodes: [String] = [],
                    memberSources: [String] = [], memberNotes: [String] = []) {
            self.guid = guid
            self.name = name
            self.description = description
            self.memberCodes = memberCodes
            self.memberSources = memberSources
            self.memberNotes = memberNotes
        }
    }

    /// The codes and sets of a `.qdc` codebook or of a project.
    public struct Exchange: Sendable, Equatable {
        public var codes: [Node]
        public var sets: [SetNode]
        /// Whether the document had a `<CodeBook>` at all (a project may have none).
        public var hasCodeBook: Bool

        public init(codes: [Node], sets: [SetNode], hasCodeBook: Bool) {
            self.codes = codes
            self.sets = sets
            self.hasCodeBook = hasCodeBook
        }
    }

    // MARK: Import

    /// Reads the codes of a `.qdc` file's XML, or of a `project.qde`'s.
    public static func parse(_ data: Data, file: String) throws -> [Node] {
        let exchange = try read(data, file: file)
        guard exchange.hasCodeBook else {
            throw CodingError("expected a REFI-QDA <CodeBook> element, found none", at: SourceLocation(file: file))
        }
        return exchange.codes
    }

    /// Reads codes and sets; a document without a `<CodeBook>` gives no codes, not an error.
    public static func read(_ data: Data, file: String) throws -> Exchange {
        try refuseDocumentType(data, file: file)
        // XMLParser crashes on a name that is not UTF-8 and on a processing instruction without data.
        if let problem = XMLInput.firstProblem(data) {
            throw CodingError("expected REFI-QDA XML \(problem.expected), found \(problem.found)",
                              at: SourceLocation(file: file, line: problem.line, column: problem.column))
        }
        let delegate = ParserDelegate()
        // A stream, not `XMLParser(data:)`: on Linux the latter fails at the end of documents
        // of some megabytes (a 50,000-coding project), the stream reads them whole.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = delegate
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            let location = SourceLocation(file: file, line: parser.lineNumber, column: parser.columnNumber)
            throw CodingError("expected REFI-QDA XML, found XML that does not parse (\(parser.parserError?.localizedDescription ?? "syntax error"))", at: location)
        }
        if let problem = delegate.problem { throw CodingError(problem.message, at: SourceLocation(file: file, line: problem.line)) }
        return Exchange(codes: delegate.roots, sets: delegate.sets, hasCodeBook: delegate.sawCodeBook)
    }

    /// Refuses XML with a document type declaration before any parser sees it. REFI-QDA files
    /// never need one, and a DOCTYPE is how entities are declared: external ones (XXE) would
    /// read local files or the network, internal ones can expand exponentially ("billion
    /// laughs"). Entities are never resolved; the file is refused and the error says why.
    public static func refuseDocumentType(_ data: Data, file: String) throws {
        let marker = Array("<!DOCTYPE".utf8)
        // The declaration must precede the root element, so the first 64 KiB (or up to the
        // first element) is enough to look at.
        let prefix = data.prefix(65_536)
        var line = 1
        var index = prefix.startIndex
        while index < prefix.endIndex {
            let byte = prefix[index]
            if byte == UInt8(ascii: "\n") { line += 1 }
            if byte == UInt8(ascii: "<") {
                let next = prefix.index(after: index)
                if next < prefix.endIndex, prefix[next] != UInt8(ascii: "?"), prefix[next] != UInt8(ascii: "!") { return }
                if prefix[index...].starts(with: marker) {
                    throw CodingError("expected REFI-QDA XML without a document type, found a <!DOCTYPE> declaration; entities (XXE) are never resolved, so this file is refused", at: SourceLocation(file: file, line: line))
                }
            }
            index = prefix.index(after: index)
        }
    }

    /// The codebook YAML for imported codes.
    public static func yaml(for nodes: [Node], sets: [SetNode] = [], name: String, prefix: String? = nil) -> String {
        let (codes, ids) = codes(from: nodes, under: prefix)
        return Codebook(name: name, file: "", codes: codes, sets: codeSets(sets, ids: ids))
            .yamlText(comment: "Imported from REFI-QDA; guid keeps each code's identity for exchange with other QDA tools.")
    }

    /// Codes with Triangulate ids for exchanged codes, parents before children, and each GUID's id.
    /// With a `prefix`, every code goes under a new grouping code of that id (for imports whose
    /// names clash with codes the study already has).
    public static func codes(from nodes: [Node], under prefix: String? = nil) -> (codes: [Code], ids: [String: String]) {
        var codes: [Code] = []
        var ids: [String: String] = [:]
        let location = SourceLocation(file: "")
        if let prefix {
            codes.append(Code(id: prefix, name: prefix, codable: false, location: location))
        }
        func visit(_ nodes: [Node], parent: String?) {
            var used = Set<String>()
            for node in nodes {
                let parts = splitDescription(node.description)
                let own = parts.id.flatMap { used.contains($0) ? nil : $0 } ?? uniqueSlug(node.name, used: &used)
                used.insert(own)
                let id = parent.map { "\($0)/\(own)" } ?? own
                if ids[node.guid] == nil { ids[node.guid] = id }
                codes.append(Code(
                    id: id, name: node.name, definition: parts.definition, include: parts.include, exclude: parts.exclude,
                    examples: parts.examples, parent: parent, guid: node.guid.isEmpty ? nil : node.guid,
                    color: node.color.flatMap { Code.isValidColor($0) ? $0.uppercased() : nil }, codable: node.isCodable,
                    refi: node.noteRefs.isEmpty ? [:] : ["note-refs": node.noteRefs], location: location))
                visit(node.children, parent: id)
            }
        }
        visit(nodes, parent: prefix)
        return (codes, ids)
    }

    /// Sets of codes with their members as ids; members that are not codes stay in `x-refi`.
    public static func codeSets(_ sets: [SetNode], ids: [String: String]) -> [CodeSet] {
        sets.map { set in
            var refi: [String: [String]] = [:]
            let unknownCodes = set.memberCodes.filter { ids[$0] == nil }
            if !unknownCodes.isEmpty { refi["unknown-codes"] = unknownCodes }
            if !set.memberSources.isEmpty { refi["member-sources"] = set.memberSources }
            if !set.memberNotes.isEmpty { refi["member-notes"] = set.memberNotes }
            return CodeSet(name: set.name, guid: set.guid, description: set.description,
                           codes: set.memberCodes.compactMap { ids[$0] }, refi: refi)
        }
    }

    static func uniqueSlug(_ name: String, used: inout Set<String>) -> String {
        let slug = slug(name, fallback: "code")
        var candidate = slug
        var number = 2
        while used.contains(candidate) {
            candidate = "\(slug)-\(number)"
            number += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// A name as an id segment: transliterated to Latin, diacritics stripped, lowercase ASCII
    /// letters and digits, every other run of characters one `-`.
    public static func slug(_ name: String, fallback: String) -> String {
        let latin = name.applyingTransform(StringTransform("Any-Latin"), reverse: false) ?? name
        let folded = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        var slug = ""
        for scalar in folded.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? fallback : slug
    }

    static func splitDescription(_ description: String?) -> (definition: String?, include: String?, exclude: String?, examples: [String], id: String?) {
        guard let description else { return (nil, nil, nil, [], nil) }
        var definition: [String] = []
        var include: String?, exclude: String?, id: String?
        var examples: [String] = []
        for line in description.components(separatedBy: "\n") {
            if line.hasPrefix("Include: ") { include = String(line.dropFirst(9)) }
            else if line.hasPrefix("Exclude: ") { exclude = String(line.dropFirst(9)) }
            else if line.hasPrefix("Example: ") { examples.append(String(line.dropFirst(9))) }
            else if line.hasPrefix("Triangulate id: "), Code.isValidSegment(String(line.dropFirst(16))) { id = String(line.dropFirst(16)) }
            else { definition.append(line) }
        }
        let text = definition.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return (text.isEmpty ? nil : text, include, exclude, examples, id)
    }

    // MARK: Export

    /// A `.qdc` document for the codes (parents before children, as a Codebook lists them) and
    /// their sets.
    public static func export(_ codes: [Code], sets: [CodeSet] = [], origin: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        out += "<CodeBook xmlns=\"\(codebookNamespace)\" origin=\"\(escape(origin))\">\n"
        out += codesElement(codes, depth: 1, keepIds: false)
        if !sets.isEmpty {
            out += "  <Sets>\n"
            out += setElements(sets, codes: codes, depth: 2, memberSources: { _ in [] })
            out += "  </Sets>\n"
        }
        out += "</CodeBook>\n"
        return out
    }

    /// The `<Codes>` element at `depth` (two spaces a level). With `keepIds`, a code whose id is
    /// not what import would derive from its name carries a `Triangulate id:` line in its
    /// description, so a project export comes back with the same ids (claims refer to codes by id).
    public static func codesElement(_ codes: [Code], depth: Int, keepIds: Bool) -> String {
        var out = String(repeating: "  ", count: depth) + "<Codes>\n"
        func write(parent: String?, depth: Int) {
            var used = Set<String>()
            for code in codes where code.parent == parent {
                let pad = String(repeating: "  ", count: depth)
                let own = parent.map { String(code.id.dropFirst($0.count + 1)) } ?? code.id
                var probe = used
                let derived = uniqueSlug(code.name, used: &probe)
                used.insert(own)
                var description = descriptionText(of: code)
                if keepIds && derived != own {
                    description = (description.map { $0 + "\n" } ?? "") + "Triangulate id: \(own)"
                }
                out += "\(pad)<Code guid=\"\(guid(of: code))\" name=\"\(escape(code.name))\" isCodable=\"\(code.codable)\""
                if let color = code.color { out += " color=\"\(escape(color))\"" }
                let children = codes.contains { $0.parent == code.id }
                let notes = code.refi["note-refs"] ?? []
                if description == nil && !children && notes.isEmpty {
                    out += " />\n"
                    continue
                }
                out += ">\n"
                if let description { out += "\(pad)  <Description>\(escape(description))</Description>\n" }
                for note in notes { out += "\(pad)  <NoteRef targetGUID=\"\(escape(note))\" />\n" }
                write(parent: code.id, depth: depth + 1)
                out += "\(pad)</Code>\n"
            }
        }
        write(parent: nil, depth: depth + 1)
        out += String(repeating: "  ", count: depth) + "</Codes>\n"
        return out
    }

    /// `<Set>` elements for code sets; `memberSources` adds a set's source members (a project
    /// export knows its sources, a codebook export has none beyond those kept in `x-refi`).
    public static func setElements(_ sets: [CodeSet], codes: [Code], depth: Int, memberSources: (CodeSet) -> [String]) -> String {
        let guids = Dictionary(codes.map { ($0.id, guid(of: $0)) }, uniquingKeysWith: { first, _ in first })
        let pad = String(repeating: "  ", count: depth)
        var out = ""
        for set in sets {
            out += "\(pad)<Set guid=\"\(set.guid ?? derivedGUID(for: "set:\(set.name)"))\" name=\"\(escape(set.name))\">\n"
            if let description = set.description { out += "\(pad)  <Description>\(escape(description))</Description>\n" }
            for code in set.codes { if let guid = guids[code] { out += "\(pad)  <MemberCode targetGUID=\"\(guid)\" />\n" } }
            for source in memberSources(set) + (set.refi["member-sources"] ?? []) {
                out += "\(pad)  <MemberSource targetGUID=\"\(escape(source))\" />\n"
            }
            for note in set.refi["member-notes"] ?? [] { out += "\(pad)  <MemberNote targetGUID=\"\(escape(note))\" />\n" }
            out += "\(pad)</Set>\n"
        }
        return out
    }

    /// The code's kept GUID, or one derived from its id.
    public static func guid(of code: Code) -> String {
        code.guid ?? derivedGUID(for: code.id)
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
    public static func derivedGUID(for id: String) -> String {
        derivedGUID(namespace: "triangulate-code", id)
    }

    /// A version-4-shaped GUID from the SHA-256 of `namespace:key`, for anything an export must
    /// name the same way every time (users, sources, selections).
    public static func derivedGUID(namespace: String, _ key: String) -> String {
        var bytes = Array(SHA256.hash(data: Data("\(namespace):\(key)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        // Hex digits by table: an export derives a GUID or three per coding, and
        // `String(format:)` per byte cost more than the hash.
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Text escaped for XML attributes and content; control characters XML 1.0 cannot carry
    /// become U+FFFD.
    public static func escape(_ text: String) -> String {
        XMLText.escape(text, preservingLineBreaks: true)
    }

    private final class ParserDelegate: NSObject, XMLParserDelegate {
        var roots: [Node] = []
        var stack: [Node] = []
        var sets: [SetNode] = []
        var currentSet: SetNode?
        var sawCodeBook = false
        var inCodeBook = false
        var text: String?
        var problem: (message: String, line: Int)?

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch element {
            case "CodeBook":
                sawCodeBook = true
                inCodeBook = true
            case "Code" where inCodeBook:
                guard let guid = attributes["guid"], let name = attributes["name"] else {
                    problem = problem ?? ("expected a <Code> with guid and name attributes, found one without", parser.lineNumber)
                    stack.append(Node(guid: "", name: ""))
                    return
                }
                let codable = attributes["isCodable"].map { $0 == "true" || $0 == "1" } ?? true
                stack.append(Node(guid: guid, name: name, color: attributes["color"], isCodable: codable))
            case "Description" where (inCodeBook && !stack.isEmpty) || currentSet != nil:
                text = ""
            case "NoteRef" where inCodeBook && !stack.isEmpty:
                if let target = attributes["targetGUID"] { stack[stack.count - 1].noteRefs.append(target) }
            case "Set":
                currentSet = SetNode(guid: attributes["guid"] ?? "", name: attributes["name"] ?? "", description: nil,
                                     memberCodes: [], memberSources: [], memberNotes: [])
            case "MemberCode": if let target = attributes["targetGUID"] { currentSet?.memberCodes.append(target) }
            case "MemberSource": if let target = attributes["targetGUID"] { currentSet?.memberSources.append(target) }
            case "MemberNote": if let target = attributes["targetGUID"] { currentSet?.memberNotes.append(target) }
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
                if currentSet != nil && stack.isEmpty { currentSet?.description = text } else if !stack.isEmpty { stack[stack.count - 1].description = text }
                text = nil
            case "Code" where inCodeBook && !stack.isEmpty:
                let node = stack.removeLast()
                if stack.isEmpty { roots.append(node) } else { stack[stack.count - 1].children.append(node) }
            case "Set":
                if let set = currentSet { sets.append(set) }
                currentSet = nil
            default:
                break
            }
        }
    }
}
