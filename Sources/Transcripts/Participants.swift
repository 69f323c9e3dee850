import Core
import Foundation

/// A participant of the interview study, with attributes usable as case variables.
public struct Participant: Sendable, Equatable {
    /// The participant's id, which is also the file name (without extension) of their transcript.
    public var id: String
    public var pseudonym: String?
    /// Every other column of participants.csv, by header, in column order.
    public var attributes: [(name: String, value: String)]
    public var line: Int

    public init(id: String, pseudonym: String? = nil, attributes: [(name: String, value: String)] = [], line: Int) {
        self.id = id
        self.pseudonym = pseudonym
        self.attributes = attributes
        self.line = line
    }

    public static func == (lhs: Participant, rhs: Participant) -> Bool {
        lhs.id == rhs.id && lhs.pseudonym == rhs.pseudonym && lhs.line == rhs.line
            && lhs.attributes.map(\.name) == rhs.attributes.map(\.name) && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }
}

/// Reads `corpus/participants.csv`: a header with an `id` column, optionally `pseudonym`, and any
/// attributes (role, years of experience, organisation type…).
public enum ParticipantsFile {
    public static func read(_ url: URL, displayPath: String) throws -> [Participant] {
        try parse(TextFile.read(url, displayPath: displayPath), file: displayPath)
    }

    public static func parse(_ text: String, file: String) throws -> [Participant] {
        let records = try CSVText.parse(text, file: file)
        guard let header = records.first else { return [] }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let idColumn = names.firstIndex(of: "id") else {
            throw FileError.cannotRead(path: "\(file):\(header.line):1",
                                       reason: "expected a header row with an 'id' column, found \(names.joined(separator: ", "))")
        }
        let pseudonymColumn = names.firstIndex(of: "pseudonym")
        var seen: [String: Int] = [:]
        return try records.dropFirst().map { record in
            guard record.fields.count == names.count else {
                throw FileError.cannotRead(path: "\(file):\(record.line):1",
                                           reason: "expected \(names.count) fields as in the header, found \(record.fields.count)")
            }
            let id = record.fields[idColumn].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else {
                throw FileError.cannotRead(path: "\(file):\(record.line):1", reason: "expected a participant id, found an empty field")
            }
            if let first = seen[id] {
                throw FileError.cannotRead(path: "\(file):\(record.line):1", reason: "participant '\(id)' is listed twice (first at line \(first))")
            }
            seen[id] = record.line
            let pseudonym = pseudonymColumn.map { record.fields[$0].trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            let attributes = names.indices.filter { $0 != idColumn && $0 != pseudonymColumn }.map { (names[$0], record.fields[$0]) }
            return Participant(id: id, pseudonym: pseudonym, attributes: attributes, line: record.line)
        }
    }
}
