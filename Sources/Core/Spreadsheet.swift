import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One cell of a sheet, typed as the workbook stores it.
public enum SpreadsheetCell: Sendable, Equatable {
    case empty
    case text(String)
    case number(Double)
    /// A number the cell's format shows as a date: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` when
    /// the format shows a time.
    case date(String)
    case boolean(Bool)
    /// A formula error as the sheet shows it (`#DIV/0!`, `#N/A`).
    case error(String)

    /// The cell as text: numbers without a trailing `.0`, dates in ISO 8601, booleans as
    /// `TRUE`/`FALSE` as spreadsheets show them, empty as "".
    public var text: String {
        switch self {
        case .empty: return ""
        case .text(let text), .date(let text), .error(let text): return text
        case .boolean(let value): return value ? "TRUE" : "FALSE"
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        }
    }
}

/// A sheet read from an .xlsx workbook or a CSV file: rows of cells, the first row first.
///
/// Rows keep their place: an empty row in the sheet is an empty row here, so `row + 1` is the
/// row number a spreadsheet shows. Rows are as long as their last non-empty cell.
public struct Spreadsheet: Sendable, Equatable {
    /// The sheet's name (for CSV, the file's name without extension).
    public var name: String
    public var rows: [[SpreadsheetCell]]

    public init(name: String, rows: [[SpreadsheetCell]]) {
        self.name = name
        self.rows = rows
    }

    /// The cell at a zero-based row and column; `.empty` outside the rows.
    public subscript(row: Int, column: Int) -> SpreadsheetCell {
        guard rows.indices.contains(row), rows[row].indices.contains(column) else { return .empty }
        return rows[row][column]
    }

    /// A column's letters as a spreadsheet shows them: 0 → A, 26 → AA.
    public static func columnName(_ column: Int) -> String {
        var name = "", index = column + 1
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }
}

/// Why a spreadsheet could not be read.
public enum SpreadsheetError: LocatedError, Equatable {
    case unreadable(file: String, reason: String)
    /// A part of the workbook (`xl/worksheets/sheet1.xml`) is damaged or not what it should be.
    case damaged(file: String, part: String, reason: String)
    case noSuchSheet(file: String, sheet: String, available: [String])

    public var location: SourceLocation? {
        switch self {
        case .unreadable(let file, _), .noSuchSheet(let file, _, _): return SourceLocation(file: file)
        case .damaged(let file, let part, _): return SourceLocation(file: "\(file)!\(part)")
        }
    }

    public var message: String {
        switch self {
        case .unreadable(_, let reason), .damaged(_, _, let reason): return reason
        case .noSuchSheet(_, let sheet, let available):
            return "expected a sheet named '\(sheet)', found only \(available.map { "'\($0)'" }.joined(separator: ", "))"
        }
    }
}

/// Reads the first sheet, or a named one, of an Excel workbook (.xlsx, .xlsm) or a CSV file.
///
/// An .xlsx file is a ZIP archive of XML parts (ECMA-376): `xl/workbook.xml` lists the sheets,
/// its relationships name each sheet's part, cells refer to `xl/sharedStrings.xml` or hold inline
/// strings, and a number is a date only through its style's number format (`xl/styles.xml`),
/// which is why the styles are read too. Formulas are not evaluated; their cached values are read.
/// A password-protected workbook is not a ZIP archive but an encrypted OLE container; that, a
/// legacy .xls, and a workbook with macro sheets but no worksheet are refused with what to do.
public enum SpreadsheetReader {
    /// Parts larger than this are refused, so a crafted archive cannot exhaust memory.
    public static let maximumPartSize = 256 << 20

    /// Reads by content: a ZIP archive is a workbook, an OLE container is refused, and a `.csv`
    /// (or `.txt`) file that is neither is read as CSV (UTF-8).
    public static func read(_ url: URL, displayPath: String, sheet: String? = nil) throws -> Spreadsheet {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SpreadsheetError.unreadable(file: displayPath, reason: "no such file, or no permission to read it")
        }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return try workbook(data, at: url, file: displayPath, sheet: sheet)
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw oleError(data, file: displayPath)
        }
        let ext = url.pathExtension.lowercased()
        if ["xlsx", "xlsm", "xltx", "xltm", "xls"].contains(ext) {
            throw SpreadsheetError.unreadable(file: displayPath, reason: "expected an Excel workbook (a ZIP archive), found a file that is neither a ZIP archive nor an OLE container")
        }
        guard ["csv", "txt"].contains(ext) else {
            throw SpreadsheetError.unreadable(file: displayPath, reason: "expected an .xlsx workbook or a .csv file, found a .\(ext.isEmpty ? "(no extension)" : ext) file that is neither")
        }
        if sheet != nil {
            throw SpreadsheetError.unreadable(file: displayPath, reason: "a CSV file has no sheets; expected no sheet name")
        }
        return try csv(TextFile.decode(data, path: displayPath), file: displayPath,
                       name: url.deletingPathExtension().lastPathComponent)
    }

    /// CSV text as a sheet of text cells (empty fields are `.empty`); see `CSVText`.
    public static func csv(_ text: String, file: String, name: String) throws -> Spreadsheet {
        let records = try CSVText.parse(text, file: file)
        var rows: [[SpreadsheetCell]] = []
        for record in records {
            // CSVText skips blank lines; keep rows at their line so row numbers stay true.
            while rows.count + 1 < record.line { rows.append([]) }
            var cells = record.fields.map { $0.isEmpty ? SpreadsheetCell.empty : .text($0) }
            while cells.last == .empty { cells.removeLast() }
            rows.append(cells)
        }
        return Spreadsheet(name: name, rows: rows)
    }

    /// An OLE compound file: Office's container for encrypted OOXML (it holds an
    /// `EncryptedPackage` stream) and for legacy .xls workbooks.
    private static func oleError(_ data: Data, file: String) -> SpreadsheetError {
        let marker = Data("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        if data.range(of: marker) != nil {
            return .unreadable(file: file, reason: "this workbook is password-protected (an encrypted OLE container); expected an unencrypted .xlsx: open it in Excel, remove the password (File → Info → Protect Workbook) and save it again")
        }
        return .unreadable(file: file, reason: "this is a legacy Excel 97–2003 workbook (an OLE container, .xls); expected .xlsx: save it as an Excel Workbook (.xlsx) or as CSV")
    }

    /// The cells of one sheet of an .xlsx workbook held in memory.
    public static func workbook(_ data: Data, file: String, sheet wanted: String? = nil) throws -> Spreadsheet {
        // ZIPFoundation's in-memory archives trap when a damaged directory points past the end
        // of the data (a negative read size); file-backed ones read nothing there. So the bytes
        // go to a temporary file first.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("triangulate-\(UUID().uuidString).xlsx")
        do { try data.write(to: url) } catch {
            throw SpreadsheetError.unreadable(file: file, reason: "cannot write a temporary copy to read it (\(url.path))")
        }
        defer { try? FileManager.default.removeItem(at: url) }
        return try workbook(data, at: url, file: file, sheet: wanted)
    }

    /// A workbook whose bytes are `data`, also stored at `url`.
    private static func workbook(_ data: Data, at url: URL, file: String, sheet wanted: String?) throws -> Spreadsheet {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw SpreadsheetError.unreadable(file: file, reason: "expected an Excel workbook (a ZIP archive), found a damaged ZIP archive")
        }
        let package = WorkbookPackage(archive: archive, bytes: data, file: file)
        let workbookPath = try package.officeDocument()
        guard let workbookXML = try package.part(workbookPath) else {
            throw SpreadsheetError.unreadable(file: file, reason: "expected an Excel workbook, found a ZIP archive without \(workbookPath) (is it a Word or PowerPoint file?)")
        }
        let workbook = try WorkbookParser.parse(workbookXML, file: file, part: workbookPath)
        let relationships = try package.relationships(of: workbookPath)
        if workbook.sheets.isEmpty {
            let macroSheets = archive.filter { $0.path.hasPrefix("xl/macrosheets/") }.count
            let hasVBA = archive[Self.directory(of: workbookPath) + "vbaProject.bin"] != nil
            if macroSheets > 0 || hasVBA {
                throw SpreadsheetError.unreadable(file: file, reason: "this workbook holds only macros (\(macroSheets) macro sheet(s)\(hasVBA ? " and a VBA project" : "")) and no worksheet; expected a sheet of cells")
            }
            throw SpreadsheetError.unreadable(file: file, reason: "this workbook lists no sheets; expected at least one worksheet")
        }
        let worksheets = workbook.sheets.filter { relationships[$0.relationship]?.type.hasSuffix("/worksheet") ?? false }
        let chosen: WorkbookParser.Sheet
        if let wanted {
            guard let match = workbook.sheets.first(where: { $0.name == wanted }) else {
                throw SpreadsheetError.noSuchSheet(file: file, sheet: wanted, available: workbook.sheets.map(\.name))
            }
            guard worksheets.contains(match) else {
                throw SpreadsheetError.unreadable(file: file, reason: "sheet '\(wanted)' is a chart or macro sheet, not a sheet of cells")
            }
            chosen = match
        } else {
            guard let first = worksheets.first else {
                let macro = workbook.sheets.contains { relationships[$0.relationship]?.type.hasSuffix("/xlMacrosheet") ?? false }
                throw SpreadsheetError.unreadable(file: file, reason: macro
                    ? "this workbook holds only macro sheets and no worksheet; expected a sheet of cells"
                    : "this workbook holds no worksheet (only \(workbook.sheets.map { "'\($0.name)'" }.joined(separator: ", ")), which are charts); expected a sheet of cells")
            }
            chosen = first
        }
        guard let target = relationships[chosen.relationship] else {
            throw SpreadsheetError.damaged(file: file, part: workbookPath, reason: "sheet '\(chosen.name)' refers to relationship '\(chosen.relationship)', which \(relationshipsPath(of: workbookPath)) does not define")
        }
        var shared: [String] = []
        if let path = relationships.values.first(where: { $0.type.hasSuffix("/sharedStrings") })?.path, let xml = try package.part(path) {
            shared = try SharedStringsParser.parse(xml, file: file, part: path)
        }
        var styles = Styles()
        if let path = relationships.values.first(where: { $0.type.hasSuffix("/styles") })?.path, let xml = try package.part(path) {
            styles = try StylesParser.parse(xml, file: file, part: path)
        }
        guard let sheetXML = try package.part(target.path) else {
            throw SpreadsheetError.damaged(file: file, part: target.path, reason: "sheet '\(chosen.name)' should be in \(target.path), which the archive does not hold")
        }
        let rows = try SheetParser.parse(sheetXML, file: file, part: target.path, shared: shared, styles: styles,
                                         date1904: workbook.date1904)
        return Spreadsheet(name: chosen.name, rows: rows)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    static func relationshipsPath(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return directory(of: path) + "_rels/" + name + ".rels"
    }
}

// MARK: The package (ZIP archive of parts)

/// A relationship target, resolved to a path inside the archive.
struct Relationship {
    var type: String
    var path: String
}

private struct WorkbookPackage {
    let archive: Archive
    /// The archive's bytes, for inflating compressed parts with bounded input (see `part`).
    let bytes: Data
    let file: String

    private struct Truncated: Error {}

    /// The bytes of a part, or nil when the archive has no such part.
    ///
    /// ZIPFoundation's `extract` loops for ever on a deflate stream that never ends (its input
    /// provider returns nothing at the end of the archive and the loop waits for the stream's
    /// end), so a damaged workbook would hang. A compressed part is therefore inflated here from
    /// exactly its compressed bytes, and running out of them is an error.
    func part(_ path: String) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= UInt64(SpreadsheetReader.maximumPartSize) else {
            throw SpreadsheetError.damaged(file: file, part: path, reason: "this part is \(entry.uncompressedSize) bytes uncompressed; expected at most \(SpreadsheetReader.maximumPartSize)")
        }
        let damaged = SpreadsheetError.damaged(file: file, part: path, reason: "this part is damaged inside the archive and cannot be unpacked")
        var data = Data()
        let consumer: Consumer = { chunk in
            guard data.count + chunk.count <= SpreadsheetReader.maximumPartSize else { throw CocoaError(.fileReadTooLarge) }
            data.append(chunk)
        }
        do {
            if entry.isCompressed {
                guard let start = dataOffset(of: entry), entry.compressedSize <= UInt64(bytes.count - start) else { throw damaged }
                let compressed = bytes[(bytes.startIndex + start)..<(bytes.startIndex + start + Int(entry.compressedSize))]
                let checksum = try Data.decompress(
                    size: Int64(compressed.count), bufferSize: 1 << 16, skipCRC32: false,
                    provider: { position, size in
                        let from = compressed.startIndex + Int(position)
                        guard from < compressed.endIndex else { throw Truncated() }
                        return Data(compressed[from..<min(from + size, compressed.endIndex)])
                    }, consumer: consumer)
                guard checksum == entry.checksum, data.count == Int(entry.uncompressedSize) else { throw damaged }
            } else {
                _ = try archive.extract(entry, consumer: consumer)
            }
        } catch {
            throw damaged
        }
        return data
    }

    /// Where an entry's data starts: after its local file header (signature, 26 bytes of fields,
    /// then the name and the extra field), found by its signature and name.
    private func dataOffset(of entry: Entry) -> Int? {
        let signature = Data([0x50, 0x4B, 0x03, 0x04])
        let name = Data(entry.path.utf8)
        var from = bytes.startIndex
        while let found = bytes.range(of: signature, in: from..<bytes.endIndex) {
            let header = found.lowerBound
            from = found.upperBound
            guard header + 30 <= bytes.endIndex else { return nil }
            let nameLength = Int(bytes[header + 26]) | Int(bytes[header + 27]) << 8
            let extraLength = Int(bytes[header + 28]) | Int(bytes[header + 29]) << 8
            let nameStart = header + 30
            guard nameStart + nameLength + extraLength <= bytes.endIndex else { continue }
            if bytes[nameStart..<(nameStart + nameLength)] == name {
                return nameStart + nameLength + extraLength - bytes.startIndex
            }
        }
        return nil
    }

    /// The main document's path, from the package relationships (usually `xl/workbook.xml`).
    func officeDocument() throws -> String {
        guard let xml = try part("_rels/.rels") else { return "xl/workbook.xml" }
        let relationships = try RelationshipsParser.parse(xml, file: file, part: "_rels/.rels", base: "")
        return relationships.values.first { $0.type.hasSuffix("/officeDocument") }?.path ?? "xl/workbook.xml"
    }

    /// A part's relationships by id, targets resolved against the part's folder.
    func relationships(of path: String) throws -> [String: Relationship] {
        let relsPath = SpreadsheetReader.relationshipsPath(of: path)
        guard let xml = try part(relsPath) else { return [:] }
        return try RelationshipsParser.parse(xml, file: file, part: relsPath, base: SpreadsheetReader.directory(of: path))
    }
}

// MARK: XML parts

/// Runs an XMLParser over a part, turning any XML error into a located `SpreadsheetError`.
/// Element and attribute names are matched by their local part, whatever prefix binds them.
private class PartParser: NSObject, XMLParserDelegate {
    let file: String
    let part: String
    var failure: SpreadsheetError?

    init(file: String, part: String) {
        self.file = file
        self.part = part
    }

    func run(_ data: Data) throws {
        // XMLParser crashes on some inputs (see `XMLInput`).
        if let problem = XMLInput.firstProblem(data) {
            throw SpreadsheetError.damaged(file: file, part: part, reason: "expected XML \(problem.expected), found \(problem.found)")
        }
        let parser = XMLParser(data: data)
        parser.delegate = self
        let succeeded = parser.parse()
        if let failure { throw failure }
        if !succeeded {
            let code = (parser.parserError as NSError?)?.code ?? 0
            throw SpreadsheetError.damaged(file: file, part: part, reason: "expected well-formed XML, found XML error \(code) at its line \(parser.lineNumber), column \(parser.columnNumber)")
        }
    }

    func fail(_ reason: String, _ parser: XMLParser) {
        if failure == nil {
            failure = .damaged(file: file, part: part, reason: "\(reason) (at its line \(parser.lineNumber))")
        }
        parser.abortParsing()
    }

    // Subclasses override these: on Linux the delegate is called through this class's protocol
    // conformance, so a method only a subclass declares would never be reached.
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {}

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {}

    func parser(_ parser: XMLParser, foundCharacters string: String) {}

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if failure == nil {
            failure = .damaged(file: file, part: part, reason: "expected well-formed XML, found XML error \((parseError as NSError).code) at its line \(parser.lineNumber), column \(parser.columnNumber)")
        }
    }

    static func local(_ name: String) -> Substring {
        name.lastIndex(of: ":").map { name[name.index(after: $0)...] } ?? name[...]
    }

    static func attribute(_ attributes: [String: String], _ name: String) -> String? {
        if let value = attributes[name] { return value }
        return attributes.first { local($0.key) == name }?.value
    }
}

private final class RelationshipsParser: PartParser {
    var base = ""
    var found: [String: Relationship] = [:]

    static func parse(_ data: Data, file: String, part: String, base: String) throws -> [String: Relationship] {
        let parser = RelationshipsParser(file: file, part: part)
        parser.base = base
        try parser.run(data)
        return parser.found
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        guard Self.local(elementName) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        if attributes["TargetMode"] == "External" { return }
        found[id] = Relationship(type: attributes["Type"] ?? "", path: Self.resolve(target, base: base))
    }

    /// A target relative to `base` (or absolute, from the archive root), with `..` resolved.
    static func resolve(_ target: String, base: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : base + target
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else if part != "." { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }
}

private final class WorkbookParser: PartParser {
    struct Sheet: Equatable {
        var name: String
        var relationship: String
    }

    var sheets: [Sheet] = []
    var date1904 = false

    static func parse(_ data: Data, file: String, part: String) throws -> WorkbookParser {
        let parser = WorkbookParser(file: file, part: part)
        try parser.run(data)
        return parser
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "sheet":
            guard let name = attributes["name"], let id = attributes.first(where: { $0.key.hasSuffix(":id") })?.value else {
                return fail("expected a <sheet> with a name and an r:id, found one without", parser)
            }
            sheets.append(Sheet(name: name, relationship: id))
        case "workbookPr":
            date1904 = ["1", "true"].contains(attributes["date1904"] ?? "")
        default: break
        }
    }
}

private final class SharedStringsParser: PartParser {
    var strings: [String] = []
    var current = ""
    var inItem = false, inText = false
    /// Phonetic runs (`rPh`) annotate East Asian text; their text is not the cell's.
    var phoneticDepth = 0

    static func parse(_ data: Data, file: String, part: String) throws -> [String] {
        let parser = SharedStringsParser(file: file, part: part)
        try parser.run(data)
        return parser.strings
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "si": inItem = true; current = ""
        case "rPh": phoneticDepth += 1
        case "t": inText = inItem && phoneticDepth == 0
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch Self.local(elementName) {
        case "si": strings.append(current); inItem = false
        case "rPh": phoneticDepth -= 1
        case "t": inText = false
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// The number formats of the cell styles, enough to tell dates from numbers.
struct Styles {
    /// Per cell style index (`s` of a cell), its number format id.
    var formatOfStyle: [Int] = []
    /// Custom number formats by id.
    var customFormats: [Int: String] = [:]

    enum Kind { case number, date, dateTime }

    func kind(ofStyle style: Int) -> Kind {
        guard formatOfStyle.indices.contains(style) else { return .number }
        let id = formatOfStyle[style]
        if let code = customFormats[id] { return Self.kind(ofFormat: code) }
        switch id {
        case 14...17, 27...31, 34...36, 50...58: return .date
        case 18...22, 32, 33, 45...47: return .dateTime
        default: return .number
        }
    }

    /// Whether a format code shows a date or time: it has y, d, or h/s (m alone is ambiguous but
    /// never appears without them in a date format), outside quoted text, escapes and `[…]`
    /// sections such as colours and locales (elapsed-time sections like `[h]` count as time).
    static func kind(ofFormat code: String) -> Kind {
        if code.lowercased() == "general" { return .number }
        var date = false, time = false
        var inQuote = false, inBracket = false, escaped = false
        var bracket = ""
        for character in code.lowercased() {
            if escaped { escaped = false; continue }
            if inQuote { if character == "\"" { inQuote = false }; continue }
            if inBracket {
                if character == "]" {
                    inBracket = false
                    if ["h", "hh", "m", "mm", "s", "ss"].contains(bracket) { time = true }
                } else {
                    bracket.append(character)
                }
                continue
            }
            switch character {
            case "\\", "_", "*": escaped = true
            case "\"": inQuote = true
            case "[": inBracket = true; bracket = ""
            case "y", "d": date = true
            case "h", "s": time = true
            default: break
            }
        }
        if date { return time ? .dateTime : .date }
        return time ? .dateTime : .number
    }
}

private final class StylesParser: PartParser {
    var styles = Styles()
    var inCellXfs = false

    static func parse(_ data: Data, file: String, part: String) throws -> Styles {
        let parser = StylesParser(file: file, part: part)
        try parser.run(data)
        return parser.styles
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] { styles.customFormats[id] = code }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs:
            styles.formatOfStyle.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if Self.local(elementName) == "cellXfs" { inCellXfs = false }
    }
}

private final class SheetParser: PartParser {
    /// Excel's limits: 1,048,576 rows and 16,384 columns (XFD).
    static let maxRows = 1 << 20, maxColumns = 1 << 14

    var shared: [String] = []
    var styles = Styles()
    var date1904 = false
    var cells: [Int: [Int: SpreadsheetCell]] = [:]
    var row = 0, nextColumn = 0
    var cell: (column: Int, type: String, style: Int, reference: String)?
    var value = "", inline = ""
    var inValue = false, inInlineText = false, phoneticDepth = 0

    static func parse(_ data: Data, file: String, part: String, shared: [String], styles: Styles, date1904: Bool) throws -> [[SpreadsheetCell]] {
        let parser = SheetParser(file: file, part: part)
        parser.shared = shared
        parser.styles = styles
        parser.date1904 = date1904
        try parser.run(data)
        guard let last = parser.cells.keys.max() else { return [] }
        return (1...last).map { number in
            guard let row = parser.cells[number], let width = row.keys.max() else { return [] }
            return (0...width).map { row[$0] ?? .empty }
        }
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        switch Self.local(elementName) {
        case "row":
            if let text = attributes["r"] {
                guard let number = Int(text), number >= 1, number <= Self.maxRows else { return fail("expected a row number from 1 to \(Self.maxRows), found '\(text)'", parser) }
                row = number
            } else {
                row += 1
            }
            nextColumn = 0
        case "c":
            var column = nextColumn
            let reference = attributes["r"] ?? ""
            if !reference.isEmpty {
                guard let parsed = Self.column(of: reference) else { return fail("expected a cell reference such as B7, found '\(reference)'", parser) }
                column = parsed
            }
            guard column < Self.maxColumns else { return fail("expected at most \(Self.maxColumns) columns, found cell '\(reference)'", parser) }
            nextColumn = column + 1
            cell = (column, attributes["t"] ?? "n", attributes["s"].flatMap(Int.init) ?? 0,
                    reference.isEmpty ? Spreadsheet.columnName(column) + String(row) : reference)
            value = ""
            inline = ""
        case "v": inValue = cell != nil
        case "rPh": phoneticDepth += 1
        case "t": inInlineText = cell != nil && phoneticDepth == 0
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch Self.local(elementName) {
        case "v": inValue = false
        case "t": inInlineText = false
        case "rPh": phoneticDepth -= 1
        case "c":
            guard let current = cell else { return }
            cell = nil
            guard row >= 1 else { return fail("expected cells inside a <row>, found cell \(current.reference) outside", parser) }
            switch decode(current) {
            case .success(let decoded):
                if decoded != .empty { cells[row, default: [:]][current.column] = decoded }
            case .failure(let problem):
                fail("cell \(current.reference): \(problem.reason)", parser)
            }
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string } else if inInlineText { inline += string }
    }

    struct Problem: Error { var reason: String }

    private func decode(_ cell: (column: Int, type: String, style: Int, reference: String)) -> Result<SpreadsheetCell, Problem> {
        let raw = value.trimmingCharacters(in: .whitespacesAndNewlines)
        switch cell.type {
        case "s":
            guard let index = Int(raw), shared.indices.contains(index) else {
                return .failure(Problem(reason: "expected a shared-string index from 0 to \(shared.count - 1), found '\(raw)'"))
            }
            return .success(shared[index].isEmpty ? .empty : .text(shared[index]))
        case "inlineStr":
            return .success(inline.isEmpty ? .empty : .text(inline))
        case "str":
            return .success(value.isEmpty ? .empty : .text(value))
        case "b":
            guard raw == "0" || raw == "1" else { return .failure(Problem(reason: "expected a boolean 0 or 1, found '\(raw)'")) }
            return .success(.boolean(raw == "1"))
        case "e":
            return .success(.error(raw))
        case "d":
            return .success(raw.isEmpty ? .empty : .date(raw))
        case "n":
            if raw.isEmpty { return .success(.empty) }
            guard let number = Double(raw), number.isFinite else { return .failure(Problem(reason: "expected a number, found '\(raw)'")) }
            switch styles.kind(ofStyle: cell.style) {
            case .number: return .success(.number(number))
            case .date: return Self.date(serial: number, date1904: date1904, time: false).map { .success(.date($0)) } ?? .success(.number(number))
            case .dateTime: return Self.date(serial: number, date1904: date1904, time: true).map { .success(.date($0)) } ?? .success(.number(number))
            }
        default:
            return .failure(Problem(reason: "expected a cell type s, inlineStr, str, b, e, d or n, found '\(cell.type)'"))
        }
    }

    /// The zero-based column of a reference such as `AB12`.
    static func column(of reference: String) -> Int? {
        var column = 0, letters = 0, digits = 0
        for scalar in reference.unicodeScalars {
            if scalar.value >= 65 && scalar.value <= 90 && digits == 0 {
                column = column * 26 + Int(scalar.value - 64)
                letters += 1
                if letters > 3 { return nil }
            } else if scalar.value >= 48 && scalar.value <= 57 && letters > 0 {
                digits += 1
            } else {
                return nil
            }
        }
        return digits == 0 ? nil : column - 1
    }

    /// An Excel serial date as ISO 8601. In the 1900 system day 1 is 1900-01-01 and Excel
    /// counts a 29 February 1900 that never was, so serials from 61 on are one day ahead; day 60
    /// (the phantom day) and negative serials have no date. The 1904 system counts from 1904-01-01 = 0.
    static func date(serial: Double, date1904: Bool, time: Bool) -> String? {
        guard serial >= 0, serial < 2_958_466 else { return nil }
        var days = serial.rounded(.down)
        var seconds = ((serial - days) * 86400).rounded()
        if seconds >= 86400 { days += 1; seconds -= 86400 }
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        if days == 0 && !date1904 {
            // Serial 0 is Excel's "1900-01-00": a time of day without a date, or nothing.
            guard time else { return nil }
            let total = Int(seconds)
            return "\(pad(total / 3600)):\(pad(total / 60 % 60)):\(pad(total % 60))"
        }
        let epochOffset: Double
        if date1904 {
            epochOffset = 24107  // days from 1904-01-01 to 1970-01-01
        } else {
            if days == 60 { return nil }
            if days < 60 { days += 1 }
            epochOffset = 25569  // days from 1899-12-30 to 1970-01-01
        }
        let date = Date(timeIntervalSince1970: (days - epochOffset) * 86400 + seconds)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        var text = "\(pad(year, 4))-\(pad(month))-\(pad(day))"
        if time { text += "T\(pad(parts.hour ?? 0)):\(pad(parts.minute ?? 0)):\(pad(parts.second ?? 0))" }
        return text
    }
}
