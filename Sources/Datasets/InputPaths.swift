import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A manifest path that leads outside the study or through a symbolic link, as `status` lists it.
///
/// A shared study is a replication package that others clone and run: a manifest path such as
/// `../../../../etc/passwd`, or a data file that is a symbolic link to one elsewhere, would make
/// `matrix` read files the researcher never meant to share. Such paths are refused unless the
/// manifest opts in with `outside: true` (on the file entry, or at the top for every path of the
/// manifest), which a reviewer sees in the diff.
public struct InputLink: Sendable, Equatable {
    /// Why a path is listed.
    public enum Kind: String, Sendable {
        /// The file's real path is not inside the study folder.
        case outsideStudy = "outside the study"
        /// The file is inside the study but reached through a symbolic link.
        case symbolicLink = "through a symbolic link"
    }

    /// The path as the manifest gives it.
    public var path: String
    /// The real path it leads to (symbolic links resolved).
    public var target: String
    public var kind: Kind
    /// True when the manifest allows it with `outside: true`.
    public var isAllowed: Bool
}

/// Resolves manifest paths against the study root and decides whether they may be read.
struct InputPaths {
    let studyRoot: URL

    /// The file a manifest path names, after checking it stays inside the study (or is allowed
    /// out): the URL is the real path, so what is hashed is what is read.
    func resolve(_ path: String, allowOutside: Bool) throws -> URL {
        let (url, link) = classify(path)
        if let link, !allowOutside {
            throw DatasetError.pathNotAllowed(path: path, target: link.target, reason: link.kind.rawValue)
        }
        return url
    }

    /// The real URL of a manifest path and, when it leaves the study or passes a link, why.
    func classify(_ path: String, allowed: Bool = false) -> (url: URL, link: InputLink?) {
        let root = studyRoot.standardizedFileURL.path
        let lexical = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : studyRoot.appendingPathComponent(path))
            .standardizedFileURL.path
        let realRoot = Self.realPath(root) ?? root
        guard let real = Self.realPath(lexical) else {
            // A missing file: judged by its path alone; reading it fails later with "no such file".
            let inside = lexical.hasPrefix(root + "/")
            let link = inside ? nil : InputLink(path: path, target: lexical, kind: .outsideStudy, isAllowed: allowed)
            return (URL(fileURLWithPath: lexical), link)
        }
        let url = URL(fileURLWithPath: real)
        guard real.hasPrefix(realRoot + "/") else {
            return (url, InputLink(path: path, target: real, kind: .outsideStudy, isAllowed: allowed))
        }
        let relative = lexical.hasPrefix(root + "/") ? String(lexical.dropFirst(root.count + 1)) : nil
        if relative.map({ realRoot + "/" + $0 }) != real {
            return (url, InputLink(path: path, target: real, kind: .symbolicLink, isAllowed: allowed))
        }
        return (url, nil)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
