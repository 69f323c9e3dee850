import Core
import Foundation

/// Errors of PostgreSQL datasets: each names the dataset and says what to check.
public enum PostgresDatasetError: LocatedError, Equatable {
    /// The manifest is not valid YAML or does not follow the PostgreSQL manifest schema.
    case invalidManifest(SourceLocation, String)
    /// The server cannot be reached (or refused the connection for a reason other than the password).
    case cannotConnect(dataset: String, target: String, reason: String)
    /// The server refused the role's credentials.
    case authenticationFailed(dataset: String, target: String, reason: String)
    /// The dataset's schema does not exist on the server, or the role may not use it.
    case missingSchema(dataset: String, schema: String, known: [String])
    /// A query named a table the schema does not have.
    case missingTable(dataset: String, schema: String, reason: String, known: [String])
    /// The connection's role may do more than read the dataset.
    case unsafeRole(dataset: String, role: String, reason: String)
    /// The manifest's role is the role that loads the tables, which metric queries would refuse.
    case sameRole(dataset: String, role: String)
    /// A query that does not only read was refused.
    case queryRefused(dataset: String, reason: String)
    /// A query ran past its time limit and was cancelled.
    case queryTimedOut(dataset: String, seconds: Double)
    /// A metric query returned more rows than the manifest's `max_rows` allows.
    case tooManyRows(dataset: String, limit: Int)
    /// The server went away while a command was running.
    case connectionLost(dataset: String, reason: String)
    /// The server's tables were loaded from other files than the manifest records.
    case stale(dataset: String, reason: String)
    /// Any other error the server reported: its SQLSTATE and message, without bound values.
    case server(dataset: String, sqlState: String, message: String)

    public var location: SourceLocation? {
        if case .invalidManifest(let location, _) = self { return location }
        return nil
    }

    public var message: String {
        switch self {
        case .invalidManifest(_, let message):
            return message
        case .cannotConnect(let dataset, let target, let reason):
            return "dataset '\(dataset)': cannot connect to PostgreSQL at \(target): \(reason); "
                + "check that the server runs and the manifest's connection string (host, port, dbname)"
        case .authenticationFailed(let dataset, let target, let reason):
            return "dataset '\(dataset)': PostgreSQL at \(target) refused the login: \(reason); "
                + "check the password in PGPASSWORD, PGPASSFILE or ~/.pgpass (never in the manifest)"
        case .missingSchema(let dataset, let schema, let known):
            let list = known.isEmpty ? "the role can use none" : "the role can use \(known.joined(separator: ", "))"
            return "dataset '\(dataset)': the schema '\(schema)' does not exist or the role may not use it (\(list)); "
                + "check 'schema:' in the manifest and the grants (GRANT USAGE ON SCHEMA)"
        case .missingTable(let dataset, let schema, let reason, let known):
            let list = known.isEmpty ? "it has none" : "it has \(known.joined(separator: ", "))"
            return "dataset '\(dataset)': \(reason) in schema '\(schema)' (\(list)); "
                + "check the query's table names and that the tables were loaded ('triangulate dataset import \(dataset) FILE… --into postgres')"
        case .unsafeRole(let dataset, let role, let reason):
            return "dataset '\(dataset)': the role '\(role)' \(reason); metric queries run only under a role "
                + "granted nothing but SELECT (see the README, \"PostgreSQL datasets\")"
        case .sameRole(let dataset, let role):
            return "dataset '\(dataset)': the manifest's connection logs in as '\(role)', the role that loads the tables; metric queries "
                + "run only under a role granted nothing but SELECT, so name that role in --connection and the loading role in "
                + "--load-connection (see the README, \"PostgreSQL datasets\")"
        case .queryRefused(let dataset, let reason):
            return "dataset '\(dataset)': query refused: \(reason); metric queries may only read (SELECT, WITH ... SELECT, VALUES, TABLE)"
        case .queryTimedOut(let dataset, let seconds):
            let text = seconds == seconds.rounded() && seconds < 1e15 ? String(Int(seconds)) : String(seconds)
            return "dataset '\(dataset)': the query ran longer than \(text) s and was cancelled; "
                + "simplify it or raise query_timeout in the dataset manifest"
        case .tooManyRows(let dataset, let limit):
            return "dataset '\(dataset)': the query returned more than \(limit) rows, the most a metric may take in; aggregate in SQL, "
                + "or raise max_rows in the dataset manifest"
        case .connectionLost(let dataset, let reason):
            return "dataset '\(dataset)': the connection to PostgreSQL was lost (\(reason)); "
                + "nothing was changed; check the server and run the command again"
        case .stale(let dataset, let reason):
            return "dataset '\(dataset)': \(reason)"
        case .server(let dataset, let sqlState, let message):
            return "dataset '\(dataset)': PostgreSQL (\(sqlState)): \(message)"
        }
    }
}
