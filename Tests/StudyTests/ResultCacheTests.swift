import Foundation
import Index
import Project
import Reports
@testable import Study
import TestSupport
import XCTest

/// The matrix's metrics in parallel and its result cache: the same bytes whatever the number of
/// workers, the same bytes from stored results, and a stored result used only while everything it
/// depends on is unchanged.
final class ResultCacheTests: XCTestCase {
    /// Records the progress messages of one build (the `querying` ones say which metrics ran).
    final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [String] = []
        var reporter: @Sendable (String) -> Void { { message in self.lock.withLock { self.messages.append(message) } } }
        /// The metrics queried, as `claim/metric`, sorted.
        var queried: [String] {
            lock.withLock {
                messages.compactMap { message -> String? in
                    guard message.hasPrefix("claim "), message.contains(": querying") else { return nil }
                    let words = message.split(separator: " ")
                    return "\(words[1].dropLast(1))/\(words[3].dropLast(1))"
                }.sorted()
            }
        }
    }

    private func render(_ root: URL, jobs: Int? = nil, cached: Bool, readsCache: Bool = true, frozen: Bool = false,
                        progress: Progress? = nil) throws -> [ReportFormat: String] {
        let study = try Study(root: root)
        let (index, _) = try StudyIndex.open(study)
        let matrix = try MatrixBuilder(study: study, index: index, frozen: frozen, jobs: jobs, cache: cached ? ResultCache(study: study) : nil,
                                       readsCache: readsCache, keepsObservations: !cached, progress: progress?.reporter).build()
        var outputs: [ReportFormat: String] = [:]
        for format in ReportFormat.allCases where format != .html {
            outputs[format] = format.renderer.render(matrix.table()) + matrix.warnings.joined(separator: "\n")
        }
        return outputs
    }

    private func demoCopy() throws -> URL {
        let copy = try TestPaths.temporaryDirectory(for: self).appendingPathComponent("demo")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for item in ["triangulate.yaml", "codebooks", "corpus"] {
            try FileManager.default.copyItem(at: TestPaths.repositoryRoot.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        return copy
    }

    func testParallelMetricsGiveTheBytesOfASerialRun() throws {
        let root = try demoCopy()
        let serial = try render(root, jobs: 1, cached: false)
        for jobs in [2, 3, 8] {
            XCTAssertEqual(try render(root, jobs: jobs, cached: false), serial, "jobs \(jobs)")
        }
        let study = try Study(root: root)
        let (index, _) = try StudyIndex.open(study)
        let matrix = try MatrixBuilder(study: study, index: index, jobs: 4).build()
        XCTAssertGreaterThan(matrix.rows.filter { $0.result != nil }.count, 4, "the demo runs several metrics at once")
        XCTAssertTrue(matrix.rows.allSatisfy { $0.result == nil || $0.observations != nil }, "the data is kept by default")
    }

    func testParallelWorkKeepsIndexOrderAndBoundsItsThreads() {
        let running = Counter()
        let values = ParallelWork.map(200, workers: 3) { index -> Int in
            running.enter()
            defer { running.leave() }
            usleep(200)
            return index * index
        }
        XCTAssertEqual(values, (0..<200).map { $0 * $0 })
        XCTAssertLessThanOrEqual(running.peak, 3)
        XCTAssertEqual(ParallelWork.map(0, workers: 4) { $0 }, [])
    }

    func testAStoredResultGivesTheSameBytesWithoutReadingTheData() throws {
        let root = try demoCopy()
        let fresh = try render(root, cached: false)
        let first = Progress()
        XCTAssertEqual(try render(root, cached: true, progress: first), fresh, "a first run with the cache")
        XCTAssertFalse(first.queried.isEmpty)
        // The derived databases are gone: an unchanged study needs neither them nor its inputs.
        try FileManager.default.removeItem(at: root.appendingPathComponent(".triangulate/datasets"))
        let second = Progress()
        XCTAssertEqual(try render(root, cached: true, progress: second), fresh, "results from the cache")
        XCTAssertEqual(second.queried, [], "no metric ran again")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent(".triangulate/datasets").path),
                       "no dataset was prepared")
        // Deleting the cache loses nothing.
        try FileManager.default.removeItem(at: root.appendingPathComponent(".triangulate/results"))
        XCTAssertEqual(try render(root, cached: true), fresh)
    }

    func testChangedQuerySpecificationDataOrSettingsRunTheirMetricsAgain() throws {
        let fixture = try StudyFixture(self)
        let baseline = try render(fixture.root, cached: true)
        func queried() throws -> [String] {
            let progress = Progress()
            let outputs = try render(fixture.root, cached: true, progress: progress)
            XCTAssertEqual(outputs, try render(fixture.root, cached: false), "cached and fresh agree")
            return progress.queried
        }
        // C2b's query fails each time: an error is never stored.
        XCTAssertEqual(try queried(), ["C2/C2b"])
        XCTAssertEqual(try render(fixture.root, cached: true), baseline)

        // The query.
        try fixture.write("corpus/claims/C1.yaml", try fixture.read("corpus/claims/C1.yaml")
            .replacingOccurrences(of: "SELECT x, y FROM toy", with: "SELECT x, y FROM toy WHERE x > 2"))
        XCTAssertEqual(try queried(), ["C1/C1a", "C2/C2b"])
        XCTAssertEqual(try queried(), ["C2/C2b"])

        // The test's specification (a binomial test's p0).
        try fixture.write("corpus/claims/C2.yaml", try fixture.read("corpus/claims/C2.yaml")
            .replacingOccurrences(of: "p0: 0.5", with: "p0: 0.6"))
        XCTAssertEqual(try queried(), ["C2/C2a", "C2/C2b"])
        XCTAssertEqual(try queried(), ["C2/C2b"])

        // The data: one more row, then the same bytes again with a new modification time.
        let csv = try fixture.read("corpus/datasets/toy/toy.csv")
        try fixture.write("corpus/datasets/toy/toy.csv", csv + "40,81,1\n")
        XCTAssertEqual(try queried(), ["C1/C1a", "C2/C2a", "C2/C2b"])
        XCTAssertEqual(try queried(), ["C2/C2b"])
        // The earlier bytes in a new file (new inode and times): hashed again, and their results are stored.
        try fixture.write("corpus/datasets/toy/toy.csv", csv)
        XCTAssertEqual(try queried(), ["C2/C2b"])

        // How the data is imported (a declared column type) and the study's evaluation defaults.
        try fixture.write("corpus/datasets/toy.yaml", try fixture.read("corpus/datasets/toy.yaml") + "    columns: {flag: integer}\n")
        XCTAssertEqual(try queried(), ["C1/C1a", "C2/C2a", "C2/C2b"])
        try fixture.write("triangulate.yaml", try fixture.read("triangulate.yaml") + "confidence: 0.9\n")
        XCTAssertEqual(try queried(), ["C1/C1a", "C2/C2a", "C2/C2b"])
        XCTAssertEqual(try queried(), ["C2/C2b"])
        // Editing the dataset's description changes nothing it computes.
        try fixture.write("corpus/datasets/toy.yaml", "description: toy rows\n" + (try fixture.read("corpus/datasets/toy.yaml")))
        XCTAssertEqual(try queried(), ["C2/C2b"])
    }

    func testACorruptEntryIsIgnoredAndRewritten() throws {
        let fixture = try StudyFixture(self)
        let fresh = try render(fixture.root, cached: false)
        _ = try render(fixture.root, cached: true)
        let results = fixture.root.appendingPathComponent(".triangulate/results")
        let files = FileManager.default.enumerator(atPath: results.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }
        XCTAssertGreaterThanOrEqual(files.count, 3, "two results and a dataset state")
        for (position, file) in files.enumerated() {
            let url = results.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            // Torn, garbled, or well-formed JSON of another shape.
            let broken = [String(text.prefix(text.count / 2)), "\u{0}\u{1}not json", "{\"format\": 1}"][position % 3]
            try broken.write(to: url, atomically: true, encoding: .utf8)
        }
        let progress = Progress()
        XCTAssertEqual(try render(fixture.root, cached: true, progress: progress), fresh)
        XCTAssertEqual(progress.queried, ["C1/C1a", "C2/C2a", "C2/C2b"])
        let again = Progress()
        XCTAssertEqual(try render(fixture.root, cached: true, progress: again), fresh)
        XCTAssertEqual(again.queried, ["C2/C2b"], "the entries were rewritten")
    }

    func testNotReadingTheCacheComputesEverything() throws {
        let fixture = try StudyFixture(self)
        let fresh = try render(fixture.root, cached: true)
        let progress = Progress()
        XCTAssertEqual(try render(fixture.root, cached: true, readsCache: false, progress: progress), fresh)
        XCTAssertEqual(progress.queried, ["C1/C1a", "C2/C2a", "C2/C2b"])
    }

    func testFrozenRunsRefuseAChangedInputWithOrWithoutStoredResults() throws {
        let fixture = try StudyFixture(self)
        _ = try render(fixture.root, cached: true)
        // The manifest records no hash: a frozen run refuses the dataset, stored results or not.
        XCTAssertEqual(try render(fixture.root, cached: true, frozen: true), try render(fixture.root, cached: false, frozen: true))
        XCTAssertTrue(try render(fixture.root, cached: true, frozen: true)[.markdown]!.contains("error"))
    }
}

/// Counts how many callers are inside at once, and the most there ever were.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0

    func enter() {
        lock.withLock {
            current += 1
            peak = max(peak, current)
        }
    }

    func leave() { lock.withLock { current -= 1 } }
}
