import Core
import Foundation
import Qualitative
import Transcripts
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads a REFI-QDA project (`.qdpx`, a zip of `project.qde` and `Sources/`, or a bare `.qde`).
public enum REFIProjectReader {
    /// A project with the plain text of each text source that could be read, by source GUID.
    public struct Loaded: Sendable {
        public var project: REFIProject
        public var texts: [String: String]
        /// Why a text source has no text (missing from `Sources/`, outside the archive…), by GUID.
        public var missingTexts: [String: String]
        /// The `.docx` twins (`richTextPath`) that were found, by source GUID.
        public var richTexts: [String: RichText]

        public init(project: REFIProject, texts: [String: String], missingTexts: [String: String], richTexts: [String: RichText] = [:]) {
            self.project = project
            self.texts = texts
            self.missingTexts = missingTexts
            self.richTexts = richTexts
        }
    }

    /// A source's rich-text twin as read: its paragraphs, or why it could not be read.
    public enum RichText: Sendable, Equatable {
        case paragraphs([String])
        case unreadable(String)
        /// The source had no plain text, so its text was taken from these paragraphs.
        case usedAsText([String])
    }

    public static func read(_ url: URL, displayPath: String) throws -> Loaded {
        if url.pathExtension.lowercased() == "qde" || url.pathExtension.lowercased() == "xml" {
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw InterchangeError.unreadable(file: displayPath, reason: "no such file, or no permission to read it")
            }
            let project = try parse(data, file: displayPath)
            return resolveTexts(project, members: [:])
        }
        let members = try readArchive(url, displayPath: displayPath)
        var byName: [String: Data] = [:]
        for member in members { byName[member.path.lowercased()] = member.data }
        // Member names are matched without regard to case: ATLAS.ti writes `Project.qde`.
        guard let xml = byName["project.qde"] else {
            throw InterchangeError.unreadable(file: displayPath, reason: "expected project.qde inside the .qdpx archive, found \(members.isEmpty ? "an empty archive" : members.prefix(5).map(\.path).joined(separator: ", "))")
        }
        let project = try parse(xml, file: "\(displayPath)/project.qde")
        return resolveTexts(project, members: byName)
    }

    /// Reads the project XML. External entities are never resolved: a DOCTYPE refuses the file.
    public static func parse(_ data: Data, file: String) throws -> REFIProject {
        // XMLParser crashes on some inputs (see `XMLInput`). The codebook reader checks what it
        // reads, but it reads the document with <Sources> blanked out: the whole document is checked here.
        if let problem = XMLInput.firstProblem(data) {
            throw InterchangeError.malformed(location: SourceLocation(file: file, line: problem.line, column: problem.column),
                                             expected: "REFI-QDA XML \(problem.expected)", found: problem.found)
        }
        let codebook: REFIQDACodebook.Exchange
        // The codebook reader needs the codes and sets, not the sources, which are nearly all of
        // a large project: it reads the document with the <Sources> element blanked out (its
        // line breaks kept, so any location it reports is the file's own).
        do { codebook = try REFIQDACodebook.read(withoutSources(data) ?? data, file: file) } catch let error as CodingError {
            throw InterchangeError.malformed(location: error.location ?? SourceLocation(file: file), expected: "REFI-QDA project XML", found: error.message)
        }
        let delegate = ProjectDelegate()
        // A stream, not `XMLParser(data:)`: on Linux the latter fails at the end of documents
        // of some megabytes (a 50,000-coding project), the stream reads them whole.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = delegate
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            throw InterchangeError.malformed(location: SourceLocation(file: file, line: parser.lineNumber, column: parser.columnNumber),
                                             expected: "REFI-QDA project XML", found: "XML that does not parse")
        }
        if let problem = delegate.problem {
            throw InterchangeError.malformed(location: SourceLocation(file: file, line: problem.line), expected: problem.expected, found: problem.found)
        }
        guard delegate.sawProject else {
            throw InterchangeError.malformed(location: SourceLocation(file: file), expected: "a REFI-QDA <Project> root element", found: "none")
        }
        var project = delegate.project
        project.codebook = codebook
        project.unknownElements = delegate.unknownOrder.map { ($0, delegate.unknown[$0] ?? 0) }
        return project
    }

    /// The document with its `<Sources>…</Sources>` element replaced by as many line breaks as
    /// it held; nil when there is no such element, or when what it would blank out holds a
    /// `<CodeBook` or `<Sets` (a comment, say), so the caller reads the document whole.
    static func withoutSources(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        let open = Array("<Sources".utf8), close = Array("</Sources>".utf8)
        func matches(_ pattern: [UInt8], at index: Int) -> Bool {
            index + pattern.count <= bytes.count && bytes[index..<(index + pattern.count)].elementsEqual(pattern)
        }
        guard var start = bytes.indices.first(where: { bytes[$0] == UInt8(ascii: "<") && matches(open, at: $0) }) else { return nil }
        // `<SourcesX` is another element; look for the real one.
        while start + open.count < bytes.count, ![UInt8(ascii: ">"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[start + open.count]) {
            guard let next = (start + 1..<bytes.count).first(where: { bytes[$0] == UInt8(ascii: "<") && matches(open, at: $0) }) else { return nil }
            start = next
        }
        var end = bytes.count - close.count
        while end > start, !matches(close, at: end) { end -= 1 }
        guard end > start else { return nil }
        end += close.count
        let region = bytes[start..<end]
        for marker in [Array("<CodeBook".utf8), Array("<Sets".utf8)] {
            if region.indices.contains(where: { bytes[$0] == UInt8(ascii: "<") && matches(marker, at: $0) }) { return nil }
        }
        var result = Data(bytes[..<start])
        result.append(contentsOf: [UInt8](repeating: UInt8(ascii: "\n"), count: region.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }))
        result.append(contentsOf: bytes[end...])
        return result
    }

    /// Finds each text source's plain text: `internal://NAME` is `Sources/NAME` in the archive;
    /// any other path (`relative://`, `file://`, absolute) is never read from this machine.
    ///
    /// A `.docx` twin (`richTextPath`) is read too, so the import can compare it with the plain
    /// text, which carries the positions; a source with only a `.docx` takes its text from the
    /// document's paragraphs, one line each.
    static func resolveTexts(_ project: REFIProject, members: [String: Data]) -> Loaded {
        var texts: [String: String] = [:]
        var missing: [String: String] = [:]
        var richTexts: [String: RichText] = [:]
        /// The member `internal://NAME` names, or why there is none.
        func member(_ path: String, what: String) -> Result<(name: String, data: Data), Problem> {
            guard path.lowercased().hasPrefix("internal://") else {
                return .failure(Problem(reason: "its \(what) '\(path)' is outside the archive, and files outside it are never read"))
            }
            let name = String(path.dropFirst("internal://".count))
            guard !name.contains(".."), !name.hasPrefix("/"), let data = members["sources/\(name.lowercased())"] else {
                return .failure(Problem(reason: "its \(what) Sources/\(name) is not in the archive"))
            }
            return .success((name, data))
        }
        for source in project.textSources {
            if let path = source.richTextPath {
                switch member(path, what: "rich text") {
                case .success(let found): richTexts[source.guid] = readDocx(found.data, name: "Sources/\(found.name)")
                case .failure(let problem): richTexts[source.guid] = .unreadable(problem.reason)
                }
            }
            if let content = source.content {
                texts[source.guid] = content
                continue
            }
            guard let path = source.plainTextPath else {
                if case .paragraphs(let paragraphs)? = richTexts[source.guid] {
                    texts[source.guid] = paragraphs.joined(separator: "\n")
                    richTexts[source.guid] = .usedAsText(paragraphs)
                } else {
                    missing[source.guid] = "it has neither a plainTextPath nor PlainTextContent" + (source.richTextPath == nil ? "" : " nor a readable .docx")
                }
                continue
            }
            switch member(path, what: "plain text") {
            case .failure(let problem):
                missing[source.guid] = problem.reason
            case .success(let found):
                do { texts[source.guid] = try TextFile.decode(found.data, path: "Sources/\(found.name)") } catch {
                    missing[source.guid] = "its plain text Sources/\(found.name) is not UTF-8 (\(error))"
                }
            }
        }
        return Loaded(project: project, texts: texts, missingTexts: missing, richTexts: richTexts)
    }

    struct Problem: Error {
        var reason: String
    }

    /// The paragraphs of a `.docx` held in memory, read by the transcript module's Word reader
    /// (which reads archives from files, so the bytes go through a private temporary file).
    static func readDocx(_ data: Data, name: String) -> RichText {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("triangulate-twin-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).docx")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try data.write(to: file, options: .withoutOverwriting)
            return .paragraphs(try DocxReader.paragraphTexts(at: file, displayPath: name))
        } catch let error as LocatedError {
            return .unreadable(error.message)
        } catch {
            return .unreadable("\(error)")
        }
    }

    private final class ProjectDelegate: NSObject, XMLParserDelegate {
        var project = REFIProject(name: "", codebook: REFIQDACodebook.Exchange(codes: [], sets: [], hasCodeBook: false))
        var sawProject = false
        var problem: (line: Int, expected: String, found: String)?
        /// Element names from the root down.
        var path: [String] = []
        var source: REFIProject.TextSource?
        var other: REFIProject.OtherSource?
        var selection: REFIProject.TextSelection?
        var coding: REFIProject.SelectionCoding?
        var note: REFIProject.Note?
        var currentCase: REFIProject.Case?
        var valueVariable: String?
        var graph: REFIProject.Graph?
        var text: String?
        var variableNames: [String: String] = [:]

        static let otherKinds: [String: String] = [
            "PDFSource": "PDF", "PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video",
        ]

        /// The REFI-QDA 1.5 elements this reader knows outside other sources and graphs (whose
        /// insides are counted, not read): each is read, or listed in the report where it is not
        /// brought. Any other element is counted in `unknownElements`.
        static let knownElements: Set<String> = [
            "Project", "Users", "User", "CodeBook", "Codes", "Code", "Description", "Variables", "Variable", "Cases", "Case",
            "CodeRef", "VariableValue", "VariableRef", "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue",
            "DateTimeValue", "SourceRef", "SelectionRef", "Sources", "TextSource", "PlainTextContent", "PlainTextSelection",
            "Coding", "NoteRef", "Notes", "Note", "Links", "Link", "Sets", "Set", "MemberCode", "MemberSource", "MemberNote",
            "Graphs", "Graph", "Vertex", "Edge",
        ]
        var unknown: [String: Int] = [:]
        var unknownOrder: [String] = []
        /// Depth inside an element whose content is counted, not read (another source, a graph).
        var opaqueDepth = 0

        func fail(_ parser: XMLParser, _ expected: String, _ found: String) {
            if problem == nil { problem = (parser.lineNumber, expected, found) }
        }

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let parent = path.last
            path.append(element)
            if opaqueDepth > 0 {
                opaqueDepth += 1
            } else if !Self.knownElements.contains(element) && Self.otherKinds[element] == nil {
                if unknown[element] == nil { unknownOrder.append(element) }
                unknown[element, default: 0] += 1
            }
            switch element {
            case "Project" where path.count == 1:
                sawProject = true
                project.name = attributes["name"] ?? ""
                project.origin = attributes["origin"]
            case "User" where parent == "Users":
                guard let guid = attributes["guid"] else { return fail(parser, "a <User> with a guid", "one without") }
                project.users.append(.init(guid: guid, name: attributes["name"] ?? attributes["id"] ?? guid))
            case "Variable" where parent == "Variables":
                guard let guid = attributes["guid"], let name = attributes["name"] else { return fail(parser, "a <Variable> with guid and name", "one without") }
                variableNames[guid] = name
                project.variables.append(.init(guid: guid, name: name, type: attributes["typeOfVariable"] ?? "Text"))
            case "Case" where parent == "Cases":
                currentCase = .init(guid: attributes["guid"] ?? "", name: attributes["name"] ?? attributes["guid"] ?? "case",
                                    description: nil, values: [], sourceRefs: [], codeRefs: [])
            case "SourceRef" where currentCase != nil:
                if let target = attributes["targetGUID"] { currentCase?.sourceRefs.append(target) }
            case "SelectionRef" where currentCase != nil:
                if let target = attributes["targetGUID"] { currentCase?.selectionRefs.append(target) }
            case "CodeRef" where currentCase != nil && coding == nil:
                if let target = attributes["targetGUID"] { currentCase?.codeRefs.append(target) }
            case "VariableRef":
                valueVariable = attributes["targetGUID"].map { variableNames[$0] ?? $0 }
            case "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue":
                text = ""
            case "TextSource" where parent == "Sources":
                guard let guid = attributes["guid"] else { return fail(parser, "a <TextSource> with a guid", "one without") }
                source = .init(guid: guid, name: attributes["name"] ?? guid, plainTextPath: attributes["plainTextPath"],
                               richTextPath: attributes["richTextPath"], content: nil, description: nil, selections: [],
                               sourceCodings: 0, noteRefs: [], values: [])
            case let kind where parent == "Sources" && Self.otherKinds[kind] != nil:
                other = .init(kind: Self.otherKinds[kind] ?? kind, guid: attributes["guid"] ?? "", name: attributes["name"] ?? "",
                              selections: 0, codings: 0)
                opaqueDepth = 1
            case "PlainTextSelection" where source != nil && parent == "TextSource":
                guard let guid = attributes["guid"] else { return fail(parser, "a <PlainTextSelection> with a guid", "one without") }
                guard let start = attributes["startPosition"].flatMap({ Int($0) }), let end = attributes["endPosition"].flatMap({ Int($0) }) else {
                    return fail(parser, "startPosition and endPosition as whole numbers on selection \(guid)",
                                "'\(attributes["startPosition"] ?? "")' and '\(attributes["endPosition"] ?? "")'")
                }
                selection = .init(guid: guid, name: attributes["name"], start: start, end: end, description: nil,
                                  creatingUser: attributes["creatingUser"], creationDateTime: attributes["creationDateTime"],
                                  codings: [], noteRefs: [], expectedText: nil)
            case let kind where kind.hasSuffix("Selection") && other != nil:
                other?.selections += 1
            case "Coding":
                if other != nil { other?.codings += 1; return }
                if selection != nil {
                    coding = .init(guid: attributes["guid"] ?? "", codeGUID: "", creatingUser: attributes["creatingUser"],
                                   creationDateTime: attributes["creationDateTime"], noteRefs: [])
                } else if source != nil {
                    source?.sourceCodings += 1
                }
            case "CodeRef" where coding != nil:
                coding?.codeGUID = attributes["targetGUID"] ?? ""
            case "NoteRef":
                guard let target = attributes["targetGUID"] else { return }
                if coding != nil { coding?.noteRefs.append(target) }
                else if selection != nil { selection?.noteRefs.append(target) }
                else if source != nil { source?.noteRefs.append(target) }
                else if path.count == 2 { project.projectNoteRefs.append(target) }
            case "Note" where parent == "Notes":
                note = .init(guid: attributes["guid"] ?? "", name: attributes["name"] ?? "note", text: nil, description: nil,
                             creatingUser: attributes["creatingUser"])
            case "Description", "PlainTextContent":
                text = ""
            case "Graph" where parent == "Graphs":
                graph = .init(guid: attributes["guid"] ?? "", name: attributes["name"] ?? "", vertices: 0, edges: 0)
                opaqueDepth = 1
            case "Vertex": graph?.vertices += 1
            case "Edge": graph?.edges += 1
            case "Link" where parent == "Links": project.linkCount += 1
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text? += string
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            path.removeLast()
            if opaqueDepth > 0 { opaqueDepth -= 1 }
            let parent = path.last
            switch element {
            case "Description":
                defer { text = nil }
                guard let value = text else { return }
                if parent == "PlainTextSelection" { selection?.description = value }
                else if parent == "TextSource" { source?.description = value }
                else if parent == "Note" { note?.description = value }
                else if parent == "Case" { currentCase?.description = value }
                else if parent == "Project" && path.count == 1 { project.description = value }
            case "PlainTextContent":
                defer { text = nil }
                if parent == "TextSource" { source?.content = text } else if parent == "Note" { note?.text = text }
            case "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue":
                if let variable = valueVariable, let value = text {
                    if currentCase != nil { currentCase?.values.append(.init(variable: variable, value: value)) }
                    else if source != nil { source?.values.append(.init(variable: variable, value: value)) }
                }
                text = nil
            case "Coding" where coding != nil:
                if let done = coding { selection?.codings.append(done) }
                coding = nil
            case "PlainTextSelection" where selection != nil && parent == "TextSource":
                if let done = selection { source?.selections.append(done) }
                selection = nil
            case "TextSource" where parent == "Sources":
                if let done = source { project.textSources.append(done) }
                source = nil
            case let kind where parent == "Sources" && Self.otherKinds[kind] != nil:
                if let done = other { project.otherSources.append(done) }
                other = nil
            case "Note" where parent == "Notes":
                if let done = note { project.notes.append(done) }
                note = nil
            case "Case" where parent == "Cases":
                if let done = currentCase { project.cases.append(done) }
                currentCase = nil
            case "Graph" where parent == "Graphs":
                if let done = graph { project.graphs.append(done) }
                graph = nil
            default: break
            }
        }
    }
}
