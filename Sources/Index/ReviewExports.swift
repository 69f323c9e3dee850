import Core
import Foundation
import GRDB
import Literature

/// An export of the literature review as parsed into the index (once per change of the file):
/// its records, keys made unique, and its problems as the review reports them.
struct ReviewExportRecord: IndexRecord {
    static let databaseTableName = "review_export"
    /// The export's path from the study root (a row of `source`).
    var source: String
    /// The records in file order (`ReviewCoding`).
    var records: Data
    /// The problems, `corpus/literature/FILE:LINE:COLUMN: message`, one string each (`ReviewCoding`).
    var warnings: Data
}

/// The deduplication of the review's records, stored with what it was computed from.
struct ReviewDedupeRecord: IndexRecord {
    static let databaseTableName = "review_dedupe"
    var fingerprint: String
    var result: Data
}

extension StudyIndex {
    // MARK: The literature review's parsed exports and deduplication

    /// Parses an export for the index: its records for the `paper` table and the review's own
    /// copy, named as the review names them (`FILE#KEY`, FILE relative to corpus/literature).
    static func indexExport(_ url: URL, path: String, into db: Database,
                            problem: (Error, Diagnostic.Severity) throws -> Void) throws {
        var records: [BibliographicRecord] = []
        var warnings: [String] = []
        do {
            let result = try LiteratureReader.read(url, displayPath: path)
            for warning in result.warnings {
                try problem(warning, warning.severity == .note ? .note : .warning)
                warnings.append(ReviewState.describe(warning))
            }
            let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO paper(key, source, line, type, title, authors, year, doi) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for record in result.records {
                try insert.execute(arguments: [record.key, path, record.location.line ?? 0, record.type, record.title,
                                               record.authors.joined(separator: "; "), record.year, record.doi])
            }
            let name = url.lastPathComponent
            records = BibliographicRecord.withUniqueKeys(result.records).map { record in
                var record = record
                record.location.file = name
                return record
            }
        } catch let error as LiteratureError {
            try problem(error, .error)
            warnings.append(ReviewState.describe(error))
        }
        try ReviewExportRecord(source: path, records: ReviewCoding.encode(records), warnings: ReviewCoding.encode(warnings)).insert(db)
    }

    /// The review's exports as last parsed, in file-name order, with a fingerprint of their
    /// contents (paths and SHA-256s), or nil when an export is not (or no longer) in the index.
    public func reviewExports(in layout: ReviewLayout) throws -> (exports: [ReviewExport], fingerprint: String)? {
        let folder = study.relativePath(layout.folder) + "/"
        return try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT source.path, source.sha256, review_export.records, review_export.warnings
                FROM source LEFT JOIN review_export ON review_export.source = source.path
                WHERE source.kind = 'literature' ORDER BY source.path
                """)
            var exports: [ReviewExport] = []
            var parts: [String] = []
            for row in rows {
                let path: String = row["path"]
                guard path.hasPrefix(folder), !path.dropFirst(folder.count).contains("/") else { continue }
                guard let records: Data = row["records"], let warnings: Data = row["warnings"],
                      let decoded = try? ReviewCoding.decodeRecords(records), let texts = try? ReviewCoding.decodeStrings(warnings)
                else { return nil }
                exports.append(ReviewExport(name: String(path.dropFirst(folder.count)), records: decoded, warnings: texts))
                parts.append(path + "|" + (row["sha256"] as String))
            }
            exports.sort { $0.name < $1.name }
            return (exports, ContentHash.sha256(Data(parts.joined(separator: "\n").utf8)))
        }
    }

    /// The deduplication stored for `fingerprint`, or nil.
    public func storedDedupe(fingerprint: String) throws -> DedupeResult? {
        try read { db in
            guard let record = try ReviewDedupeRecord.fetchOne(db, key: fingerprint) else { return nil }
            return try? ReviewCoding.decodeDedupe(record.result)
        }
    }

    /// Keeps `result` as the deduplication of `fingerprint`, in place of any other.
    public func storeDedupe(_ result: DedupeResult, fingerprint: String) throws {
        try write { db in
            try ReviewDedupeRecord.deleteAll(db)
            try ReviewDedupeRecord(fingerprint: fingerprint, result: ReviewCoding.encode(result)).insert(db)
        }
    }
}

/// A compact byte form of the review's parsed values for the index: lengths as LEB128 varints,
/// strings as their UTF-8 bytes. Decoding 15,000 records this way takes milliseconds, where
/// parsing the exports again takes about a second; a malformed blob is an error, and the caller
/// parses the files instead (the index is derived).
enum ReviewCoding {
    struct Malformed: Error {}

    struct Writer {
        var bytes: [UInt8] = []

        mutating func count(_ value: Int) {
            varint(UInt64(max(0, value)))
        }

        /// An optional integer: 0 for none, else the value's zigzag form plus one.
        mutating func optional(_ value: Int?) {
            guard let value else { varint(0); return }
            let zigzag = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
            varint(zigzag == .max ? 0 : zigzag + 1)
        }

        private mutating func varint(_ value: UInt64) {
            var rest = value
            repeat {
                let low = UInt8(rest & 0x7F)
                rest >>= 7
                bytes.append(rest == 0 ? low : low | 0x80)
            } while rest != 0
        }

        mutating func string(_ text: String) {
            var text = text
            text.withUTF8 { utf8 in
                count(utf8.count)
                bytes.append(contentsOf: utf8)
            }
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard position < bytes.count, shift < 64 else { throw Malformed() }
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }

        mutating func count() throws -> Int {
            let value = try varint()
            // Every item takes at least a byte: a larger count is a damaged blob, not an allocation.
            guard value <= UInt64(bytes.count - position) else { throw Malformed() }
            return Int(value)
        }

        mutating func optional() throws -> Int? {
            let value = try varint()
            guard value != 0 else { return nil }
            let zigzag = value - 1
            return Int(Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1))))
        }

        mutating func string() throws -> String {
            let length = try count()
            guard length <= bytes.count - position else { throw Malformed() }
            defer { position += length }
            return String(decoding: bytes[position..<position + length], as: UTF8.self)
        }

        var atEnd: Bool { position == bytes.count }
    }

    static func encode(_ records: [BibliographicRecord]) -> Data {
        var writer = Writer()
        writer.count(records.count)
        for record in records {
            writer.string(record.key)
            writer.string(record.type)
            writer.string(record.location.file)
            writer.optional(record.location.line)
            writer.optional(record.location.column)
            writer.count(record.fields.count)
            for (name, value) in record.fields.sorted(by: { $0.key < $1.key }) {
                writer.string(name)
                writer.string(value)
            }
        }
        return Data(writer.bytes)
    }

    static func decodeRecords(_ data: Data) throws -> [BibliographicRecord] {
        var reader = Reader(bytes: [UInt8](data))
        let count = try reader.count()
        var records: [BibliographicRecord] = []
        records.reserveCapacity(min(count, 1 << 20))
        for _ in 0..<count {
            let key = try reader.string()
            let type = try reader.string()
            let location = SourceLocation(file: try reader.string(), line: try reader.optional(), column: try reader.optional())
            let fieldCount = try reader.count()
            var fields: [String: String] = [:]
            fields.reserveCapacity(min(fieldCount, 1024))
            for _ in 0..<fieldCount {
                let name = try reader.string()
                fields[name] = try reader.string()
            }
            records.append(BibliographicRecord(key: key, type: type, fields: fields, location: location))
        }
        guard reader.atEnd else { throw Malformed() }
        return records
    }

    static func encode(_ strings: [String]) -> Data {
        var writer = Writer()
        writer.count(strings.count)
        for text in strings { writer.string(text) }
        return Data(writer.bytes)
    }

    static func decodeStrings(_ data: Data) throws -> [String] {
        var reader = Reader(bytes: [UInt8](data))
        let count = try reader.count()
        var strings: [String] = []
        for _ in 0..<count { strings.append(try reader.string()) }
        guard reader.atEnd else { throw Malformed() }
        return strings
    }

    static func encode(_ result: DedupeResult) -> Data {
        var writer = Writer()
        writer.count(result.groups.count)
        for group in result.groups {
            writer.string(group.kept)
            writer.count(group.duplicates.count)
            for member in group.duplicates {
                writer.string(member.recordID)
                writer.string(member.reason)
            }
        }
        writer.count(result.unmatchedDecisions.count)
        for decision in result.unmatchedDecisions {
            writer.string(decision.group)
            writer.string(decision.record)
            writer.string(decision.kind.rawValue)
            writer.string(decision.reviewer)
        }
        return Data(writer.bytes)
    }

    static func decodeDedupe(_ data: Data) throws -> DedupeResult {
        var reader = Reader(bytes: [UInt8](data))
        var groups: [DuplicateGroup] = []
        for _ in 0..<(try reader.count()) {
            let kept = try reader.string()
            var members: [DuplicateGroup.Member] = []
            for _ in 0..<(try reader.count()) {
                members.append(DuplicateGroup.Member(recordID: try reader.string(), reason: try reader.string()))
            }
            groups.append(DuplicateGroup(kept: kept, duplicates: members))
        }
        var unmatched: [DedupeDecision] = []
        for _ in 0..<(try reader.count()) {
            let group = try reader.string()
            let record = try reader.string()
            guard let kind = DedupeDecision.Kind(rawValue: try reader.string()) else { throw Malformed() }
            unmatched.append(DedupeDecision(group: group, record: record, kind: kind, reviewer: try reader.string()))
        }
        guard reader.atEnd else { throw Malformed() }
        return DedupeResult(groups: groups, unmatchedDecisions: unmatched)
    }
}
