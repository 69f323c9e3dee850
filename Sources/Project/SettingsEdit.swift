import Core
import Foundation
import YAMLSupport

extension Study {
    /// Adds `label` to the study's `interviewer:` list in triangulate.yaml, editing that one line
    /// so comments and the rest of the file stay as they are. A label already listed changes
    /// nothing. Call it holding the lock.
    /// - Returns: the settings as they are after the edit.
    public func addInterviewer(_ label: String) throws -> StudySettings {
        guard !settings.interviewer.contains(label) else { return settings }
        let url = root.appendingPathComponent(StudySettings.fileName)
        let text = try TextFile.read(url, displayPath: StudySettings.fileName)
        var lines = text.components(separatedBy: "\n")
        let listed = (settings.interviewer + [label]).map(YAMLWriter.quoted).joined(separator: ", ")
        if let index = lines.firstIndex(where: { $0.hasPrefix("interviewer:") }) {
            let value = lines[index].dropFirst("interviewer:".count).trimmingCharacters(in: .whitespaces)
            guard value.hasPrefix("[") else {
                throw StudyError.invalid("'interviewer:' in triangulate.yaml is a block list; add '\(label)' to it by hand",
                                         at: SourceLocation(file: StudySettings.fileName, line: index + 1, column: 1))
            }
            let comment = value.range(of: "#").map { "  " + value[$0.lowerBound...] } ?? ""
            lines[index] = "interviewer: [\(listed)]\(comment)"
        } else {
            if lines.last == "" { lines.removeLast() }
            lines.append("interviewer: [\(listed)]")
            lines.append("")
        }
        let edited = lines.joined(separator: "\n")
        // Parse what will be written, so a settings file that could not be read back is never written.
        let check = root.appendingPathComponent(".\(StudySettings.fileName).check")
        try AtomicFile.write(edited, to: check)
        defer { try? FileManager.default.removeItem(at: check) }
        let updated = try StudySettings.read(check, displayPath: StudySettings.fileName)
        try AtomicFile.write(edited, to: url)
        return updated
    }
}
