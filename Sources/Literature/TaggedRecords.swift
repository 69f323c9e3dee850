import Core

/// A record of a tagged format (RIS, Web of Science) while it is being read: tags in file order,
/// each with its values.
struct TaggedRecord {
    var start: SourceLocation
    var tags: [(tag: String, values: [String])] = []
    private var indexByTag: [String: Int] = [:]

    init(start: SourceLocation) {
        self.start = start
    }

    mutating func add(_ tag: String, _ value: String) {
        if let index = indexByTag[tag] {
            tags[index].values.append(value)
        } else {
            indexByTag[tag] = tags.count
            tags.append((tag, [value]))
        }
    }

    /// Joins a continuation line to the last value of `tag`, or adds it as a value of its own.
    mutating func continueValue(of tag: String, with text: String, asNewValue: Bool) {
        guard let index = indexByTag[tag], !asNewValue, let last = tags[index].values.last else {
            add(tag, text)
            return
        }
        tags[index].values[tags[index].values.count - 1] = last.isEmpty ? text : last + " " + text
    }

    func values(_ tag: String) -> [String] {
        guard let index = indexByTag[tag] else { return [] }
        return tags[index].values.filter { !$0.isEmpty }
    }

    func first(_ candidates: String...) -> String? {
        for tag in candidates {
            if let value = values(tag).first { return value }
        }
        return nil
    }
}

/// Line-by-line state shared by the RIS and Web of Science readers: the record being read,
/// blocks of stray text, and the warnings about them.
struct TaggedReader {
    let file: String
    var current: TaggedRecord?
    var finished: [TaggedRecord] = []
    var warnings: [LiteratureError] = []
    private var inStrayText = false

    init(file: String) {
        self.file = file
    }

    /// Reports the first line of a run of text outside any record, once per run.
    mutating func strayText(_ text: String, line: Int) {
        guard !inStrayText else { return }
        inStrayText = true
        let shown = text.count > 60 ? String(text.prefix(60)) + "..." : text
        warnings.append(.textOutsideRecord(SourceLocation(file: file, line: line, column: 1), text: shown))
    }

    mutating func begin(line: Int) {
        inStrayText = false
        current = TaggedRecord(start: SourceLocation(file: file, line: line, column: 1))
    }

    mutating func end() {
        if let current { finished.append(current) }
        current = nil
    }

    /// Keeps a record that never met its end tag, with a warning saying what came instead.
    mutating func endWithoutTerminator(found: String) {
        guard let current else { return }
        warnings.append(.missingEndOfRecord(current.start, found: found))
        end()
    }

    /// Turns the records into `BibliographicRecord`s with generated keys.
    func result(_ convert: (TaggedRecord) -> (type: String, fields: [String: String])) -> ParseResult {
        var generator = KeyGenerator()
        var records: [BibliographicRecord] = []
        records.reserveCapacity(finished.count)
        for tagged in finished {
            let (type, fields) = convert(tagged)
            var record = BibliographicRecord(key: "", type: type, fields: fields, location: tagged.start)
            record.key = generator.key(for: record)
            records.append(record)
        }
        return ParseResult(records: records, warnings: warnings)
    }

    /// `SP--EP`, or whichever of them is present.
    static func pages(start: String?, end: String?) -> String? {
        switch (start, end) {
        case let (start?, end?): return start == end ? start : "\(start)--\(end)"
        case let (start?, nil): return start
        case let (nil, end?): return end
        case (nil, nil): return nil
        }
    }

    /// Sorts an ISSN (8 characters) from an ISBN (10 or 13) by its digit count.
    static func standardNumberField(_ value: String, type: String) -> String {
        let digits = value.prefix(while: { $0 != " " && $0 != "(" }).filter { $0.isNumber || $0 == "X" || $0 == "x" }.count
        if digits == 8 { return "issn" }
        if digits == 10 || digits == 13 { return "isbn" }
        return type == "article" ? "issn" : "isbn"
    }
}
