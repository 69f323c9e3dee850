import Core
import Foundation

/// What an import found, brought in and left out, per kind of thing (DESIGN: nothing silent).
public struct ImportReport: Sendable, Equatable {
    /// Something that was not imported, with why.
    public struct Omission: Sendable, Equatable {
        public var guid: String?
        public var name: String?
        public var reason: String
    }

    /// One kind (codes, codings, PDF sources…).
    public struct Entry: Sendable, Equatable {
        public var kind: String
        public var found: Int
        public var imported: Int
        public var omissions: [Omission]
    }

    public var source: String
    public var entries: [Entry]
    /// Remarks that concern the whole import (a project without a codebook, how positions were read).
    public var notes: [String]

    public init(source: String, entries: [Entry] = [], notes: [String] = []) {
        self.source = source
        self.entries = entries
        self.notes = notes
    }

    public subscript(kind: String) -> Entry? {
        entries.first { $0.kind == kind }
    }

    mutating func record(_ kind: String, found: Int = 0, imported: Int = 0, omitted: Omission? = nil) {
        if let index = entries.firstIndex(where: { $0.kind == kind }) {
            entries[index].found += found
            entries[index].imported += imported
            if let omitted { entries[index].omissions.append(omitted) }
        } else {
            entries.append(Entry(kind: kind, found: found, imported: imported, omissions: omitted.map { [$0] } ?? []))
        }
    }

    /// The report as a researcher reads it: one line per kind, then what was left out and why.
    public var text: String {
        var out = "Import of \(source)\n"
        let width = max(4, entries.map(\.kind.count).max() ?? 4)
        out += "kind".padding(toLength: width, withPad: " ", startingAt: 0) + "  found  imported  not imported\n"
        for entry in entries {
            out += entry.kind.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(0, 7 - String(entry.found).count)) + "\(entry.found)"
                + String(repeating: " ", count: max(0, 10 - String(entry.imported).count)) + "\(entry.imported)"
                + String(repeating: " ", count: max(0, 14 - String(entry.found - entry.imported).count)) + "\(entry.found - entry.imported)\n"
        }
        for entry in entries where !entry.omissions.isEmpty {
            out += "\nNot imported (\(entry.kind)):\n"
            for omission in entry.omissions {
                var label = omission.name.map { "'\($0)'" } ?? ""
                if let guid = omission.guid { label += label.isEmpty ? guid : " (\(guid))" }
                out += "  - \(label.isEmpty ? "" : label + ": ")\(omission.reason)\n"
            }
        }
        if !notes.isEmpty {
            out += "\nNotes:\n" + notes.map { "  - \($0)\n" }.joined()
        }
        return out
    }

    /// The report as JSON: kinds in order, each with found, imported and the omissions.
    public var json: String {
        func omission(_ item: Omission) -> String {
            var parts: [String] = []
            if let guid = item.guid { parts.append("\"guid\":\(JSONText.string(guid))") }
            if let name = item.name { parts.append("\"name\":\(JSONText.string(name))") }
            parts.append("\"reason\":\(JSONText.string(item.reason))")
            return "{" + parts.joined(separator: ",") + "}"
        }
        let kinds = entries.map { entry in
            "{\"kind\":\(JSONText.string(entry.kind)),\"found\":\(entry.found),\"imported\":\(entry.imported),"
                + "\"not_imported\":[\(entry.omissions.map(omission).joined(separator: ","))]}"
        }
        return "{\"source\":\(JSONText.string(source)),\"kinds\":[\(kinds.joined(separator: ","))],"
            + "\"notes\":[\(notes.map(JSONText.string).joined(separator: ","))]}\n"
    }
}
