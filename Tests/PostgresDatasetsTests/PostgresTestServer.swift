import Datasets
import Foundation
@testable import PostgresDatasets
import TestSupport
import XCTest

/// The PostgreSQL server the integration tests run against: `TRIANGULATE_TEST_POSTGRES` holds
/// a libpq connection string for a role that may create roles, schemas and tables (`.ci/run`
/// starts a throwaway cluster and sets it; the password comes from PGPASSWORD or PGPASSFILE).
/// Each test gets a schema of its own and drops it at the end.
final class PostgresTestServer {
    static let variable = "TRIANGULATE_TEST_POSTGRES"
    /// The role metric queries run under: granted USAGE on each test schema and SELECT on its tables.
    static let readerRole = "triangulate_test_reader"
    static let readerPassword = "reader-\(UUID().uuidString.prefix(8))"
    /// The administrator's passfile once PGPASSWORD has been moved into it (kept for the run).
    nonisolated(unsafe) static var adminPassfile: URL?

    let admin: ConnectionString
    let schema: String
    let directory: URL
    private let session: PostgresSession

    init(for testCase: XCTestCase) throws {
        guard let text = ProcessInfo.processInfo.environment[Self.variable], !text.isEmpty else {
            throw XCTSkip("set \(Self.variable) to a libpq connection string (as .ci/run does) to run the PostgreSQL integration tests; skipped")
        }
        schema = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        directory = try TestPaths.temporaryDirectory(for: testCase)
        // libpq prefers PGPASSWORD to any passfile, so it would override the test roles' own
        // passfiles: the administrator's password moves into a passfile of its own.
        if let password = ProcessInfo.processInfo.environment["PGPASSWORD"] {
            let passfile = FileManager.default.temporaryDirectory
                .appendingPathComponent("triangulate-tests-pgpass-\(ProcessInfo.processInfo.processIdentifier)")
            try "*:*:*:*:\(password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:"))\n"
                .write(to: passfile, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passfile.path)
            admin = try ConnectionString(text + " passfile='\(passfile.path)'")
            unsetenv("PGPASSWORD")
            Self.adminPassfile = passfile
        } else if let passfile = Self.adminPassfile {
            admin = try ConnectionString(text + " passfile='\(passfile.path)'")
        } else {
            admin = try ConnectionString(text)
        }
        session = try PostgresSession(admin, dataset: "test-admin")
        try run("""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(Self.readerRole)') THEN
                CREATE ROLE \(Self.readerRole) LOGIN NOINHERIT;
              END IF;
            END $$;
            ALTER ROLE \(Self.readerRole) PASSWORD '\(Self.readerPassword)';
            CREATE SCHEMA \(schema);
            GRANT USAGE ON SCHEMA \(schema) TO \(Self.readerRole);
            ALTER DEFAULT PRIVILEGES IN SCHEMA \(schema) GRANT SELECT ON TABLES TO \(Self.readerRole)
            """)
        let schema = self.schema
        let session = self.session
        testCase.addTeardownBlock {
            _ = try? session.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE", deadline: Date().addingTimeInterval(30))
            session.close()
        }
    }

    /// Runs SQL as the administrator.
    @discardableResult
    func run(_ sql: String) throws -> PostgresResult {
        try session.execute(sql, deadline: Date().addingTimeInterval(60))
    }

    /// A connection string for `role` on the same server, its password in a passfile of its own.
    func connection(role: String, password: String) throws -> ConnectionString {
        let passfile = directory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try "*:*:*:\(role):\(password)\n".write(to: passfile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passfile.path)
        var parts: [String] = []
        for key in ["host", "hostaddr", "port", "dbname", "sslmode"] {
            if let value = admin.parameters[key] { parts.append("\(key)='\(value)'") }
        }
        parts.append("user='\(role)'")
        parts.append("passfile='\(passfile.path)'")
        return try ConnectionString(parts.joined(separator: " "))
    }

    /// The reader role's connection string.
    func reader() throws -> ConnectionString {
        try connection(role: Self.readerRole, password: Self.readerPassword)
    }

    /// A manifest for this test's schema under the reader role.
    func manifest(name: String = "demo", files: [DatasetManifest.DataFile] = [], timeout: Double? = nil) throws -> PostgresManifest {
        PostgresManifest(name: name, connection: try reader(), schema: schema, queryTimeout: timeout, files: files)
    }
}

/// The demo study's dataset files, as its manifests import them.
enum DemoFiles {
    static let root = TestPaths.repositoryRoot

    static let models = DatasetManifest.DataFile(path: "corpus/datasets/hf-2022/models.csv", table: "models")
    static let baseModels = DatasetManifest.DataFile(path: "corpus/datasets/hf-descendants/base_models.csv", table: "base_models")
    static let snapshots = DatasetManifest.DataFile(path: "corpus/datasets/turnover/snapshots.csv", table: "snapshots",
                                                    columns: ["name": .text])

    static let all = [models, baseModels, snapshots]

    /// A SQLite dataset of the same files, derived in a scratch study that links the demo's corpus.
    static func sqlite(in directory: URL) throws -> QueryConnection {
        let study = directory.appendingPathComponent("sqlite-study")
        for file in all {
            let target = study.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: root.appendingPathComponent(file.path), to: target)
        }
        let store = DatasetStore(studyRoot: study)
        let prepared = try store.prepare(DatasetManifest(name: "demo", files: all))
        return try store.open(prepared)
    }
}
