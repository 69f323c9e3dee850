import Core
import Foundation
import Index
import Project
import Qualitative
import ZIPFoundation

/// REFI-QDA codebook exchange for the study (`codebook import` and `codebook export`).
public struct CodebookExchange {
    public let study: Study

    public init(study: Study) {
        self.study = study
    }

    /// Imports the codes of a `.qdc` codebook or a `.qdpx` project as `codebooks/NAME.yaml`.
    /// - Returns: the path written and the number of codes.
    public func importCodebook(_ source: URL, as name: String?, replacing: Bool) throws -> (path: String, codes: Int) {
        let data = try Self.codebookXML(source)
        let exchange = try REFIQDACodebook.read(data, file: source.lastPathComponent)
        guard exchange.hasCodeBook else {
            throw CodingError("expected a REFI-QDA <CodeBook> element, found none", at: SourceLocation(file: source.lastPathComponent))
        }
        let fileName = (name ?? source.deletingPathExtension().lastPathComponent) + (name?.hasSuffix(".yaml") == true ? "" : ".yaml")
        let target = study.layout.codebooks.appendingPathComponent(fileName)
        return try study.withLock {
            if FileManager.default.fileExists(atPath: target.path) && !replacing {
                throw StudyError.invalid("\(study.relativePath(target)) exists; pass --replace, or --as another name", at: nil)
            }
            let yaml = REFIQDACodebook.yaml(for: exchange.codes, sets: exchange.sets, name: source.deletingPathExtension().lastPathComponent)
            let book = try Codebook.parse(yaml, file: study.relativePath(target))
            let (index, _) = try StudyIndex.open(study)
            let others = try index.codes(definedOutside: study.relativePath(target)).map(\.id)
            if let clash = book.codes.first(where: { others.contains($0.id) }) {
                throw StudyError.invalid("code '\(clash.id)' is already defined in another codebook; import with a parent prefix by editing, or rename the existing code first", at: nil)
            }
            try AtomicFile.write(yaml, to: target)
            try index.refresh()
            return (study.relativePath(target), book.codes.count)
        }
    }

    /// Every code of the study as a REFI-QDA `.qdc` document.
    public func exportCodebook() throws -> String {
        let (index, _) = try StudyIndex.open(study)
        let paths = try index.paths(of: .codebook)
        let books = try paths.map { try Codebook.read(study.resolve($0), displayPath: $0) }
        return REFIQDACodebook.export(books.flatMap(\.codes), sets: books.flatMap(\.sets), origin: "Triangulate \(TriangulateVersion.current)")
    }

    static func codebookXML(_ source: URL) throws -> Data {
        switch source.pathExtension.lowercased() {
        case "qdc", "qde", "xml":
            do { return try Data(contentsOf: source) } catch {
                throw FileError.cannotRead(path: source.path, reason: "no such file, or no permission to read it")
            }
        case "qdpx":
            let archive: Archive
            do { archive = try Archive(url: source, accessMode: .read) } catch {
                throw FileError.cannotRead(path: source.path, reason: "expected a REFI-QDA project (a zip archive), found a file that does not open as one")
            }
            // Member names are matched without regard to case: ATLAS.ti writes `Project.qde`.
            guard let entry = archive.first(where: { $0.path.lowercased() == "project.qde" }) else {
                throw FileError.cannotRead(path: source.path, reason: "expected project.qde inside the .qdpx archive, found none")
            }
            var data = Data()
            do { _ = try archive.extract(entry) { data.append($0) } } catch {
                throw FileError.cannotRead(path: source.path, reason: "project.qde could not be extracted: \(error)")
            }
            return data
        default:
            throw StudyError.invalid("expected a REFI-QDA codebook (.qdc) or project (.qdpx), found '\(source.lastPathComponent)'", at: nil)
        }
    }
}
