import Core
import Datasets
import Foundation
import Qualitative

/// Reads a QualCoder project (its SQLite `data.qda`, opened read-only) into the neutral project
/// model, so it imports exactly as a REFI-QDA project does.
///
/// QualCoder's schema (its `source`, `code_cat`, `code_name`, `code_text`, `cases`,
/// `case_text`, `attribute`, `journal` tables): code categories become non-codable parent codes
/// (`supercatid` nests them), codes sit under their category (`catid`), and each `code_text` row
/// is a selection of `pos0..<pos1` in the source's `fulltext` with the coder in `owner` and the
/// coded text in `seltext`. QualCoder is written in Python, whose string indices are code
/// points; `seltext` lets each coding be checked against the text at its positions. Cases and
/// their attributes (`attr_type = 'case'`) become participants; journals and memos become notes.
public enum QualCoderReader {
    public static func read(_ url: URL, displayPath: String) throws -> REFIProjectReader.Loaded {
        var file = url
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            file = url.appendingPathComponent("data.qda")
        }
        let connection: QueryConnection
        do { connection = try QueryConnection.readOnly(file, displayPath: displayPath) } catch {
            throw InterchangeError.unreadable(file: displayPath, reason: "expected a QualCoder project (its SQLite data.qda), found a file that does not open as one (\(error))")
        }
        defer { try? connection.close() }
        func rows(_ sql: String, table: String) throws -> [[DataValue]] {
            do { return try connection.query(sql).rows } catch {
                throw InterchangeError.unreadable(file: displayPath, reason: "expected QualCoder's table '\(table)' with its usual columns, found: \(error)")
            }
        }
        func text(_ value: DataValue) -> String? {
            switch value {
            case .text(let text): return text
            case .integer(let number): return String(number)
            case .real(let number): return String(number)
            default: return nil
            }
        }
        func int(_ value: DataValue) -> Int? {
            if case .integer(let number) = value { return Int(exactly: number) }
            if case .text(let text) = value { return Int(text) }
            return nil
        }
        func key(_ kind: String, _ id: DataValue) -> String {
            REFIQDACodebook.derivedGUID(namespace: "qualcoder-\(kind)", text(id) ?? "")
        }

        var project = REFIProject(name: file.deletingLastPathComponent().deletingPathExtension().lastPathComponent, origin: "QualCoder",
                                  codebook: REFIQDACodebook.Exchange(codes: [], sets: [], hasCodeBook: true))
        if project.name.isEmpty || project.name == "." { project.name = "QualCoder project" }

        // Codes: categories nest by supercatid, codes hang under their category.
        let categories = try rows("SELECT catid, name, memo, supercatid FROM code_cat ORDER BY catid", table: "code_cat")
        let codes = try rows("SELECT cid, name, memo, catid, color FROM code_name ORDER BY cid", table: "code_name")
        func nodes(category: Int?) -> [REFIQDACodebook.Node] {
            var result: [REFIQDACodebook.Node] = []
            for row in categories where int(row[3]) == category {
                var node = REFIQDACodebook.Node(guid: key("cat", row[0]), name: text(row[1]) ?? "category",
                                                description: text(row[2]).flatMap { $0.isEmpty ? nil : $0 }, isCodable: false)
                if let id = int(row[0]), id != category { node.children = nodes(category: id) }
                result.append(node)
            }
            for row in codes where int(row[3]) == category {
                result.append(REFIQDACodebook.Node(guid: key("code", row[0]), name: text(row[1]) ?? "code",
                                                   description: text(row[2]).flatMap { $0.isEmpty ? nil : $0 },
                                                   color: text(row[4]).flatMap { Code.isValidColor($0) ? $0 : nil }))
            }
            return result
        }
        let knownCategories = Set(categories.compactMap { int($0[0]) })
        var roots = nodes(category: nil)
        // Codes or categories whose parent category is gone still come in, at the top.
        for row in categories where int(row[3]).map({ !knownCategories.contains($0) }) ?? false {
            roots.append(REFIQDACodebook.Node(guid: key("cat", row[0]), name: text(row[1]) ?? "category", isCodable: false,
                                              children: int(row[0]).map { nodes(category: $0) } ?? []))
        }
        for row in codes where int(row[3]).map({ !knownCategories.contains($0) }) ?? false {
            roots.append(REFIQDACodebook.Node(guid: key("code", row[0]), name: text(row[1]) ?? "code"))
        }
        project.codebook.codes = roots

        // Coders: every owner named anywhere.
        var owners = Set<String>()
        let codings = try rows("SELECT ctid, cid, fid, seltext, pos0, pos1, owner, date, memo FROM code_text ORDER BY fid, pos0, pos1, ctid", table: "code_text")
        for row in codings { if let owner = text(row[6]) { owners.insert(owner) } }
        for owner in owners.sorted() { project.users.append(.init(guid: REFIQDACodebook.derivedGUID(namespace: "qualcoder-user", owner), name: owner)) }

        // Sources with text; media sources without text are listed, not imported.
        var notes: [REFIProject.Note] = []
        var texts: [String: String] = [:]
        let sources = try rows("SELECT id, name, fulltext, mediapath, memo FROM source ORDER BY id", table: "source")
        let codingsBySource = Dictionary(grouping: codings, by: { int($0[2]) ?? -1 })
        for row in sources {
            let guid = key("source", row[0])
            let name = text(row[1]) ?? "source"
            let rowCodings = codingsBySource[int(row[0]) ?? -2] ?? []
            guard let fulltext = text(row[2]), !fulltext.isEmpty else {
                let kind = (text(row[3]) ?? "").lowercased()
                let label = kind.hasSuffix(".pdf") ? "PDF" : [".jpg", ".jpeg", ".png"].contains(where: kind.hasSuffix) ? "picture"
                    : [".mp3", ".m4a", ".wav", ".ogg"].contains(where: kind.hasSuffix) ? "audio" : [".mp4", ".mov", ".avi", ".mkv"].contains(where: kind.hasSuffix) ? "video" : "media"
                project.otherSources.append(.init(kind: label, guid: guid, name: name, selections: rowCodings.count, codings: rowCodings.count))
                continue
            }
            texts[guid] = fulltext
            var selections: [REFIProject.TextSelection] = []
            for coding in rowCodings {
                let ctid = text(coding[0]) ?? ""
                let user = text(coding[6]).map { REFIQDACodebook.derivedGUID(namespace: "qualcoder-user", $0) }
                var noteRefs: [String] = []
                if let memo = text(coding[8]), !memo.isEmpty {
                    let noteGUID = key("coding-memo", coding[0])
                    notes.append(.init(guid: noteGUID, name: "memo \(ctid)", text: memo, description: nil, creatingUser: user))
                    noteRefs.append(noteGUID)
                }
                selections.append(.init(
                    guid: key("coding", coding[0]), name: nil, start: int(coding[4]) ?? -1, end: int(coding[5]) ?? -1, description: nil,
                    creatingUser: user, creationDateTime: text(coding[7]).map(isoDate), codings: [
                        .init(guid: key("coding", coding[0]), codeGUID: key("code", coding[1]), creatingUser: user,
                              creationDateTime: text(coding[7]).map(isoDate), noteRefs: noteRefs),
                    ], noteRefs: [], expectedText: text(coding[3])))
            }
            var source = REFIProject.TextSource(guid: guid, name: name, plainTextPath: nil, richTextPath: nil, content: fulltext,
                                                description: nil, selections: selections, sourceCodings: 0, noteRefs: [], values: [])
            if let memo = text(row[4]), !memo.isEmpty {
                let noteGUID = key("source-memo", row[0])
                notes.append(.init(guid: noteGUID, name: "\(name) memo", text: memo, description: nil, creatingUser: nil))
                source.noteRefs.append(noteGUID)
            }
            project.textSources.append(source)
        }

        // Cases, the sources they hold, and their attributes.
        let cases = try rows("SELECT caseid, name, memo FROM cases ORDER BY caseid", table: "cases")
        let caseTexts = try rows("SELECT caseid, fid FROM case_text ORDER BY id", table: "case_text")
        let attributes = try rows("SELECT name, value, id FROM attribute WHERE attr_type = 'case' ORDER BY attrid", table: "attribute")
        for row in cases {
            let id = int(row[0])
            let members = caseTexts.filter { int($0[0]) == id }.compactMap { int($0[1]) }
            var sourceRefs: [String] = []
            for member in members { let guid = key("source", .integer(Int64(member))); if !sourceRefs.contains(guid) { sourceRefs.append(guid) } }
            let values = attributes.filter { int($0[2]) == id }.compactMap { attribute -> REFIProject.Case.Value? in
                guard let name = text(attribute[0]), let value = text(attribute[1]) else { return nil }
                return .init(variable: name, value: value)
            }
            project.cases.append(.init(guid: key("case", row[0]), name: text(row[1]) ?? "case", description: text(row[2]),
                                       values: values, sourceRefs: sourceRefs, codeRefs: []))
        }
        var attributeNames: [String] = []
        for attribute in attributes { if let name = text(attribute[0]), !attributeNames.contains(name) { attributeNames.append(name) } }
        project.variables = attributeNames.map { .init(guid: REFIQDACodebook.derivedGUID(namespace: "qualcoder-attribute", $0), name: $0, type: "Text") }

        for row in try rows("SELECT jid, name, jentry, owner FROM journal ORDER BY jid", table: "journal") {
            notes.append(.init(guid: key("journal", row[0]), name: text(row[1]) ?? "journal", text: text(row[2]), description: nil,
                               creatingUser: text(row[3]).map { REFIQDACodebook.derivedGUID(namespace: "qualcoder-user", $0) }))
        }
        project.notes = notes
        return REFIProjectReader.Loaded(project: project, texts: texts, missingTexts: [:])
    }

    /// QualCoder writes `yyyy-mm-dd hh:mm:ss`; codings carry ISO 8601.
    static func isoDate(_ text: String) -> String {
        let parts = text.split(separator: " ")
        guard parts.count == 2, parts[0].count == 10, parts[1].count == 8 else { return text }
        return "\(parts[0])T\(parts[1])Z"
    }
}
