/// A place in a text file, for error messages a researcher can act on.
///
/// Lines and columns count from 1; columns count Unicode scalars, as an editor shows them.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}

/// An error that points at a place in a study file.
///
/// Every domain has its own error enum; those whose cases carry a location conform to this so the
/// command line can print `file:line:column: message` the same way for all of them.
public protocol LocatedError: Error, CustomStringConvertible {
    var location: SourceLocation? { get }
    /// What went wrong, in plain words, without the location.
    var message: String { get }
}

extension LocatedError {
    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
