import Core
import Foundation
import YAMLSupport

/// Changes a codebook file by editing its lines, so the researcher's comments, quoting and
/// layout survive: a rename touches one `id:` value; a move cuts a code's block of lines and
/// pastes it, re-indented, under its new parent.
///
/// A code's block runs from its `- id:` item line down to the line before the next line indented
/// no deeper than the item's dash (blank lines inside stay with it). Codebooks written in YAML
/// flow style (`codes: [{id: a}]`) cannot be edited this way and are refused with a message.
public struct CodebookEditor {
    public private(set) var lines: [String]
    public let file: String

    public init(text: String, file: String) {
        var lines = TextFile.lines(text).map(String.init)
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
        self.file = file
    }

    public var text: String { lines.joined(separator: "\n") + "\n" }

    /// The parsed codebook as the lines stand now.
    public func codebook() throws -> Codebook {
        try Codebook.parse(text, file: file)
    }

    // MARK: Operations

    /// Adds a code under `parent` (or at the top level), after its last sibling.
    public mutating func add(id: String, name: String, definition: String?, parent: String?) throws {
        let book = try codebook()
        guard Code.isValidSegment(id) else {
            throw CodingError("expected a code id of lowercase letters, digits, '-' and '_', found '\(id)'", at: SourceLocation(file: file))
        }
        let fullId = parent.map { "\($0)/\(id)" } ?? id
        if book.codes.contains(where: { $0.id == fullId }) {
            throw CodingError("code '\(fullId)' already exists", at: book.codes.first { $0.id == fullId }!.location)
        }
        var writer = YAMLWriter()
        writer.scalar("id", id, indent: 2, listItem: true)
        writer.scalar("name", name, indent: 2)
        if let definition { writer.scalar("definition", definition, indent: 2) }
        let block = TextFile.lines(writer.text).map(String.init).filter { !$0.isEmpty }
        try insert(block: block, blockIndent: 0, under: parent, in: book)
    }

    /// Renames the last segment of a code's id (its children follow).
    public mutating func rename(_ id: String, to newSegment: String) throws {
        let book = try codebook()
        let code = try find(id, in: book)
        guard Code.isValidSegment(newSegment) else {
            throw CodingError("expected a code id of lowercase letters, digits, '-' and '_', found '\(newSegment)'", at: code.location)
        }
        let newId = code.parent.map { "\($0)/\(newSegment)" } ?? newSegment
        if book.codes.contains(where: { $0.id == newId }) {
            throw CodingError("code '\(newId)' already exists", at: code.location)
        }
        let (start, _, dash) = try block(of: code)
        let ownSegment = String(id.split(separator: "/").last!)
        for index in start..<lines.count {
            let line = lines[index]
            let trimmed = line.drop(while: { $0 == " " || $0 == "-" })
            let indent = line.prefix(while: { $0 == " " }).count
            if index > start && indent <= dash { break }
            if trimmed.hasPrefix("id:") && (index == start || indent == dash + 2) {
                let value = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
                let unquoted = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                guard unquoted == ownSegment else { continue }
                let prefixEnd = line.index(line.startIndex, offsetBy: line.count - trimmed.count)
                lines[index] = String(line[..<prefixEnd]) + "id: " + YAMLWriter.quoted(newSegment)
                return
            }
        }
        throw CodingError("could not find the 'id:' line of code '\(id)'", at: code.location)
    }

    /// Moves a code (with its children) under another parent, or to the top level.
    public mutating func move(_ id: String, under parent: String?) throws {
        let book = try codebook()
        let code = try find(id, in: book)
        if let parent {
            _ = try find(parent, in: book)
            if parent == id || parent.hasPrefix(id + "/") {
                throw CodingError("cannot move '\(id)' under itself or one of its sub-codes", at: code.location)
            }
        }
        let segment = String(id.split(separator: "/").last!)
        let newId = parent.map { "\($0)/\(segment)" } ?? segment
        if book.codes.contains(where: { $0.id == newId }) {
            throw CodingError("code '\(newId)' already exists there", at: code.location)
        }
        let (start, end, dash) = try block(of: code)
        let cut = Array(lines[start..<end])
        lines.removeSubrange(start..<end)
        try removeEmptyCodesKeys()
        try insert(block: cut, blockIndent: dash, under: parent, in: try codebook())
    }

    /// Removes a code that has no sub-codes.
    public mutating func remove(_ id: String) throws {
        let book = try codebook()
        let code = try find(id, in: book)
        if let child = book.codes.first(where: { $0.parent == id }) {
            throw CodingError("code '\(id)' has sub-codes (such as '\(child.id)'); move or merge them first", at: code.location)
        }
        let (start, end, _) = try block(of: code)
        lines.removeSubrange(start..<end)
        try removeEmptyCodesKeys()
    }

    // MARK: Lines

    private func find(_ id: String, in book: Codebook) throws -> Code {
        guard let code = book.codes.first(where: { $0.id == id }) else {
            throw CodingError("no code '\(id)' in this codebook", at: SourceLocation(file: file))
        }
        return code
    }

    /// The lines of a code's item: [start, end) and the column of its dash.
    private func block(of code: Code) throws -> (Int, Int, Int) {
        guard let line = code.location.line, let column = code.location.column, line >= 1, line <= lines.count else {
            throw CodingError("code '\(code.id)' has no position in the file", at: code.location)
        }
        let start = line - 1
        let itemLine = lines[start]
        let dash = column - 3
        guard dash >= 0, itemLine.count > dash, Array(itemLine)[dash] == "-" else {
            throw CodingError("code '\(code.id)' is not written as a '- id: …' list item (flow style cannot be edited; rewrite it in block style)", at: code.location)
        }
        var end = start + 1
        while end < lines.count {
            let text = lines[end]
            let indent = text.prefix(while: { $0 == " " }).count
            if !text.trimmingCharacters(in: .whitespaces).isEmpty && indent <= dash { break }
            end += 1
        }
        while end > start + 1 && lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
        return (start, end, dash)
    }

    /// Pastes `block` (whose dash stands at `blockIndent`) as the last item of `parent`'s codes.
    private mutating func insert(block: [String], blockIndent: Int, under parent: String?, in book: Codebook) throws {
        var siblingsDash: Int
        var insertAt: Int
        if let parent {
            let parentCode = try find(parent, in: book)
            let (start, end, dash) = try self.block(of: parentCode)
            let keyIndent = dash + 2
            if let codesLine = (start..<end).first(where: { index in
                let text = lines[index]
                return text.prefix(while: { $0 == " " }).count == keyIndent && text.trimmingCharacters(in: .whitespaces).hasPrefix("codes:")
            }) {
                siblingsDash = (codesLine + 1..<end).map { lines[$0] }.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- ") }
                    .map { $0.prefix(while: { $0 == " " }).count } ?? keyIndent + 2
                if lines[codesLine].trimmingCharacters(in: .whitespaces) != "codes:" {
                    throw CodingError("the sub-codes of '\(parent)' are written in flow style; rewrite them as '- id: …' items", at: parentCode.location)
                }
            } else {
                lines.insert(String(repeating: " ", count: keyIndent) + "codes:", at: end)
                siblingsDash = keyIndent + 2
                insertAt = end + 1
                lines.insert(contentsOf: reindent(block, from: blockIndent, to: siblingsDash), at: insertAt)
                return
            }
            insertAt = end
        } else {
            guard let codesLine = lines.firstIndex(where: { $0.hasPrefix("codes:") }) else {
                lines.append("codes:")
                lines.append(contentsOf: reindent(block, from: blockIndent, to: 2))
                return
            }
            if lines[codesLine].trimmingCharacters(in: .whitespaces) != "codes:" {
                throw CodingError("the codes are written in flow style; rewrite them as '- id: …' items", at: SourceLocation(file: file, line: codesLine + 1))
            }
            siblingsDash = lines[(codesLine + 1)...].first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- ") }
                .map { $0.prefix(while: { $0 == " " }).count } ?? 2
            insertAt = codesLine + 1
            while insertAt < lines.count {
                let text = lines[insertAt]
                if !text.trimmingCharacters(in: .whitespaces).isEmpty && text.prefix(while: { $0 == " " }).count == 0 { break }
                insertAt += 1
            }
        }
        while insertAt > 0 && lines[insertAt - 1].trimmingCharacters(in: .whitespaces).isEmpty { insertAt -= 1 }
        lines.insert(contentsOf: reindent(block, from: blockIndent, to: siblingsDash), at: insertAt)
    }

    private func reindent(_ block: [String], from: Int, to: Int) -> [String] {
        block.map { line in
            if line.trimmingCharacters(in: .whitespaces).isEmpty { return "" }
            let indent = line.prefix(while: { $0 == " " }).count
            return String(repeating: " ", count: max(0, indent - from + to)) + line.dropFirst(indent)
        }
    }

    /// Drops `codes:` keys left with no items, which YAML would read as null.
    private mutating func removeEmptyCodesKeys() throws {
        var index = 0
        while index < lines.count {
            let text = lines[index]
            if text.trimmingCharacters(in: .whitespaces) == "codes:" {
                let indent = text.prefix(while: { $0 == " " }).count
                let next = lines[(index + 1)...].first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                let nextIndent = next.map { $0.prefix(while: { $0 == " " }).count } ?? -1
                let isItem = next.map { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- ") } ?? false
                if index > 0, !(isItem && nextIndent >= indent) {
                    lines.remove(at: index)
                    continue
                }
            }
            index += 1
        }
    }
}

/// Rewrites codings when codes change: every coding of `from` or its sub-codes gets the
/// corresponding id under `to`.
public enum CodeRenaming {
    public static func rewrite(_ code: String, from: String, to: String) -> String? {
        if code == from { return to }
        if code.hasPrefix(from + "/") { return to + code.dropFirst(from.count) }
        return nil
    }

    /// The codings file's text with codes rewritten; nil when nothing changed. Lines keep their
    /// order and every other field.
    public static func apply(toCodingsText text: String, file: String, from: String, to: String) throws -> String? {
        var changed = false
        var out: [String] = []
        for (index, line) in TextFile.lines(text).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            // Turn, span and case-level codings alike.
            switch try CodingFile.parseRecord(trimmed, location: SourceLocation(file: file, line: index + 1, column: 1)) {
            case .text(var coding):
                guard let renamed = rewrite(coding.code, from: from, to: to) else { out.append(String(trimmed)); continue }
                coding.code = renamed
                changed = true
                out.append(coding.jsonLine)
            case .participant(var coding):
                guard let renamed = rewrite(coding.code, from: from, to: to) else { out.append(String(trimmed)); continue }
                coding.code = renamed
                changed = true
                out.append(coding.jsonLine)
            }
        }
        return changed ? out.joined(separator: "\n") + "\n" : nil
    }
}
