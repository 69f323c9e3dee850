import Foundation
import Project

extension Study {
    /// `url` as a path relative to the study root, with `..` steps when it lies outside
    /// (`../exports/scopus.bib`), so `imports.csv` reads the same on another machine or after the
    /// study folder moved.
    public func pathFromRoot(_ url: URL) -> String {
        let target = url.standardizedFileURL.pathComponents
        let base = root.standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, base.count) && target[common] == base[common] { common += 1 }
        let steps = Array(repeating: "..", count: base.count - common) + target[common...]
        return steps.isEmpty ? "." : steps.joined(separator: "/")
    }

    /// A path as `imports.csv` recorded it: relative to the study root (written since issue 13),
    /// or absolute (older rows), made relative as `pathFromRoot` writes it.
    public func pathFromRoot(recorded path: String) -> String {
        guard path.hasPrefix("/") else { return path }
        return pathFromRoot(URL(fileURLWithPath: path))
    }
}
