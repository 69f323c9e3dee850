import CLibPQ
import Foundation

/// A libpq connection string (`host=… dbname=… user=…` or a `postgresql://` URI), checked.
///
/// The password never comes from a study file: a string that carries one (`password=`, a URI's
/// `user:secret@`, or `sslpassword=`) is refused, and libpq finds it in `PGPASSWORD`, the file
/// `PGPASSFILE` names, or `~/.pgpass`. A connection always has a connect timeout, so an
/// unreachable server is an error after a few seconds, never a hang.
public struct ConnectionString: Sendable, Equatable {
    /// The string as the manifest gives it.
    public let text: String
    /// The parameters the string sets, by libpq keyword.
    public let parameters: [String: String]

    /// Seconds libpq waits for each host when the string does not say.
    public static let defaultConnectTimeout = 10

    /// Parses and checks `text`; the error says what is wrong, without echoing any secret.
    public init(_ text: String) throws(ConnectionStringError) {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &message) else {
            let reason = message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "libpq could not parse it"
            if let message { PQfreemem(message) }
            throw .unparsable(reason)
        }
        defer { PQconninfoFree(options) }
        var parameters: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { parameters[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        for secret in ["password", "sslpassword"] where parameters[secret] != nil {
            throw .embedsPassword(secret)
        }
        if let timeout = parameters["connect_timeout"] {
            guard let seconds = Int(timeout.trimmingCharacters(in: .whitespaces)), seconds > 0 else {
                throw .unboundedTimeout(timeout)
            }
        }
        self.text = text
        self.parameters = parameters
    }

    /// Where the string points, for messages: `user@host:port/dbname` with what it leaves out
    /// omitted (libpq then takes it from the environment or its defaults).
    public var target: String {
        var text = ""
        if let user = parameters["user"] { text += user + "@" }
        text += parameters["host"] ?? parameters["hostaddr"] ?? "the default host"
        if let port = parameters["port"] { text += ":" + port }
        if let dbname = parameters["dbname"] { text += "/" + dbname }
        return text
    }
}

/// Why a connection string was refused.
public enum ConnectionStringError: Error, Equatable, CustomStringConvertible {
    case unparsable(String)
    case embedsPassword(String)
    case unboundedTimeout(String)

    public var description: String {
        switch self {
        case .unparsable(let reason):
            return "expected a libpq connection string such as 'host=db.example.org dbname=research user=reader', \(reason)"
        case .embedsPassword(let keyword):
            return "expected a connection string without a password, found '\(keyword)=' (or a password in the URI); "
                + "a study is shared, so put the password in PGPASSWORD, PGPASSFILE or ~/.pgpass"
        case .unboundedTimeout(let value):
            return "expected connect_timeout as a positive number of seconds, found '\(value)' (0 would wait forever)"
        }
    }
}
