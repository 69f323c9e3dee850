import CLibPQ
import Datasets
import Foundation

/// One libpq connection, driven through the asynchronous API so that no call waits past its
/// deadline.
///
/// Each command is sent with `PQsendQuery`/`PQsendQueryParams` and its results awaited with
/// `poll` on the connection's socket. When a deadline passes the session asks the server to cancel
/// (`PQcancel`) and waits a few more seconds for it to answer; a server that does not answer even
/// then is treated as gone and the connection closed. The server's `statement_timeout` stops the
/// same statements on its side; this bound also holds when the network, not the query, stalls.
final class PostgresSession {
    let dataset: String
    let target: String
    private var connection: OpaquePointer?

    /// How long a cancelled command may take to answer before the connection counts as lost.
    private static let cancelGrace: TimeInterval = 5

    /// Connects, or throws a clear error naming the dataset: `cannotConnect` or `authenticationFailed`.
    init(_ connectionString: ConnectionString, dataset: String) throws {
        self.dataset = dataset
        target = connectionString.target
        // Defaults first: with expand_dbname the manifest's own string, given last as dbname,
        // overrides any of them it names.
        let parameters: [(String, String)] = [
            ("connect_timeout", String(ConnectionString.defaultConnectTimeout)),
            ("keepalives", "1"), ("keepalives_idle", "30"), ("keepalives_interval", "10"), ("keepalives_count", "3"),
            ("fallback_application_name", "triangulate"),
            ("client_encoding", "UTF8"),
            ("dbname", connectionString.text),
        ]
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer { (keywords + values).forEach { free($0) } }
        var keywordPointers = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers = values.map { UnsafePointer($0) } + [nil]
        let handle = PQconnectdbParams(&keywordPointers, &valuePointers, 1)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let reason = handle.map { Self.errorMessage(of: $0) } ?? "libpq could not allocate a connection"
            PQfinish(handle)
            let lowered = reason.lowercased()
            if lowered.contains("password") || lowered.contains("authentication") {
                throw PostgresDatasetError.authenticationFailed(dataset: dataset, target: target, reason: reason)
            }
            throw PostgresDatasetError.cannotConnect(dataset: dataset, target: target, reason: reason)
        }
        connection = handle
        // libpq prints notices ("table … does not exist, skipping") on stderr by default; a
        // library leaves the terminal to the command line.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try execute("""
            SET extra_float_digits = 3; SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC';
            SET IntervalStyle = 'iso_8601'; SET bytea_output = 'hex'; SET standard_conforming_strings = on
            """, deadline: Date().addingTimeInterval(TimeInterval(ConnectionString.defaultConnectTimeout)))
    }

    deinit { close() }

    func close() {
        if let connection { PQfinish(connection) }
        connection = nil
    }

    /// The server's version as it reports it, e.g. `15.20 (Debian 15.20-0+deb12u1)`.
    var serverVersion: String {
        guard let connection, let value = PQparameterStatus(connection, "server_version") else { return "unknown" }
        return String(cString: value)
    }

    /// The process id of the server backend serving this connection.
    var backendPID: Int32 { connection.map { PQbackendPID($0) } ?? 0 }

    /// Runs the session's own SQL, which may hold several statements (the simple protocol), and
    /// returns the last statement's result.
    @discardableResult
    func execute(_ sql: String, deadline: Date?) throws -> PostgresResult {
        let connection = try live()
        guard PQsendQuery(connection, sql) == 1 else { throw lostOrFailed() }
        return try awaitResults(deadline: deadline)
    }

    /// Runs exactly one statement with text parameters `$1, $2, …` (the extended protocol, which
    /// refuses a string holding several statements).
    @discardableResult
    func execute(_ sql: String, parameters: [String?], deadline: Date?) throws -> PostgresResult {
        let connection = try live()
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        var pointers = copies.map { UnsafePointer($0) }
        let sent = PQsendQueryParams(connection, sql, Int32(parameters.count), nil, &pointers, nil, nil, 0)
        guard sent == 1 else { throw lostOrFailed() }
        return try awaitResults(deadline: deadline)
    }

    /// Runs `COPY … FROM STDIN` and streams the data `produce` writes; returns the rows copied.
    func copyIn(_ sql: String, _ produce: (CopyWriter) throws -> Void) throws -> Int {
        let connection = try live()
        guard PQsendQuery(connection, sql) == 1 else { throw lostOrFailed() }
        let started = try awaitResults(deadline: nil, stopAtCopy: true)
        guard started.status == PGRES_COPY_IN else { throw failure(started) }
        let writer = CopyWriter(connection: connection)
        do {
            try produce(writer)
            try writer.flush()
        } catch {
            PQputCopyEnd(connection, "the import stopped")
            _ = try? awaitResults(deadline: Date().addingTimeInterval(Self.cancelGrace))
            throw error
        }
        guard PQputCopyEnd(connection, nil) == 1 else { throw lostOrFailed() }
        let finished = try awaitResults(deadline: nil)
        guard finished.status == PGRES_COMMAND_OK else { throw failure(finished) }
        return Int(finished.commandTuples) ?? 0
    }

    private func live() throws -> OpaquePointer {
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            throw PostgresDatasetError.connectionLost(dataset: dataset, reason: "the connection is closed")
        }
        return connection
    }

    /// Waits for a command's results, cancelling it at `deadline`; returns the last result and
    /// throws the first error, classified.
    private func awaitResults(deadline: Date?, stopAtCopy: Bool = false) throws -> PostgresResult {
        guard let connection else { throw PostgresDatasetError.connectionLost(dataset: dataset, reason: "the connection is closed") }
        var results: [PostgresResult] = []
        var cancelledAt: Date?
        while true {
            while PQisBusy(connection) == 1 {
                let now = Date()
                if let deadline, now >= deadline, cancelledAt == nil {
                    cancelledAt = now
                    cancel(connection)
                    continue
                }
                if let cancelledAt, now.timeIntervalSince(cancelledAt) >= Self.cancelGrace {
                    close()
                    throw PostgresDatasetError.connectionLost(dataset: dataset, reason: "the server did not answer a cancel request within \(Int(Self.cancelGrace)) s")
                }
                let until = cancelledAt.map { $0.addingTimeInterval(Self.cancelGrace) } ?? deadline
                var wait: Int32 = -1
                if let until { wait = Int32(max(0, min(until.timeIntervalSince(now) * 1000, 60_000)).rounded(.up)) }
                var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, wait)
                if ready < 0 && errno != EINTR { throw lostOrFailed() }
                if ready > 0, PQconsumeInput(connection) == 0 { throw lostOrFailed() }
            }
            guard let handle = PQgetResult(connection) else { break }
            let result = PostgresResult(handle)
            results.append(result)
            if result.status == PGRES_COPY_IN || result.status == PGRES_COPY_OUT || result.status == PGRES_COPY_BOTH {
                if stopAtCopy { return result }
                throw PostgresDatasetError.queryRefused(dataset: dataset, reason: "COPY cannot run here")
            }
        }
        if PQstatus(connection) != CONNECTION_OK {
            close()
            let reason = results.first(where: { $0.status == PGRES_FATAL_ERROR })?.errorMessage ?? "the server closed the connection"
            throw PostgresDatasetError.connectionLost(dataset: dataset, reason: reason)
        }
        if let error = results.first(where: { $0.status == PGRES_FATAL_ERROR || $0.status == PGRES_BAD_RESPONSE }) {
            if cancelledAt != nil, error.sqlState == "57014" { throw PostgresTimeout() }
            throw failure(error)
        }
        guard let last = results.last else {
            throw PostgresDatasetError.server(dataset: dataset, sqlState: "", message: "the server returned no result")
        }
        return last
    }

    private func cancel(_ connection: OpaquePointer) {
        guard let cancel = PQgetCancel(connection) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }

    /// The error for a failed result; a statement timeout becomes ``PostgresTimeout`` for the
    /// caller, who knows the limit, to report.
    func failure(_ result: PostgresResult) -> Error {
        let state = result.sqlState
        if state == "57014" { return PostgresTimeout() }
        if state.hasPrefix("57P") || state.hasPrefix("08") {
            return PostgresDatasetError.connectionLost(dataset: dataset, reason: result.errorMessage)
        }
        return PostgresServerError(sqlState: state, message: result.errorMessage)
    }

    /// The error after libpq reported a failure without a result: a lost connection, or another.
    private func lostOrFailed() -> Error {
        guard let connection else { return PostgresDatasetError.connectionLost(dataset: dataset, reason: "the connection is closed") }
        let reason = Self.errorMessage(of: connection)
        if PQstatus(connection) != CONNECTION_OK {
            close()
            return PostgresDatasetError.connectionLost(dataset: dataset, reason: reason)
        }
        return PostgresServerError(sqlState: "", message: reason)
    }

    static func errorMessage(of connection: OpaquePointer) -> String {
        guard let text = PQerrorMessage(connection) else { return "unknown error" }
        return String(cString: text).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}

/// A statement stopped because its time ran out (SQLSTATE 57014); the caller names the limit.
struct PostgresTimeout: Error {}

/// An error the server reported for a statement, before the caller classifies it.
struct PostgresServerError: Error {
    var sqlState: String
    var message: String
}

/// A libpq result, cleared when released.
final class PostgresResult {
    let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { PQclear(handle) }

    var status: ExecStatusType { PQresultStatus(handle) }
    var rowCount: Int { Int(PQntuples(handle)) }
    var columnCount: Int { Int(PQnfields(handle)) }
    var commandTuples: String { String(cString: PQcmdTuples(handle)) }

    var sqlState: String { field(UInt8(ascii: "C")) ?? "" }

    /// The server's primary message, with its detail and hint when it gives them.
    var errorMessage: String {
        let primary = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        let extra = [field(UInt8(ascii: "D")), field(UInt8(ascii: "H"))].compactMap { $0 }
        return ([primary] + extra).joined(separator: "; ")
    }

    private func field(_ code: UInt8) -> String? {
        PQresultErrorField(handle, Int32(code)).map { String(cString: $0) }
    }

    func columnName(_ column: Int) -> String { String(cString: PQfname(handle, Int32(column))) }
    func columnType(_ column: Int) -> UInt32 { PQftype(handle, Int32(column)) }
    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) == 1 }

    /// A text-format value's bytes; valid while the result lives.
    func bytes(_ row: Int, _ column: Int) -> UnsafeBufferPointer<UInt8> {
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        let pointer = UnsafeRawPointer(PQgetvalue(handle, Int32(row), Int32(column))!).assumingMemoryBound(to: UInt8.self)
        return UnsafeBufferPointer(start: pointer, count: length)
    }

    func text(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : String(decoding: bytes(row, column), as: UTF8.self)
    }
}

/// Buffers `COPY … FROM STDIN` data and hands it to libpq in blocks of about 256 KB.
final class CopyWriter {
    private let connection: OpaquePointer
    private var buffer: [UInt8] = []
    private static let blockSize = 1 << 18

    init(connection: OpaquePointer) {
        self.connection = connection
        buffer.reserveCapacity(Self.blockSize + 4096)
    }

    @inline(__always)
    func append(_ byte: UInt8) { buffer.append(byte) }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) { buffer.append(contentsOf: bytes) }

    /// Ends a row; sends the buffer once it is full.
    func endRow() throws {
        buffer.append(0x0A)
        if buffer.count >= Self.blockSize { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else {
            throw PostgresServerError(sqlState: "", message: PostgresSession.errorMessage(of: connection))
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
