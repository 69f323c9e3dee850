import Core
import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads Word (`.docx`) transcripts as exported by Rev, Otter and Zoom.
///
/// The document's paragraphs (`w:p` in `word/document.xml`, including those in tables) become
/// lines: the text of their runs (`w:t`), with `w:tab` as a tab and `w:br`/`w:cr` as a line
/// break. The lines then go through the plain-text speaker logic, so Rev's `Speaker 1:` on a
/// paragraph of its own, followed by the words in the next paragraphs, and
/// `Speaker 1 (00:00:00):` both make turns. A turn's `line` is the paragraph number, counting from 1.
public struct DocxReader: Sendable {
    public var interviewerNames: Set<String>
    public var knownSpeakers: Set<String>

    public init(interviewerNames: Set<String>, knownSpeakers: Set<String> = []) {
        self.interviewerNames = interviewerNames
        self.knownSpeakers = knownSpeakers
    }

    public func read(_ url: URL, displayPath: String) throws -> Transcript {
        let source = try SourceFile(url, displayPath: displayPath)
        let paragraphs = try Self.paragraphs(ofDocument: source.data, file: displayPath)
        var lines: [SourceLine] = []
        for (index, paragraph) in paragraphs.enumerated() {
            for line in TextFile.lines(paragraph) { lines.append(SourceLine(text: line, line: index + 1)) }
            if paragraph.isEmpty { lines.append(SourceLine(text: "", line: index + 1)) }
        }
        let reader = PlainTextReader(interviewerNames: interviewerNames, knownSpeakers: knownSpeakers)
        var transcript = try reader.parse(lines: lines, id: source.id, file: displayPath)
        transcript.sourceSHA256 = source.sha256
        return transcript
    }

    /// The text of every paragraph of a .docx file's main document, in document order.
    public static func paragraphs(ofDocument data: Data, file: String) throws -> [String] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw TranscriptError.unreadableDocument(file: file, reason: "expected a .docx file (a ZIP archive), found a file that is not a readable ZIP archive")
        }
        guard let entry = archive["word/document.xml"] else {
            throw TranscriptError.unreadableDocument(file: file, reason: "expected word/document.xml inside the archive, found none (is this a Word document?)")
        }
        var xml = Data()
        do { _ = try archive.extract(entry) { xml.append($0) } } catch {
            throw TranscriptError.unreadableDocument(file: file, reason: "word/document.xml is damaged inside the archive (\(error))")
        }
        let collector = ParagraphCollector()
        let parser = XMLParser(data: xml)
        parser.delegate = collector
        // On Linux, parse() may return true after an error, so the delegate's record decides.
        let succeeded = parser.parse()
        if let failure = collector.firstError ?? (succeeded ? nil : (parser.parserError, parser.lineNumber, parser.columnNumber)) {
            throw TranscriptError.unreadableDocument(
                file: file,
                reason: "expected well-formed XML in word/document.xml, found \(Self.describe(failure.error)) at its line \(failure.line), column \(failure.column)")
        }
        return collector.paragraphs
    }
}

extension DocxReader {
    /// Plain words for the XML errors a damaged document shows most.
    fileprivate static func describe(_ error: Error?) -> String {
        guard let error else { return "an unknown error" }
        // The codes are libxml2's, which XMLParser passes on (NSXMLParserErrorDomain).
        switch (error as NSError).code {
        case 76: return "an end tag that does not match its start tag"
        case 5: return "the end of the document inside an element"
        case 4: return "an empty document"
        case 73: return "a tag without its closing '>'"
        case 26, 27: return "an undeclared entity reference"
        default: return "XML error \((error as NSError).code)"
        }
    }
}

/// Collects paragraph texts from WordprocessingML. Element names are matched by their local
/// part, whatever prefix the document binds to the namespace.
private final class ParagraphCollector: NSObject, XMLParserDelegate {
    var paragraphs: [String] = []
    /// Open paragraphs; a text box inside a paragraph nests another one.
    private var open: [String] = []
    private var runDepth = 0
    private var inText = false
    /// The first error the parser reported, and where.
    var firstError: (error: Error?, line: Int, column: Int)?

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if firstError == nil { firstError = (parseError, parser.lineNumber, parser.columnNumber) }
    }

    private static func localName(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return name[...] }
        return name[name.index(after: colon)...]
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        switch Self.localName(elementName) {
        case "p": open.append("")
        case "r": runDepth += 1
        case "t": inText = runDepth > 0 && !open.isEmpty
        case "tab" where runDepth > 0 && !open.isEmpty: open[open.count - 1].append("\t")
        case "br", "cr": if runDepth > 0 && !open.isEmpty { open[open.count - 1].append("\n") }
        case "noBreakHyphen" where runDepth > 0 && !open.isEmpty: open[open.count - 1].append("-")
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch Self.localName(elementName) {
        case "p": if let paragraph = open.popLast() { paragraphs.append(paragraph) }
        case "r": runDepth = max(0, runDepth - 1)
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { open[open.count - 1].append(string) }
    }
}
