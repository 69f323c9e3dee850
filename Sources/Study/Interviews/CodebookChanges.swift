import Claims
import Core
import Foundation
import Index
import Project
import Qualitative
import YAMLSupport

/// What a codebook change rewrote.
public struct CodebookChangeSummary: Sendable, Equatable {
    public var codebook: String
    public var codingFiles: [String]
    public var claimFiles: [String]
}

/// Changes to the codes of a study: add, rename, move, merge, remove. Each rewrites the codebook
/// and every coding and claim file that uses the code, one file at a time atomically, under the
/// study lock. Codings and claims are rewritten before the codebook, so an interrupted change
/// leaves codings pointing at the new id (which `status` reports) and running the same change
/// again completes it.
public struct CodebookChanges {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    public func add(id: String, name: String?, definition: String?, parent: String?, codebook: String?) throws -> CodebookChangeSummary {
        try change { index in
            let path: String
            if let parent {
                path = try codebookPath(of: parent, index: index)
            } else if let codebook {
                path = codebook.contains("/") ? codebook : "codebooks/\(codebook)"
            } else {
                let books = try index.paths(of: .codebook)
                guard books.count == 1 else {
                    throw StudyError.invalid(books.isEmpty
                        ? "there is no codebook yet; pass --codebook NAME.yaml to create codebooks/NAME.yaml"
                        : "the study has several codebooks (\(books.joined(separator: ", "))); say which with --codebook", at: nil)
                }
                path = books[0]
            }
            let url = study.resolve(path)
            let existing = FileManager.default.fileExists(atPath: url.path) ? try TextFile.read(url, displayPath: path) : "codes:\n"
            var editor = CodebookEditor(text: existing, file: path)
            try editor.add(id: id, name: name ?? id, definition: definition, parent: parent)
            try write(editor, to: path, index: index)
            return CodebookChangeSummary(codebook: path, codingFiles: [], claimFiles: [])
        }
    }

    public func rename(_ id: String, to newSegment: String) throws -> CodebookChangeSummary {
        try change { index in
            let path = try codebookPath(of: id, index: index)
            var editor = CodebookEditor(text: try TextFile.read(study.resolve(path), displayPath: path), file: path)
            try editor.rename(id, to: newSegment)
            let parent = id.split(separator: "/").dropLast().joined(separator: "/")
            let newId = parent.isEmpty ? newSegment : "\(parent)/\(newSegment)"
            return try rewrite(from: id, to: newId, then: editor, at: path, index: index)
        }
    }

    public func move(_ id: String, under parent: String?) throws -> CodebookChangeSummary {
        try change { index in
            let path = try codebookPath(of: id, index: index)
            if let parent, try codebookPath(of: parent, index: index) != path {
                throw StudyError.invalid("'\(parent)' is in another codebook; a code moves within its codebook", at: nil)
            }
            var editor = CodebookEditor(text: try TextFile.read(study.resolve(path), displayPath: path), file: path)
            try editor.move(id, under: parent)
            let segment = String(id.split(separator: "/").last!)
            return try rewrite(from: id, to: parent.map { "\($0)/\(segment)" } ?? segment, then: editor, at: path, index: index)
        }
    }

    /// Merges `from` into `into`: its codings take `into`'s id and `from` leaves the codebook.
    public func merge(_ from: String, into: String) throws -> CodebookChangeSummary {
        try change { index in
            let path = try codebookPath(of: from, index: index)
            _ = try codebookPath(of: into, index: index)
            if into == from || into.hasPrefix(from + "/") {
                throw StudyError.invalid("cannot merge '\(from)' into itself or one of its sub-codes", at: nil)
            }
            var editor = CodebookEditor(text: try TextFile.read(study.resolve(path), displayPath: path), file: path)
            try editor.remove(from)
            return try rewrite(from: from, to: into, then: editor, at: path, index: index)
        }
    }

    /// Removes a code no coding uses (merge it into another code otherwise: codings are never dropped).
    public func remove(_ id: String) throws -> CodebookChangeSummary {
        try change { index in
            let path = try codebookPath(of: id, index: index)
            let used = try index.codingCount(covering: id)
            if used > 0 {
                throw StudyError.invalid("\(used) coding\(used == 1 ? " uses" : "s use") '\(id)'; merge it into another code instead ('triangulate code merge \(id) OTHER'), so no coding is lost", at: nil)
            }
            var editor = CodebookEditor(text: try TextFile.read(study.resolve(path), displayPath: path), file: path)
            try editor.remove(id)
            try write(editor, to: path, index: index)
            return CodebookChangeSummary(codebook: path, codingFiles: [], claimFiles: [])
        }
    }

    // MARK: Steps

    private func change(_ body: (StudyIndex) throws -> CodebookChangeSummary) throws -> CodebookChangeSummary {
        return try study.withLock {
            let (index, _) = try StudyIndex.open(study)
            let summary = try body(index)
            try index.refresh()
            return summary
        }
    }

    private func codebookPath(of id: String, index: StudyIndex) throws -> String {
        try index.codebookPath(ofCode: id)
    }

    /// Checks the edited codebook, rewrites codings and claims from `from` to `to`, then writes the codebook.
    private func rewrite(from: String, to: String, then editor: CodebookEditor, at path: String, index: StudyIndex) throws -> CodebookChangeSummary {
        let book = try editor.codebook()
        try checkUnique(book, replacing: path, index: index)
        var summary = CodebookChangeSummary(codebook: path, codingFiles: [], claimFiles: [])
        var changes: [FileChange] = []
        let codingPaths = try index.paths(of: .codings)
        for codingPath in codingPaths {
            let url = study.resolve(codingPath)
            if let text = try CodeRenaming.apply(toCodingsText: TextFile.read(url, displayPath: codingPath), file: codingPath, from: from, to: to) {
                changes.append(FileChange(path: codingPath, text: text))
                summary.codingFiles.append(codingPath)
            }
        }
        let claimPaths = try index.paths(of: .claim)
        for claimPath in claimPaths {
            let url = study.resolve(claimPath)
            var text = try TextFile.read(url, displayPath: claimPath)
            var changed = false
            // Replace from the end so earlier locations stay valid.
            for (code, location) in try Claim.codeLocations(in: text, file: claimPath).reversed() {
                guard let renamed = CodeRenaming.rewrite(code, from: from, to: to), let line = location.line, let column = location.column,
                      let edited = YAMLScalarEdit.replace(in: text, line: line, column: column, expected: code, with: renamed) else { continue }
                text = edited
                changed = true
            }
            if changed {
                changes.append(FileChange(path: claimPath, text: text))
                summary.claimFiles.append(claimPath)
            }
        }
        // Every file of the change, codebook last, through the journal: a kill at any rename
        // leaves the study before the change or, at the next command, after it.
        changes.append(FileChange(path: path, text: editor.text))
        try study.apply(changes)
        return summary
    }

    private func write(_ editor: CodebookEditor, to path: String, index: StudyIndex) throws {
        try checkUnique(try editor.codebook(), replacing: path, index: index)
        try AtomicFile.write(editor.text, to: study.resolve(path))
    }

    /// Code ids are unique across the study's codebooks.
    private func checkUnique(_ book: Codebook, replacing path: String, index: StudyIndex) throws {
        let others = try index.codes(definedOutside: path)
        for code in book.codes {
            if let other = others.first(where: { $0.0 == code.id }) {
                throw StudyError.invalid("code '\(code.id)' would also be defined in \(other.1); code ids are unique across codebooks", at: nil)
            }
        }
    }
}
