/// Something a reader or a command wants the researcher to know about a file: an error that
/// stops the work that needs the file, a warning that does not, or a note.
public struct Diagnostic: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
        case error, warning, note

        public static func < (a: Severity, b: Severity) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public var severity: Severity
    /// `FILE:LINE:COLUMN`, or just the file.
    public var location: String
    public var message: String

    public init(_ severity: Severity, at location: String, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// A diagnostic from a thrown error, located where the error says or else at `file`.
    public init(_ severity: Severity, from error: Error, file: String) {
        let located = error as? LocatedError
        self.init(severity, at: located?.location?.description ?? file, located?.message ?? String(describing: error))
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
