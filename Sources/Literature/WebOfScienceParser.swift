/// Reads Web of Science "plain text" exports (the tagged format starting `FN`/`VR`).
///
/// Each line starts with a two-character tag and a space; lines indented by spaces continue the
/// previous tag (a further author for `AU`/`AF`/`CR`/`C1`, more text otherwise). `PT` starts a
/// record, `ER` ends it and `EF` ends the file. Mapped tags become BibTeX-style fields; the rest
/// are kept as `wos:<tag>` in lowercase (`wos:ut`), repeated values joined with "; ".
public struct WebOfScienceParser: Sendable {
    public init() {}

    static let listTags: Set<String> = ["AU", "AF", "BA", "BF", "CA", "GP", "BE", "CR", "C1", "C3", "RP", "EM", "RI", "OI"]

    static let mappedTags: Set<String> = [
        "PT", "ER", "AU", "BE", "TI", "SO", "SE", "PY", "PD", "DI", "AB", "DE", "VL", "IS", "BP", "EP", "AR", "SN", "BN", "PU", "PI", "LA",
    ]

    public func parse(_ text: String, file: String) -> ParseResult {
        let bytes = Bytes.withoutBOM(text)
        let lines = LineIndex(bytes)
        var reader = TaggedReader(file: file)
        var lastTag: String?
        for (number, range) in lines.lineRanges().enumerated() {
            let lineNumber = number + 1
            let line = bytes[range]
            let content = Bytes.foldWhitespace(line)
            if content.isEmpty { continue }
            guard let tag = Self.tag(of: line) else {
                if reader.current == nil {
                    reader.strayText(content, line: lineNumber)
                } else if let lastTag {
                    reader.current?.continueValue(of: lastTag, with: content, asNewValue: Self.listTags.contains(lastTag))
                }
                continue
            }
            let value = Bytes.foldWhitespace(line.dropFirst(2))
            switch tag {
            case "FN", "VR":
                if reader.current != nil { reader.current?.add(tag, value) }
            case "EF":
                reader.endWithoutTerminator(found: "the end-of-file tag 'EF' at line \(lineNumber)")
            case "ER":
                if reader.current == nil {
                    reader.strayText(content, line: lineNumber)
                } else {
                    reader.end()
                }
            default:
                if tag == "PT" {
                    reader.endWithoutTerminator(found: "the next record ('PT') at line \(lineNumber)")
                }
                if reader.current == nil { reader.begin(line: lineNumber) }
                reader.current?.add(tag, value)
            }
            lastTag = tag
        }
        reader.endWithoutTerminator(found: "the end of the file")
        return reader.result(Self.fields)
    }

    /// The tag of a line `XY value` (or a bare `ER`/`EF`), or nil for continuation lines.
    static func tag(of line: ArraySlice<UInt8>) -> String? {
        guard line.count >= 2 else { return nil }
        let start = line.startIndex
        func isTagByte(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || Bytes.isDigit(byte) }
        guard isTagByte(line[start]), isTagByte(line[start + 1]) else { return nil }
        guard line.count == 2 || line[start + 2] == 0x20 || line[start + 2] == 0x09 else { return nil }
        return String(decoding: line[start..<(start + 2)], as: UTF8.self)
    }

    /// The BibTeX entry type for a WoS publication type (`PT`).
    public static func entryType(for publicationType: String) -> String {
        switch publicationType.uppercased() {
        case "J": return "article"
        case "C": return "inproceedings"
        case "B", "S": return "book"
        default: return "misc"
        }
    }

    static func fields(of record: TaggedRecord) -> (type: String, fields: [String: String]) {
        let type = entryType(for: record.first("PT") ?? "")
        var fields: [String: String] = [:]
        let authors = record.values("AU")
        if !authors.isEmpty { fields["author"] = authors.joined(separator: " and ") }
        let editors = record.values("BE")
        if !editors.isEmpty { fields["editor"] = editors.joined(separator: " and ") }
        fields["title"] = record.first("TI")
        if let source = record.first("SO") {
            fields[type == "inproceedings" ? "booktitle" : "journal"] = source
        }
        fields["series"] = record.first("SE")
        fields["year"] = record.first("PY")
        fields["month"] = record.first("PD")
        fields["doi"] = record.first("DI")
        fields["abstract"] = record.first("AB")
        fields["keywords"] = record.first("DE")
        fields["volume"] = record.first("VL")
        fields["number"] = record.first("IS")
        fields["pages"] = TaggedReader.pages(start: record.first("BP"), end: record.first("EP")) ?? record.first("AR")
        fields["issn"] = record.first("SN")
        fields["isbn"] = record.first("BN")
        fields["publisher"] = record.first("PU")
        fields["address"] = record.first("PI")
        fields["language"] = record.first("LA")
        for (tag, values) in record.tags where !mappedTags.contains(tag) {
            let kept = values.filter { !$0.isEmpty }
            if !kept.isEmpty { fields["wos:" + tag.lowercased()] = kept.joined(separator: "; ") }
        }
        return (type, fields)
    }
}
