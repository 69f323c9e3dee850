import Core
import Foundation

/// One question of a data-extraction or quality-assessment form.
public struct ExtractionField: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case text, number, choice
        case yesNo = "yes-no"
    }

    public var id: String
    public var label: String
    public var kind: Kind
    /// The allowed answers of a `choice` field.
    public var choices: [String]

    public init(id: String, label: String, kind: Kind, choices: [String] = []) {
        self.id = id
        self.label = label
        self.kind = kind
        self.choices = choices
    }

    /// Why `value` is not a valid answer, or nil when it is; an empty value means "not answered".
    func problem(with value: String) -> String? {
        guard !value.isEmpty else { return nil }
        switch kind {
        case .text: return nil
        case .number: return Double(value).map { $0.isFinite } == true ? nil : "a number"
        case .yesNo: return value == "yes" || value == "no" ? nil : "yes or no"
        case .choice: return choices.contains(value) ? nil : "one of \(choices.joined(separator: ", "))"
        }
    }
}

/// The form of `extraction.yaml`: `fields:` a list of `{id, label, type, choices}`.
///
/// Quality assessment uses the same form: its checklist items are `yes-no` or `choice` fields.
public struct ExtractionForm: Sendable, Equatable {
    public private(set) var fields: [ExtractionField]

    /// Checks that ids are unique, not `record` or `reviewer`, and that every choice field has choices.
    public init(fields: [ExtractionField], location: SourceLocation = SourceLocation(file: "extraction.yaml")) throws {
        var seen: Set<String> = []
        for field in fields {
            guard !field.id.isEmpty, !["record", "reviewer"].contains(field.id), seen.insert(field.id).inserted else {
                throw LiteratureError.invalidEntry(location, expected: "unique field ids other than 'record' and 'reviewer'", found: "'\(field.id)'")
            }
            if field.kind == .choice && field.choices.isEmpty {
                throw LiteratureError.invalidEntry(location, expected: "'choices' for the choice field '\(field.id)'", found: "none")
            }
        }
        self.fields = fields
    }

    public static func parse(_ text: String, file: String) throws -> ExtractionForm {
        let root = try ReviewYAML.parse(text, file: file)
        let top = try root.mapping("the extraction form", allowed: ["fields"])
        let fields: [ExtractionField] = try (top["fields"]?.list("'fields'") ?? []).map { item in
            let entries = try item.mapping("a field", allowed: ["id", "label", "type", "choices"])
            let id = try ReviewYAML.required("id", in: entries, of: item, what: "a field").string("'id'")
            let typeNode = try ReviewYAML.required("type", in: entries, of: item, what: "field '\(id)'")
            guard let kind = ExtractionField.Kind(rawValue: try typeNode.string("'type'")) else {
                throw typeNode.error(expected: "a type text, number, choice or yes-no")
            }
            let choices = try (entries["choices"]?.list("'choices'") ?? []).map { try $0.string("a choice") }
            let field = ExtractionField(
                id: id, label: try entries["label"]?.string("'label'") ?? id, kind: kind, choices: choices)
            _ = try ExtractionForm(fields: [field], location: item.location)
            return field
        }
        return try ExtractionForm(fields: fields, location: root.location)
    }
}

/// One reviewer's answers for one paper.
public struct ExtractionEntry: Sendable, Equatable {
    public var record: String
    public var reviewer: String
    /// Field id → answer; unanswered fields are absent.
    public var values: [String: String]

    public init(record: String, reviewer: String, values: [String: String]) {
        self.record = record
        self.reviewer = reviewer
        self.values = values
    }
}

/// Reading and writing of `extraction/<reviewer>.csv`: a `record` column and one column per field id.
public enum ExtractionFile {
    /// Columns may be any subset of the form's field ids in any order; every answer is checked
    /// against its field's type and a record may appear once.
    public static func parse(_ text: String, file: String, reviewer: String, form: ExtractionForm) throws -> [ExtractionEntry] {
        let table = try ReviewTable.parse(text, file: file, required: ["record"], allowed: ["record"] + form.fields.map(\.id))
        var firstLine: [String: Int] = [:]
        return try table.rows.map { row in
            let record = row["record"]
            if record.isEmpty {
                throw LiteratureError.invalidEntry(row.location(of: "record"), expected: "a record id", found: "an empty cell")
            }
            if let first = firstLine[record] {
                throw LiteratureError.invalidEntry(
                    row.location(of: "record"), expected: "one row per record", found: "'\(record)' again (first at line \(first))")
            }
            firstLine[record] = row.line
            var values: [String: String] = [:]
            for field in form.fields where table.header.contains(field.id) {
                let value = row[field.id]
                if let expected = field.problem(with: value) {
                    throw LiteratureError.invalidEntry(
                        row.location(of: field.id), expected: "\(expected) for '\(field.id)' (\(field.kind.rawValue))", found: "'\(value)'")
                }
                if !value.isEmpty { values[field.id] = value }
            }
            return ExtractionEntry(record: record, reviewer: reviewer, values: values)
        }
    }

    /// A reviewer's file: `record` then every field in form order, rows by record id.
    public static func csv(_ entries: [ExtractionEntry], form: ExtractionForm) -> String {
        let ids = form.fields.map(\.id)
        return CSVLine.line(["record"] + ids)
            + entries.sorted { $0.record < $1.record }.map { entry in CSVLine.line([entry.record] + ids.map { entry.values[$0] ?? "" }) }.joined()
    }

    /// All reviewers' answers in one table: `record,reviewer` then the fields in form order, one
    /// row per paper and reviewer, ordered by record then reviewer.
    public static func export(_ entries: [ExtractionEntry], form: ExtractionForm) -> String {
        let ids = form.fields.map(\.id)
        let sorted = entries.sorted { ($0.record, $0.reviewer) < ($1.record, $1.reviewer) }
        return CSVLine.line(["record", "reviewer"] + ids)
            + sorted.map { entry in CSVLine.line([entry.record, entry.reviewer] + ids.map { entry.values[$0] ?? "" }) }.joined()
    }

    public static func read(_ url: URL, displayPath: String, reviewer: String, form: ExtractionForm) throws -> [ExtractionEntry] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try parse(try ReviewFileText.read(url, displayPath: displayPath), file: displayPath, reviewer: reviewer, form: form)
    }

    public static func write(_ entries: [ExtractionEntry], form: ExtractionForm, to url: URL) throws {
        try AtomicFile.write(csv(entries, form: form), to: url)
    }
}
