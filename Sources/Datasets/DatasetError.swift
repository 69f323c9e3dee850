import Core
import Foundation

/// Errors raised while reading dataset manifests, importing data files, or running queries.
public enum DatasetError: LocatedError, Equatable {
    /// A manifest is not valid YAML or does not follow the manifest schema.
    case invalidManifest(SourceLocation, String)
    /// A data file cannot be parsed: what was expected at the location, and what was found.
    case invalidData(SourceLocation, expected: String, found: String)
    /// A value does not fit the type the manifest declares for its column.
    case valueDoesNotFitType(SourceLocation, column: String, type: ColumnType, value: String)
    /// An input file or database cannot be found or read.
    case cannotRead(path: String, reason: String)
    /// A manifest path leads outside the study or through a symbolic link, and the manifest does
    /// not allow it with `outside: true`.
    case pathNotAllowed(path: String, target: String, reason: String)
    /// An input's SHA-256 differs from the one its manifest records, in frozen mode.
    case inputChanged(path: String, recorded: String?, actual: String)
    /// A data file changed on disk while it was being imported.
    case changedDuringImport(path: String)
    /// The derived database cannot be written.
    case cannotWrite(path: String, reason: String)
    /// The query guard refused a statement that does not only read.
    case queryRefused(String)
    /// A query ran past its time limit and was interrupted.
    case queryTimedOut(seconds: Double)
    /// A query returned more rows than the dataset's `max_rows` allows.
    case tooManyRows(limit: Int)
    /// A query hit a memory or size limit of the guard.
    case queryResourceLimit(String)
    /// A time or row limit given to the guard is out of range.
    case invalidLimit(String)
    /// SQLite reported an error; the message is SQLite's own, without bound values.
    case sqlite(String)

    public var location: SourceLocation? {
        switch self {
        case .invalidManifest(let location, _), .invalidData(let location, _, _),
             .valueDoesNotFitType(let location, _, _, _):
            return location
        case .cannotRead(let path, _), .changedDuringImport(let path), .cannotWrite(let path, _),
             .pathNotAllowed(let path, _, _), .inputChanged(let path, _, _):
            return SourceLocation(file: path)
        case .queryRefused, .queryTimedOut, .tooManyRows, .queryResourceLimit, .invalidLimit, .sqlite:
            return nil
        }
    }

    public var message: String {
        switch self {
        case .invalidManifest(_, let message):
            return message
        case .invalidData(_, let expected, let found):
            return "expected \(expected), found \(found)"
        case .valueDoesNotFitType(_, let column, let type, let value):
            return "column '\(column)' is declared \(type.rawValue) in the manifest, found '\(value)'"
        case .cannotRead(_, let reason):
            return "cannot read: \(reason)"
        case .pathNotAllowed(_, let target, let reason):
            return "the path leads \(reason) (to \(target)); copy the file into the study, or add 'outside: true' to its manifest entry if it must stay where it is"
        case .inputChanged(_, let recorded, let actual):
            let what = recorded.map { "its SHA-256 is \(actual), the manifest records \($0)" }
                ?? "the manifest records no SHA-256 for it (now \(actual))"
            return "the input is not the one the manifest records (\(what)); frozen mode uses only recorded data: restore the file, or leave frozen mode and record the change with 'triangulate dataset refresh'"
        case .changedDuringImport:
            return "the file changed while it was being imported; run the command again"
        case .cannotWrite(_, let reason):
            return "cannot write the derived database: \(reason)"
        case .queryRefused(let reason):
            return "query refused: \(reason); metric queries may only read (SELECT, WITH ... SELECT, VALUES)"
        case .queryTimedOut(let seconds):
            return "the query ran longer than \(Self.format(seconds)) s and was stopped; "
                + "simplify it or raise query_timeout in the dataset manifest"
        case .tooManyRows(let limit):
            return "the query returned more than \(limit) rows, the most a metric may take in; aggregate in SQL, "
                + "or raise max_rows in the dataset manifest"
        case .queryResourceLimit(let reason):
            return "query stopped: \(reason); simplify it or aggregate in smaller steps"
        case .invalidLimit(let reason):
            return reason
        case .sqlite(let message):
            return "SQLite: \(message)"
        }
    }

    private static func format(_ seconds: Double) -> String {
        Int(exactly: seconds).map(String.init) ?? String(seconds)
    }
}
