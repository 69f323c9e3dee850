import Core
import Foundation
import Index
import Project
import Qualitative

/// A CSV file of codings to record at once (`tag --from FILE`): a header with `transcript`,
/// `turn` and `code`, and optionally `quote` and `memo`; several codes in one cell are separated
/// by `;`.
public enum BatchTagFile {
    public static func read(_ url: URL, displayPath: String) throws -> [TagRequest] {
        let records = try CSVText.parse(TextFile.read(url, displayPath: displayPath), file: displayPath)
        guard let header = records.first else { return [] }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String, required: Bool) throws -> Int? {
            if let index = names.firstIndex(of: name) { return index }
            if required {
                throw FileError.cannotRead(path: "\(displayPath):\(header.line):1",
                                           reason: "expected a header with transcript, turn and code columns, found \(names.joined(separator: ", "))")
            }
            return nil
        }
        let transcript = try column("transcript", required: true)!, turn = try column("turn", required: true)!
        let code = try column("code", required: true)!
        let quote = try column("quote", required: false), memo = try column("memo", required: false)
        return try records.dropFirst().map { record in
            let location = "\(displayPath):\(record.line)"
            guard record.fields.count == names.count else {
                throw FileError.cannotRead(path: "\(location):1", reason: "expected \(names.count) fields as in the header, found \(record.fields.count)")
            }
            guard let number = Int(record.fields[turn].trimmingCharacters(in: .whitespaces)), number >= 1 else {
                throw FileError.cannotRead(path: "\(location):\(turn + 1)", reason: "expected a turn number from 1, found '\(record.fields[turn])'")
            }
            let codes = record.fields[code].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !codes.isEmpty else {
                throw FileError.cannotRead(path: "\(location):\(code + 1)", reason: "expected at least one code, found an empty field")
            }
            func optional(_ index: Int?) -> String? {
                guard let index else { return nil }
                let value = record.fields[index]
                return value.isEmpty ? nil : value
            }
            return TagRequest(transcript: record.fields[transcript].trimmingCharacters(in: .whitespaces), turn: number, codes: codes,
                              quote: optional(quote), memo: optional(memo), origin: location)
        }
    }
}
