import Core
import Foundation
import Yams

/// A problem in a YAML study file, located at the node that caused it.
public struct YAMLError: LocatedError, Equatable {
    public var location: SourceLocation?
    public var message: String

    public init(_ message: String, at location: SourceLocation?) {
        self.message = message
        self.location = location
    }
}

/// A YAML node together with the file it came from, so every accessor can report
/// `file:line:column: expected …, found …`.
///
/// Study files are read through this rather than `Codable` because decoding errors from
/// `YAMLDecoder` carry a coding path, not a line and column, and a researcher fixing a claim file
/// needs the line.
public struct YAMLValue {
    public let node: Node
    public let file: String

    public init(node: Node, file: String) {
        self.node = node
        self.file = file
    }

    /// Parses a whole YAML document; an empty document is an empty mapping.
    public static func parse(_ text: String, file: String) throws -> YAMLValue {
        do {
            let node = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([]))
            return YAMLValue(node: node, file: file)
        } catch let error as YamlError {
            throw YAMLError.from(error, file: file, text: text)
        }
    }

    public static func read(_ url: URL, displayPath: String) throws -> YAMLValue {
        try parse(TextFile.read(url, displayPath: displayPath), file: displayPath)
    }

    public var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
    }

    /// What this node is, in words, for "found …" in messages.
    public var kindDescription: String {
        switch node {
        case .scalar(let scalar):
            if scalar.string.isEmpty { return "nothing" }
            let shown = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
            return "'\(shown)'"
        case .mapping: return "a mapping (key: value lines)"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    public func error(_ message: String) -> YAMLError {
        YAMLError(message, at: location)
    }

    // MARK: Mappings

    /// The entries of a mapping, in file order, with their keys.
    public func mapping(_ what: String) throws -> [(key: String, value: YAMLValue, keyLocation: SourceLocation)] {
        guard case .mapping(let mapping) = node else {
            throw error("expected \(what) as a mapping of `key: value` lines, found \(kindDescription)")
        }
        var seen: [String: Int] = [:]
        return try mapping.map { pair in
            let key = pair.key.string ?? ""
            let keyLocation = SourceLocation(file: file, line: pair.key.mark?.line, column: pair.key.mark?.column)
            if let first = seen[key] {
                throw YAMLError("key '\(key)' appears twice in \(what) (first at line \(first))", at: keyLocation)
            }
            seen[key] = pair.key.mark?.line ?? 0
            return (key, YAMLValue(node: pair.value, file: file), keyLocation)
        }
    }

    /// A mapping's entries by key, refusing keys that are not in `allowed` so that a typo such
    /// as `min_efect` is an error rather than a silently ignored setting.
    public func fields(_ what: String, allowed: [String]) throws -> YAMLFields {
        let entries = try mapping(what)
        for entry in entries where !allowed.contains(entry.key) {
            throw YAMLError(
                "unknown key '\(entry.key)' in \(what); expected one of: \(allowed.joined(separator: ", "))",
                at: entry.keyLocation)
        }
        return YAMLFields(owner: self, what: what, entries: Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) }))
    }

    // MARK: Scalars

    public var isNull: Bool {
        if case .scalar(let scalar) = node {
            return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    public func string(_ what: String) throws -> String {
        guard case .scalar(let scalar) = node else {
            throw error("expected \(what) as text, found \(kindDescription)")
        }
        return scalar.string
    }

    public func int(_ what: String) throws -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            throw error("expected \(what) as a whole number, found \(kindDescription)")
        }
        return value
    }

    public func double(_ what: String) throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string.trimmingCharacters(in: .whitespaces)),
              value.isFinite else {
            throw error("expected \(what) as a number, found \(kindDescription)")
        }
        return value
    }

    /// A list of scalars; a single scalar is accepted as a list of one.
    public func strings(_ what: String) throws -> [String] {
        switch node {
        case .scalar: return isNull ? [] : [try string(what)]
        case .sequence(let sequence):
            return try sequence.map { try YAMLValue(node: $0, file: file).string("each item of \(what)") }
        default:
            throw error("expected \(what) as a list, found \(kindDescription)")
        }
    }

    public func list(_ what: String) throws -> [YAMLValue] {
        switch node {
        case .sequence(let sequence): return sequence.map { YAMLValue(node: $0, file: file) }
        default:
            if isNull { return [] }
            throw error("expected \(what) as a list (lines starting with '- '), found \(kindDescription)")
        }
    }
}

/// The fields of one YAML mapping, looked up by key with located errors.
public struct YAMLFields {
    public let owner: YAMLValue
    public let what: String
    public let entries: [String: YAMLValue]

    public subscript(key: String) -> YAMLValue? {
        guard let value = entries[key], !value.isNull else { return nil }
        return value
    }

    public func required(_ key: String) throws -> YAMLValue {
        guard let value = self[key] else {
            throw owner.error("\(what) has no '\(key)'; expected a '\(key):' line")
        }
        return value
    }

    public func string(_ key: String) throws -> String? {
        try self[key]?.string("'\(key)'")
    }

    public func requiredString(_ key: String) throws -> String {
        let value = try required(key)
        let text = try value.string("'\(key)'").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { throw value.error("'\(key)' is empty; expected text") }
        return text
    }

    public func int(_ key: String) throws -> Int? { try self[key]?.int("'\(key)'") }
    public func double(_ key: String) throws -> Double? { try self[key]?.double("'\(key)'") }
    public func strings(_ key: String) throws -> [String] { try self[key]?.strings("'\(key)'") ?? [] }
    public func list(_ key: String) throws -> [YAMLValue] { try self[key]?.list("'\(key)'") ?? [] }
}

extension YAMLError {
    static func from(_ error: YamlError, file: String, text: String) -> YAMLError {
        switch error {
        case .scanner(_, _, let mark, _) where tabIndentation(in: text, line: mark.line) != nil:
            // YAML forbids tabs in indentation; libyaml's "cannot start any token" does not say so.
            return YAMLError("expected indentation with spaces, found a tab",
                             at: SourceLocation(file: file, line: mark.line, column: tabIndentation(in: text, line: mark.line)))
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "this is not valid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return YAMLError(message, at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .reader(let problem, _, _, _):
            return YAMLError("this is not valid YAML text: \(problem)", at: SourceLocation(file: file))
        default:
            return YAMLError("this is not valid YAML: \(error)", at: SourceLocation(file: file))
        }
    }
}

extension YAMLError {
    /// The column of the first tab in the indentation of `line` (from 1), or nil.
    static func tabIndentation(in text: String, line: Int) -> Int? {
        guard line >= 1 else { return nil }
        var number = 1
        var index = text.unicodeScalars.startIndex
        while number < line, let newline = text.unicodeScalars[index...].firstIndex(of: "\n") {
            index = text.unicodeScalars.index(after: newline)
            number += 1
        }
        guard number == line else { return nil }
        for (offset, scalar) in text.unicodeScalars[index...].enumerated() {
            if scalar == "\t" { return offset + 1 }
            if scalar != " " { return nil }
        }
        return nil
    }
}

/// Replaces one scalar in YAML text, located by its line and column, keeping everything else
/// byte for byte (comments, layout, other quoting).
public enum YAMLScalarEdit {
    /// - Returns: the new text, or nil when the scalar at that place is not `expected`.
    public static func replace(in text: String, line: Int, column: Int, expected: String, with newValue: String) -> String? {
        var lines = text.components(separatedBy: "\n")
        guard line >= 1, line <= lines.count else { return nil }
        let scalars = Array(lines[line - 1].unicodeScalars)
        let start = column - 1
        guard start >= 0, start < scalars.count else { return nil }
        var end = start
        if scalars[start] == "\"" || scalars[start] == "'" {
            let quote = scalars[start]
            end = start + 1
            while end < scalars.count {
                if scalars[end] == quote {
                    if quote == "'" && end + 1 < scalars.count && scalars[end + 1] == "'" { end += 2; continue }
                    break
                }
                if quote == "\"" && scalars[end] == "\\" { end += 1 }
                end += 1
            }
            guard end < scalars.count else { return nil }
            end += 1
            guard let node = try? Yams.compose(yaml: String(String.UnicodeScalarView(scalars[start..<end]))),
                  node.string == expected else { return nil }
        } else {
            let wanted = Array(expected.unicodeScalars)
            end = start + wanted.count
            guard end <= scalars.count, Array(scalars[start..<end]) == wanted else { return nil }
        }
        var replaced = String.UnicodeScalarView(scalars[..<start])
        replaced.append(contentsOf: YAMLWriter.quoted(newValue).unicodeScalars)
        replaced.append(contentsOf: scalars[end...])
        lines[line - 1] = String(replaced)
        return lines.joined(separator: "\n")
    }
}
