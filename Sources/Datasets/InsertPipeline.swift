import Foundation
import GRDB
import GRDBSQLite

/// One field converted to its column's type, ready to bind: the work of the second pass that
/// does not need the database, done on other threads than the one that inserts.
enum BoundValue {
    case null
    case integer(Int64)
    case real(Double)
    /// Bytes in the batch's arena.
    case text(start: Int, count: Int)

    /// The value a field binds as in a column of `type` (the conversion `DataFileReader.typed`
    /// makes); nil when it no longer fits (the file changed since the first pass checked it).
    /// Text is copied into `arena`.
    @inline(__always)
    static func convert(_ value: FieldValue, type: ColumnType, arena: inout [UInt8]) -> BoundValue? {
        switch DataFileReader.typed(value, as: type) {
        case nil: return nil
        case .null?: return .null
        case .integer(let integer)?: return .integer(integer)
        case .real(let real)?: return .real(real)
        case .text(let bytes)?:
            let start = arena.count
            arena.append(contentsOf: bytes)
            return .text(start: start, count: bytes.count)
        }
    }
}

/// Rows converted for insertion: their values row after row, their text in one arena.
final class RowBatch {
    var values: [BoundValue] = []
    /// Starts with one byte, so it always has an address to bind empty text at.
    var arena: [UInt8] = [0]
    var rows = 0

    init(capacity: Int, columns: Int) {
        values.reserveCapacity(capacity * columns)
        arena.reserveCapacity(capacity * columns * 8)
    }

    /// Empties the batch for reuse, keeping its storage.
    func clear() {
        values.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        arena.append(0)
        rows = 0
    }
}

/// Batches the inserter is done with, for the producers to fill again: the pipeline allocates
/// a fixed number of batches, not one per few thousand rows.
final class BatchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [RowBatch] = []

    /// A cleared batch, or nil when none is free.
    func take() -> RowBatch? {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast()
    }

    func give(_ batch: RowBatch) {
        batch.clear()
        lock.lock()
        free.append(batch)
        lock.unlock()
    }
}

/// Batches passed from one producer to the inserting thread, at most `capacity` waiting, so
/// memory stays bounded however large the file.
final class BatchChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [RowBatch] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Hands a batch over, waiting while the channel is full; false once the consumer has
    /// stopped (the producer should stop too).
    func put(_ batch: RowBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        waiting.append(batch)
        condition.broadcast()
        return true
    }

    /// The producer is done, with the error that stopped it, if any.
    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil when the producer finished and all its batches were taken; the
    /// producer's error once its batches before the error are taken.
    func take() throws -> RowBatch? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !finished { condition.wait() }
        if !waiting.isEmpty {
            let batch = waiting.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// The second pass of an import as a pipeline: producer threads parse the file's pieces (the
/// first pass's chunks of a plain CSV or TSV file, or the whole file) and convert their values
/// into batches, while the calling thread binds the batches in file order to a multi-row INSERT
/// and steps it. Rows go in in the order of the file, so the database is the one a serial
/// insert builds.
struct InsertPipeline {
    /// Producer threads (pieces are taken in order, so the piece the inserter waits for is always
    /// being produced).
    var workers: Int
    /// Batches each piece's channel holds.
    var capacity = 2

    /// Runs `produce(piece, channel)` for each piece on the producer threads and `consume` on
    /// the calling thread for every batch in piece order; a consumed batch goes back to `pool`.
    /// An error in either stops both; the first one (in file order) is thrown once every
    /// producer has stopped.
    func run(pieces: Int, pool: BatchPool = BatchPool(), produce: @escaping @Sendable (Int, BatchChannel) throws -> Void,
             consume: (RowBatch) throws -> Void) throws {
        let channels = (0..<pieces).map { _ in BatchChannel(capacity: capacity) }
        let next = PieceCounter()
        let done = DispatchGroup()
        for _ in 0..<max(1, min(workers, pieces)) {
            done.enter()
            let thread = Thread {
                while let piece = next.take(below: pieces) {
                    let channel = channels[piece]
                    do { try produce(piece, channel); channel.finish(nil) } catch { channel.finish(error) }
                }
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            for channel in channels { channel.cancel() }
            done.wait()
        }
        for channel in channels {
            while let batch = try channel.take() {
                try consume(batch)
                pool.give(batch)
            }
        }
    }
}

/// Hands out piece numbers in order to the producer threads.
private final class PieceCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// Stops a producer whose consumer has stopped.
struct PipelineStopped: Error {}
