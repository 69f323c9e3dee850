import Core
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads Word (`.docx`) transcripts as exported by Rev, Otter and Zoom, with the memos that come
/// with them.
///
/// The document's paragraphs (`w:p` in `word/document.xml`, including those in tables) become
/// lines: the text of their runs (`w:t`), with `w:tab` as a tab and `w:br`/`w:cr` as a line
/// break. The lines then go through the plain-text speaker logic, so Rev's `Speaker 1:` on a
/// paragraph of its own, followed by the words in the next paragraphs, and
/// `Speaker 1 (00:00:00):` both make turns. A turn's `line` is the paragraph number, counting from 1.
///
/// Memos: Rev's "transcripts with memos" mark a memo with a raised run holding its number (in the
/// ICSE 2023 exports also small and shaded) after the words it is about, and list the memo texts
/// after a last paragraph reading "Annotations", each starting with its raised number and running
/// on over the following paragraphs. When such a section exists, its memos are attached to their
/// markers' turns and offsets, the markers leave the spoken text, and the section is never read as
/// speech. A raised run of digits that names no memo stays in the text (it may be an exponent);
/// digits run together (`2625` for 26 and 25) or listed (`5,6`) are split into the memos they
/// name (see `memoNumbers(_:among:)`). Word comments (`word/comments.xml`, anchored by `commentRangeStart`/`commentRangeEnd` or
/// only by their `commentReference`) become memos on their span.
///
/// The archive is read through `ZipArchive`, so a damaged or hostile file is refused with an error
/// rather than trusted.
public struct DocxReader: Sendable {
    public var interviewerNames: Set<String>
    public var knownSpeakers: Set<String>

    public init(interviewerNames: Set<String>, knownSpeakers: Set<String> = []) {
        self.interviewerNames = interviewerNames
        self.knownSpeakers = knownSpeakers
    }

    public func read(_ url: URL, displayPath: String) throws -> Transcript {
        let source = try SourceFile(url, displayPath: displayPath)
        let document = try Self.document(at: url, file: displayPath)
        var transcript = try transcript(of: document, id: source.id, file: displayPath)
        transcript.sourceSHA256 = source.sha256
        return transcript
    }

    /// The text of each paragraph of the document at `url`, as this reader sees it (runs joined,
    /// `w:tab` a tab, `w:br` a line break, raised runs kept as their digits), before any speaker
    /// or memo logic: what a `.docx` twin of a plain text is compared by.
    public static func paragraphTexts(at url: URL, displayPath: String) throws -> [String] {
        try document(at: url, file: displayPath).paragraphs.map { $0.map(\.text).joined() }
    }

    // MARK: - The document

    /// What one paragraph is made of, in order.
    enum Piece {
        case text(String)
        /// A raised run of digits and separators: perhaps a memo marker.
        case raised(String)
        case commentStart(String)
        case commentEnd(String)
        case commentReference(String)

        var text: String {
            switch self {
            case .text(let text), .raised(let text): return text
            case .commentStart, .commentEnd, .commentReference: return ""
            }
        }
    }

    struct Comment {
        var id: String
        var author: String?
        var text: String
    }

    struct Document {
        var paragraphs: [[Piece]]
        var comments: [Comment]
    }

    static func document(at url: URL, file: String) throws -> Document {
        let archive: ZipArchive
        do { archive = try ZipArchive(url: url, displayPath: file) } catch let error as ZipError {
            if case .notAnArchive(_, let reason) = error {
                throw TranscriptError.unreadableDocument(file: file, reason: "expected a .docx file (a ZIP archive), found \(reason)")
            }
            throw TranscriptError.unreadableDocument(file: file, reason: error.message)
        }
        func member(_ path: String) throws -> Data? {
            do { return try archive.data(path) } catch let error as ZipError {
                throw TranscriptError.unreadableDocument(file: file, reason: error.message)
            }
        }
        guard let xml = try member("word/document.xml") else {
            throw TranscriptError.unreadableDocument(file: file, reason: "expected word/document.xml inside the archive, found none (is this a Word document?)")
        }
        let collector = ParagraphCollector()
        try parse(xml, with: collector, member: "word/document.xml", file: file)
        var comments: [Comment] = []
        if let commentsXML = try member("word/comments.xml") {
            let commentCollector = CommentCollector()
            try parse(commentsXML, with: commentCollector, member: "word/comments.xml", file: file)
            comments = commentCollector.comments
        }
        return Document(paragraphs: collector.paragraphs, comments: comments)
    }

    private static func parse(_ xml: Data, with delegate: XMLCollector, member: String, file: String) throws {
        if let problem = XMLInput.firstProblem(xml) {
            throw TranscriptError.unreadableDocument(
                file: file, reason: "expected XML \(problem.expected) in \(member), found \(problem.found.replacingOccurrences(of: " at line", with: " at its line"))")
        }
        // A stream, not `XMLParser(data:)`: on Linux the latter fails at the end of documents of
        // some megabytes (NVivo's 15,000-paragraph twin), the stream reads them whole.
        let parser = XMLParser(stream: InputStream(data: xml))
        parser.delegate = delegate
        // On Linux, parse() may return true after an error, so the delegate's record decides.
        let succeeded = parser.parse()
        if let failure = delegate.firstError ?? (succeeded ? nil : (parser.parserError, parser.lineNumber, parser.columnNumber)) {
            throw TranscriptError.unreadableDocument(
                file: file,
                reason: "expected well-formed XML in \(member), found \(describe(failure.error)) at its line \(failure.line), column \(failure.column)")
        }
    }

    // MARK: - Turns and memos

    /// Where an anchor placed in the text stands for.
    private enum Anchor {
        case annotation(Int)
        case commentStart(String)
        case commentEnd(String)
    }

    func transcript(of document: Document, id: String, file: String) throws -> Transcript {
        let paragraphs = document.paragraphs
        var warnings: [TranscriptWarning] = []
        // The memo section: the last "Annotations" paragraph followed by a numbered memo.
        var bodyEnd = paragraphs.count
        var notes: [(number: Int, text: String, line: Int)] = []
        if let heading = paragraphs.indices.last(where: { trimmed(paragraphs[$0].map(\.text).joined()).lowercased() == "annotations" }),
           paragraphs[(heading + 1)...].contains(where: { Self.leadingNumber($0) != nil }) {
            bodyEnd = heading
            for index in (heading + 1)..<paragraphs.count {
                let paragraph = paragraphs[index]
                if let (number, rest) = Self.leadingNumber(paragraph) {
                    notes.append((number, trimmed(rest), index + 1))
                } else {
                    let text = trimmed(paragraph.map(\.text).joined())
                    if text.isEmpty { continue }
                    if notes.isEmpty {
                        warnings.append(TranscriptWarning(location: SourceLocation(file: file, line: index + 1),
                                                          message: "a paragraph after the Annotations heading before its first numbered memo; kept as an unnumbered memo"))
                        notes.append((0, text, index + 1))
                    } else {
                        notes[notes.count - 1].text += (notes[notes.count - 1].text.isEmpty ? "" : "\n") + text
                    }
                }
            }
        }
        let noteNumbers = Set(notes.map(\.number))

        // Anchors are private-use scalars that occur nowhere in the document.
        var used: Set<UInt32> = []
        for paragraph in paragraphs { for piece in paragraph { for scalar in piece.text.unicodeScalars where scalar.value >= 0x10_0000 { used.insert(scalar.value) } } }
        var anchors: [Unicode.Scalar: Anchor] = [:]
        var nextAnchor: UInt32 = 0x10_0000
        func anchor(_ target: Anchor) -> Unicode.Scalar? {
            while used.contains(nextAnchor) { nextAnchor += 1 }
            guard nextAnchor <= 0x10_FFFD, let scalar = Unicode.Scalar(nextAnchor) else { return nil }
            nextAnchor += 1
            anchors[scalar] = target
            return scalar
        }

        var lines: [SourceLine] = []
        var markedNumbers: [Int: Int] = [:]
        for index in 0..<bodyEnd {
            var text = String.UnicodeScalarView()
            for piece in paragraphs[index] {
                switch piece {
                case .text(let words):
                    text.append(contentsOf: words.unicodeScalars)
                case .raised(let digits):
                    guard !noteNumbers.isEmpty, let numbers = Self.memoNumbers(digits, among: noteNumbers) else {
                        if !noteNumbers.isEmpty {
                            warnings.append(TranscriptWarning(location: SourceLocation(file: file, line: index + 1),
                                                              message: "a raised number '\(digits)' names no memo under Annotations; kept as text"))
                        }
                        text.append(contentsOf: digits.unicodeScalars)
                        continue
                    }
                    for number in numbers {
                        if let first = markedNumbers[number] {
                            warnings.append(TranscriptWarning(location: SourceLocation(file: file, line: index + 1),
                                                              message: "memo \(number) is marked again (first at paragraph \(first)); attached to its first marker"))
                        } else if let scalar = anchor(.annotation(number)) {
                            markedNumbers[number] = index + 1
                            text.append(scalar)
                        }
                    }
                case .commentStart(let id):
                    if let scalar = anchor(.commentStart(id)) { text.append(scalar) }
                case .commentEnd(let id), .commentReference(let id):
                    if let scalar = anchor(.commentEnd(id)) { text.append(scalar) }
                }
            }
            let paragraph = String(text)
            for line in TextFile.lines(paragraph) { lines.append(SourceLine(text: line, line: index + 1)) }
            if paragraph.isEmpty { lines.append(SourceLine(text: "", line: index + 1)) }
        }

        let reader = PlainTextReader(interviewerNames: interviewerNames, knownSpeakers: knownSpeakers)
        var transcript = try reader.parse(lines: lines, id: id, file: file)

        // Take the anchors out of the text, noting where each stood.
        var places: [String: [(turn: Int?, offset: Int)]] = [:]
        var annotationPlaces: [Int: (turn: Int?, offset: Int)] = [:]
        func strip(_ text: String, turn: Int?) -> String {
            guard text.unicodeScalars.contains(where: { anchors[$0] != nil }) else { return text }
            var kept = String.UnicodeScalarView()
            var found: [(Anchor, Int)] = []
            var count = 0
            for scalar in text.unicodeScalars {
                if let target = anchors[scalar] {
                    found.append((target, count))
                } else {
                    kept.append(scalar)
                    count += 1
                }
            }
            // Anchors at either end leave white space behind, which goes as the reader trims turns.
            let leading = kept.prefix { $0.properties.isWhitespace }.count
            let result = trimmed(String(kept))
            let length = result.unicodeScalars.count
            for (target, raw) in found {
                let offset = min(max(0, raw - leading), length)
                switch target {
                case .annotation(let number): annotationPlaces[number] = (turn, offset)
                case .commentStart(let id): places["s" + id, default: []].append((turn, offset))
                case .commentEnd(let id): places["e" + id, default: []].append((turn, offset))
                }
            }
            return result
        }
        transcript.preamble = strip(transcript.preamble, turn: nil)
        for index in transcript.turns.indices {
            transcript.turns[index].text = strip(transcript.turns[index].text, turn: transcript.turns[index].number)
        }

        var memos: [Memo] = []
        for note in notes {
            let place = annotationPlaces[note.number]
            if place == nil {
                warnings.append(TranscriptWarning(location: SourceLocation(file: file, line: note.line),
                                                  message: note.number == 0 ? "an unnumbered memo has no place in the text; kept on the transcript"
                                                                            : "no marker in the text names memo \(note.number); kept on the transcript"))
            }
            memos.append(Memo(kind: .annotation, number: note.number == 0 ? nil : note.number, text: note.text,
                              turn: place?.turn, start: place?.offset ?? 0, end: place?.offset ?? 0, line: note.line))
        }
        for comment in document.comments {
            let start = places["s" + comment.id]?.first
            let end = places["e" + comment.id]?.last
            guard let end = end ?? start else {
                warnings.append(TranscriptWarning(location: SourceLocation(file: file),
                                                  message: "the Word comment \(comment.id) is anchored nowhere in the text; kept on the transcript"))
                memos.append(Memo(kind: .comment, text: comment.text, author: comment.author, turn: nil, start: 0, end: 0,
                                  line: 0))
                continue
            }
            let from = start ?? end
            // A span that starts in the preamble and ends in a turn starts at that turn's beginning.
            let startTurn = from.turn ?? end.turn
            let startOffset = from.turn == nil && end.turn != nil ? 0 : from.offset
            let line = startTurn.flatMap { number in transcript.turns.first { $0.number == number }?.line } ?? 0
            memos.append(Memo(kind: .comment, text: comment.text, author: comment.author, turn: startTurn, start: startOffset,
                              endTurn: end.turn, end: end.offset, line: line))
        }
        transcript.memos += memos
        transcript.warnings = transcript.warnings + warnings
        return transcript
    }

    /// The memo number a memo paragraph starts with (a raised run of digits), and the rest.
    private static func leadingNumber(_ paragraph: [Piece]) -> (Int, String)? {
        guard let first = paragraph.firstIndex(where: { !$0.text.allSatisfy(\.isWhitespace) }),
              case .raised(let digits) = paragraph[first],
              let number = Int(digits.trimmingCharacters(in: .whitespaces)), number > 0 else { return nil }
        return (number, paragraph[(first + 1)...].map(\.text).joined())
    }

    /// The memos a raised run names: one number, a list (`5,6`), or numbers run together (`2625`)
    /// that split into memo numbers one way only among the splits into the fewest numbers
    /// (`2625` is 26 and 25 rather than 2, 6 and 25).
    static func memoNumbers(_ digits: String, among known: Set<Int>) -> [Int]? {
        let parts = digits.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" })
        guard !parts.isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }) else { return nil }
        if parts.count > 1 {
            let numbers = parts.compactMap { Int($0) }
            return numbers.count == parts.count && numbers.allSatisfy(known.contains) ? numbers : nil
        }
        let run = Array(parts[0])
        guard run.count <= 12 else { return nil }
        if let number = Int(String(run)), known.contains(number) { return [number] }
        // Every way of cutting the run into known numbers; accepted only when there is one.
        func splits(_ from: Int) -> [[Int]] {
            if from == run.count { return [[]] }
            var result: [[Int]] = []
            for end in (from + 1)...run.count where run[from] != "0" {
                guard let number = Int(String(run[from..<end])), known.contains(number) else { continue }
                for rest in splits(end) { result.append([number] + rest) }
            }
            return result
        }
        let found = splits(0).filter { $0.count > 1 && Set($0).count == $0.count }
        guard let fewest = found.map(\.count).min() else { return nil }
        let best = found.filter { $0.count == fewest }
        return best.count == 1 ? best[0] : nil
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

/// An XMLParser delegate that keeps the first error it is told of, and refuses nesting deeper
/// than 1,000 elements (no real document comes near; a hostile one could exhaust the stack of
/// whatever walks it).
private class XMLCollector: NSObject, XMLParserDelegate {
    static let maximumDepth = 1_000
    var firstError: (error: Error?, line: Int, column: Int)?
    var depth = 0

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if firstError == nil { firstError = (parseError, parser.lineNumber, parser.columnNumber) }
    }

    /// Counts the depth; false (and the parse aborted) past the limit.
    func enter(_ parser: XMLParser) -> Bool {
        depth += 1
        guard depth <= Self.maximumDepth else {
            if firstError == nil {
                firstError = (NSError(domain: "Triangulate", code: 1, userInfo: [NSLocalizedDescriptionKey: "elements nested deeper than \(Self.maximumDepth)"]),
                              parser.lineNumber, parser.columnNumber)
            }
            parser.abortParsing()
            return false
        }
        return true
    }

    // The subclasses override these: on Linux the protocol's witnesses are this class's methods,
    // so a method declared only in a subclass would never be called.
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {}

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {}

    func parser(_ parser: XMLParser, foundCharacters string: String) {}

    static func localName(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return name[...] }
        return name[name.index(after: colon)...]
    }
}

/// Collects paragraphs from WordprocessingML as pieces: run texts, raised digit runs, comment
/// anchors. Element names are matched by their local part, whatever prefix the document binds.
private final class ParagraphCollector: XMLCollector {
    var paragraphs: [[DocxReader.Piece]] = []
    /// Open paragraphs; a text box inside a paragraph nests another one.
    private var open: [[DocxReader.Piece]] = []
    /// Open runs: their text so far, whether they are raised, and the paragraph they belong to.
    private var runs: [(text: String, raised: Bool, paragraph: Int)] = []
    private var inText = false
    private var inRunProperties = false
    /// Comment range starts met between paragraphs, for the next paragraph.
    private var pendingStarts: [DocxReader.Piece] = []

    private func append(_ text: String) {
        guard !runs.isEmpty, !open.isEmpty else { return }
        runs[runs.count - 1].text += text
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard enter(parser) else { return }
        let id = attributeDict.first { Self.localName($0.key) == "id" }?.value ?? ""
        let value = attributeDict.first { Self.localName($0.key) == "val" }?.value
        switch Self.localName(elementName) {
        case "p":
            open.append(pendingStarts)
            pendingStarts = []
        case "r":
            runs.append(("", false, open.count - 1))
        case "rPr" where !runs.isEmpty:
            inRunProperties = true
        case "position" where inRunProperties:
            if let value, let points = Int(value), points > 0 { runs[runs.count - 1].raised = true }
        case "vertAlign" where inRunProperties:
            if value == "superscript" { runs[runs.count - 1].raised = true }
        case "t": inText = !runs.isEmpty && !open.isEmpty
        case "tab" where !runs.isEmpty && !inRunProperties: append("\t")
        case "br", "cr": if !runs.isEmpty { append("\n") }
        case "noBreakHyphen" where !runs.isEmpty: append("-")
        case "commentRangeStart":
            if open.isEmpty { pendingStarts.append(.commentStart(id)) } else { open[open.count - 1].append(.commentStart(id)) }
        case "commentRangeEnd":
            if !open.isEmpty {
                open[open.count - 1].append(.commentEnd(id))
            } else if !paragraphs.isEmpty {
                paragraphs[paragraphs.count - 1].append(.commentEnd(id))
            }
        case "commentReference":
            // A reference without a range marks a point; after a range's end it adds nothing.
            if !open.isEmpty { open[open.count - 1].append(.commentReference(id)) }
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        depth -= 1
        switch Self.localName(elementName) {
        case "p": if let paragraph = open.popLast() { paragraphs.append(paragraph) }
        case "r":
            guard let run = runs.popLast() else { break }
            guard run.paragraph >= 0, run.paragraph < open.count, !run.text.isEmpty else { break }
            let isNumber = run.text.contains(where: \.isASCIIDigitCharacter)
                && run.text.allSatisfy { $0.isASCIIDigitCharacter || $0 == "," || $0 == " " || $0 == ";" }
            open[run.paragraph].append(run.raised && isNumber ? .raised(run.text) : .text(run.text))
        case "rPr": inRunProperties = false
        case "t": inText = false
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { append(string) }
    }
}

/// Collects the comments of `word/comments.xml`: id, author and the text of their paragraphs.
private final class CommentCollector: XMLCollector {
    var comments: [DocxReader.Comment] = []
    private var current: (id: String, author: String?, paragraphs: [String])?
    private var inText = false

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                         qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard enter(parser) else { return }
        switch Self.localName(elementName) {
        case "comment":
            let id = attributeDict.first { Self.localName($0.key) == "id" }?.value ?? ""
            let author = attributeDict.first { Self.localName($0.key) == "author" }?.value
            current = (id, author, [])
        case "p": current?.paragraphs.append("")
        case "t": inText = current != nil
        case "tab": if current?.paragraphs.isEmpty == false { current!.paragraphs[current!.paragraphs.count - 1] += "\t" }
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        depth -= 1
        switch Self.localName(elementName) {
        case "comment":
            if let comment = current {
                comments.append(DocxReader.Comment(id: comment.id, author: comment.author,
                                                   text: trimmed(comment.paragraphs.map(trimmed).joined(separator: "\n"))))
            }
            current = nil
        case "t": inText = false
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard inText, current != nil else { return }
        if current!.paragraphs.isEmpty { current!.paragraphs.append("") }
        current!.paragraphs[current!.paragraphs.count - 1] += string
    }
}
