import Core
import Foundation
import YAMLSupport

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
        let root = try YAMLValue.parse(text, file: file)
        let top = try root.fields("the extraction form", allowed: ["fields"])
        let fields: [ExtractionField] = try top.list("fields").map { item in
            let entries = try item.fields("a field", allowed: ["id", "label", "type", "choices"])
            let id = try entries.requiredString("id")
            let typeNode = try entries.required("type")
            let typeName = try typeNode.string("'type'")
            guard let kind = ExtractionField.Kind(rawValue: typeName) else {
                throw typeNode.error("expected a type text, number, choice or yes-no, found '\(typeName)'")
            }
            let choices = try entries.strings("choices")
            let field = ExtractionField(id: id, label: try entries.string("label") ?? id, kind: kind, choices: choices)
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

/// `extraction/<reviewer>.csv`: a `record` column and one column per field id. Columns may be any
/// subset of the form's field ids in any order; every answer is checked against its field's type
/// and a record may appear once. Written with every field in form order, rows by record id.
public enum ExtractionFile: DecisionFile {
    public struct Context {
        public var reviewer: String
        public var form: ExtractionForm

        public init(reviewer: String, form: ExtractionForm) {
            self.reviewer = reviewer
            self.form = form
        }
    }

    public static func columns(_ context: Context) -> [String] { ["record"] + context.form.fields.map(\.id) }
    public static func requiredColumns(_: Context) -> [String] { ["record"] }

    public static func decode(_ row: DecisionRow, context: Context) throws -> ExtractionEntry {
        let record = row["record"]
        if record.isEmpty { throw row.invalid("record", expected: "a record id", found: "an empty cell") }
        var values: [String: String] = [:]
        for field in context.form.fields where row.has(field.id) {
            let value = row[field.id]
            if let expected = field.problem(with: value) {
                throw row.invalid(field.id, expected: "\(expected) for '\(field.id)' (\(field.kind.rawValue))", found: "'\(value)'")
            }
            if !value.isEmpty { values[field.id] = value }
        }
        return ExtractionEntry(record: record, reviewer: context.reviewer, values: values)
    }

    public static func cells(of entry: ExtractionEntry) -> [String: String] {
        entry.values.merging(["record": entry.record]) { _, record in record }
    }

    public static func identity(of entry: ExtractionEntry) -> DecisionIdentity? {
        DecisionIdentity(key: entry.record, column: "record", expected: "one row per record", shown: "'\(entry.record)'")
    }

    public static func ordered(_ entries: [ExtractionEntry]) -> [ExtractionEntry] { entries.sorted { $0.record < $1.record } }

    /// All reviewers' answers in one table: `record,reviewer` then the fields in form order, one
    /// row per paper and reviewer, ordered by record then reviewer.
    public static func export(_ entries: [ExtractionEntry], form: ExtractionForm) -> String {
        let ids = form.fields.map(\.id)
        let sorted = entries.sorted { ($0.record, $0.reviewer) < ($1.record, $1.reviewer) }
        return CSVText.line(["record", "reviewer"] + ids)
            + sorted.map { entry in CSVText.line([entry.record, entry.reviewer] + ids.map { entry.values[$0] ?? "" }) }.joined()
    }
}
