/// Reads RIS exports (Scopus, IEEE Xplore, Ovid, ProQuest, Embase, PubMed via EndNote, Zotero).
///
/// A record runs from `TY  -` to `ER  -`; a tag is two uppercase letters or digits, two spaces
/// and a hyphen. Lines without a tag continue the previous value (a new keyword after `KW`, more
/// text otherwise). Mapped tags become BibTeX-style fields; every other tag is kept as
/// `ris:<tag>` in lowercase (`ris:n1`), repeated values joined with "; ".
public struct RISParser: Sendable {
    public init() {}

    /// Tags whose continuation lines are further values rather than more text.
    static let listTags: Set<String> = ["AU", "A1", "A2", "A3", "A4", "ED", "KW"]

    /// Tags consumed by the field mapping (the rest are kept as `ris:<tag>`).
    static let mappedTags: Set<String> = [
        "TY", "ER", "TI", "T1", "AU", "A1", "A2", "ED", "PY", "Y1", "DA", "DO", "JO", "JF", "T2", "JA",
        "AB", "N2", "KW", "VL", "IS", "SP", "EP", "UR", "SN", "PB", "CY", "LA", "N1",
    ]

    public func parse(_ text: String, file: String) -> ParseResult {
        let bytes = Bytes.withoutBOM(text)
        let lines = LineIndex(bytes)
        var reader = TaggedReader(file: file)
        var lastTag: String?
        for (number, range) in lines.lineRanges().enumerated() {
            let lineNumber = number + 1
            var end = range.upperBound
            while end > range.lowerBound, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            let line = bytes[range.lowerBound..<end]
            if let tag = Self.tag(of: line) {
                let valueStart = min(line.startIndex + 5, line.endIndex)
                let value = Bytes.foldWhitespace(line[valueStart...])
                if tag == "TY" {
                    reader.endWithoutTerminator(found: "the next record ('TY  -') at line \(lineNumber)")
                    reader.begin(line: lineNumber)
                    reader.current?.add(tag, value)
                } else if reader.current == nil {
                    reader.strayText(String(decoding: line, as: UTF8.self), line: lineNumber)
                } else if tag == "ER" {
                    reader.end()
                } else {
                    reader.current?.add(tag, value)
                }
                lastTag = tag
                continue
            }
            let content = Bytes.foldWhitespace(line)
            if content.isEmpty { continue }
            if reader.current == nil {
                reader.strayText(content, line: lineNumber)
            } else if let lastTag {
                reader.current?.continueValue(of: lastTag, with: content, asNewValue: Self.listTags.contains(lastTag))
            }
        }
        reader.endWithoutTerminator(found: "the end of the file")
        return reader.result(Self.fields)
    }

    /// The tag of a line of the form `XY  - value`, or nil.
    static func tag(of line: ArraySlice<UInt8>) -> String? {
        guard line.count >= 5 else { return nil }
        let start = line.startIndex
        func isTagByte(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || Bytes.isDigit(byte) }
        guard isTagByte(line[start]), isTagByte(line[start + 1]), line[start + 2] == 0x20, line[start + 3] == 0x20,
            line[start + 4] == UInt8(ascii: "-"), line.count == 5 || line[start + 5] == 0x20
        else { return nil }
        return String(decoding: line[start..<(start + 2)], as: UTF8.self)
    }

    /// The BibTeX entry type for an RIS `TY` value.
    public static func entryType(for risType: String) -> String {
        switch risType.uppercased() {
        case "JOUR", "EJOUR", "JFULL", "MGZN", "NEWS": return "article"
        case "CONF", "CPAPER": return "inproceedings"
        case "BOOK", "EBOOK", "EDBOOK": return "book"
        case "CHAP", "ECHAP": return "incollection"
        case "THES": return "phdthesis"
        case "RPRT": return "techreport"
        default: return "misc"
        }
    }

    static func fields(of record: TaggedRecord) -> (type: String, fields: [String: String]) {
        let type = entryType(for: record.first("TY") ?? "")
        var fields: [String: String] = [:]
        fields["title"] = record.first("TI", "T1")
        let authors = record.tags.filter { $0.tag == "AU" || $0.tag == "A1" }.flatMap(\.values).filter { !$0.isEmpty }
        if !authors.isEmpty { fields["author"] = authors.joined(separator: " and ") }
        let editors = record.values("A2") + record.values("ED")
        if !editors.isEmpty { fields["editor"] = editors.joined(separator: " and ") }
        fields["year"] = record.first("PY", "Y1", "DA")
        fields["date"] = record.first("DA")
        fields["doi"] = record.first("DO")
        if let container = record.first("JF", "JO", "T2", "JA") {
            switch type {
            case "inproceedings", "incollection": fields["booktitle"] = container
            case "book": fields["series"] = container
            default: fields["journal"] = container
            }
        }
        fields["abstract"] = record.first("AB", "N2")
        let keywords = record.values("KW")
        if !keywords.isEmpty { fields["keywords"] = keywords.joined(separator: "; ") }
        fields["volume"] = record.first("VL")
        fields["number"] = record.first("IS")
        fields["pages"] = TaggedReader.pages(start: record.first("SP"), end: record.first("EP"))
        fields["url"] = record.first("UR")
        if let number = record.first("SN") {
            fields[TaggedReader.standardNumberField(number, type: type)] = number
        }
        fields["publisher"] = record.first("PB")
        fields["address"] = record.first("CY")
        fields["language"] = record.first("LA")
        let notes = record.values("N1")
        if !notes.isEmpty { fields["note"] = notes.joined(separator: "; ") }
        for (tag, values) in record.tags where !mappedTags.contains(tag) {
            let kept = values.filter { !$0.isEmpty }
            if !kept.isEmpty { fields["ris:" + tag.lowercased()] = kept.joined(separator: "; ") }
        }
        return (type, fields)
    }
}
