import Core
import Foundation
import YAMLSupport

extension Study {
    /// Adds `label` to the study's `interviewer:` list in triangulate.yaml, editing that one line
    /// so comments and the rest of the file stay as they are. A label already listed changes
    /// nothing. Call it holding the lock.
    /// - Returns: the settings as they are after the edit.
    public func addInterviewer(_ label: String) throws -> StudySettings {
        guard let edit = try settingsEdit(adding: [label], to: "interviewer", listed: settings.interviewer) else { return settings }
        try AtomicFile.write(edit.text, to: root.appendingPathComponent(StudySettings.fileName))
        return edit.settings
    }

    /// The change that adds `coders` to the `coders:` list in triangulate.yaml, editing that one
    /// line (see `addInterviewer`), for a caller to apply with the rest of a journalled change;
    /// nil when every coder is listed already.
    public func addingCoders(_ coders: [String]) throws -> FileChange? {
        try settingsEdit(adding: coders, to: "coders", listed: settings.coders).map { FileChange(path: StudySettings.fileName, text: $0.text) }
    }

    /// triangulate.yaml with `values` appended to the flow list `key:` (or a new `key:` line at
    /// the end), checked by reading it back; nil when every value is listed already.
    func settingsEdit(adding values: [String], to key: String, listed: [String]) throws -> (text: String, settings: StudySettings)? {
        var all = listed
        for value in values where !all.contains(value) { all.append(value) }
        guard all.count > listed.count else { return nil }
        let url = root.appendingPathComponent(StudySettings.fileName)
        let text = try TextFile.read(url, displayPath: StudySettings.fileName)
        var lines = text.components(separatedBy: "\n")
        let flow = "\(key): [\(all.map(YAMLWriter.quoted).joined(separator: ", "))]"
        if let index = lines.firstIndex(where: { $0.hasPrefix("\(key):") }) {
            let value = lines[index].dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
            guard value.hasPrefix("[") else {
                throw StudyError.invalid("'\(key):' in triangulate.yaml is a block list; add \(values.map { "'\($0)'" }.joined(separator: ", ")) to it by hand",
                                         at: SourceLocation(file: StudySettings.fileName, line: index + 1, column: 1))
            }
            let comment = value.range(of: "#").map { "  " + value[$0.lowerBound...] } ?? ""
            lines[index] = flow + comment
        } else {
            if lines.last == "" { lines.removeLast() }
            lines.append(flow)
            lines.append("")
        }
        let edited = lines.joined(separator: "\n")
        // Parse what will be written, so a settings file that could not be read back is never written.
        let check = root.appendingPathComponent(".\(StudySettings.fileName).check")
        try AtomicFile.write(edited, to: check)
        defer { try? FileManager.default.removeItem(at: check) }
        return (edited, try StudySettings.read(check, displayPath: StudySettings.fileName))
    }
}
