import Claims
import Core
import Datasets
import Foundation
import Project
import Reports
import Statistics
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the matrix shows of a metric's data when the data itself is not kept: the group sizes,
/// the descriptives and the log10 of the raw p-value (computed in log space from the data where
/// the p-value underflowed). Computed once, when the metric is evaluated, so a cached result
/// renders exactly as a fresh one.
public struct MetricDigest: Sendable, Equatable {
    public var groupSizes: Cell
    public var descriptives: Cell
    public var log10P: Double?

    init(observations: MetricObservations?, result: TestResult, metric: MetricSpec) {
        groupSizes = MetricDescriptives.groupSizesCell(observations)
        descriptives = MetricDescriptives.cell(observations)
        log10P = observations?.log10PValue(of: result, alternative: metric.alternative)
    }

    init(groupSizes: Cell, descriptives: Cell, log10P: Double?) {
        self.groupSizes = groupSizes
        self.descriptives = descriptives
        self.log10P = log10P
    }
}

/// The results of the matrix's metrics, under `.triangulate/results/` (derived: delete the folder
/// and the next `matrix` computes everything again).
///
/// A result is stored under the SHA-256 of everything it depends on: the content of the dataset's
/// inputs (their SHA-256s) and how they are imported (the manifest without its description and
/// recorded hashes), the metric's query and test specification, the study's evaluation defaults,
/// and the tool (its version and the executable's file stamp, so a rebuilt tool computes again).
///
/// So that an unchanged study answers without reading its data, each dataset's state is recorded
/// beside the results: the manifest file's SHA-256, every input's file stamp (device, inode,
/// size, modification and change times, from `stat` and `lstat`) with the SHA-256 computed for
/// it, the provenance and the notices of the last preparation. When the manifest and every stamp
/// are unchanged, the recorded hashes stand, and no input is read or hashed and the derived
/// database is not opened. Every file is written atomically; an entry that does not decode (a
/// torn or edited file) counts as absent and is rewritten.
public struct ResultCache: Sendable {
    public let directory: URL
    let study: Study
    let tool: String

    static let format = "triangulate-results 1"

    public init(study: Study) {
        self.study = study
        directory = study.layout.derived.appendingPathComponent("results")
        tool = "\(TriangulateVersion.current) \(Self.executableStamp())"
    }

    // MARK: Datasets

    /// What the matrix needs of a dataset without preparing it: the key of its content, its
    /// inputs for the provenance, the notices its preparation gave.
    struct DatasetState: Codable, Equatable {
        struct Input: Codable, Equatable {
            var path: String
            var sha256: String
        }

        var manifestSHA256: String
        var stamps: [FileIdentity]
        var inputs: [Input]
        var notices: [String]
        /// Every input's SHA-256 is the one the manifest records (so `--frozen` accepts it).
        var matchesManifest: Bool
        var key: String
    }

    private func stateURL(_ name: String) -> URL {
        directory.appendingPathComponent("datasets").appendingPathComponent("\(ContentHash.sha256(Data(name.utf8))).json")
    }

    /// The recorded state of a dataset when its manifest and every input's file stamp are what
    /// they were when it was recorded; nil otherwise (the dataset must then be prepared).
    func currentState(of name: String, frozen: Bool) -> DatasetState? {
        guard let data = try? Data(contentsOf: stateURL(name)),
              let state = try? JSONDecoder().decode(DatasetState.self, from: data) else { return nil }
        if frozen && !state.matchesManifest { return nil }
        guard let manifestData = try? Data(contentsOf: study.layout.manifest(for: name)),
              ContentHash.sha256(manifestData) == state.manifestSHA256,
              let manifest = try? DatasetCatalog(study: study).manifest(named: name),
              let stamps = inputStamps(of: manifest), stamps == state.stamps else { return nil }
        return state
    }

    /// Records a dataset's state after preparing it. `stamps` were taken before the preparation
    /// read the inputs: a file changed while it was read then shows a stamp the next run does
    /// not find, so it is hashed again.
    func record(_ name: String, manifest: DatasetManifest, manifestSHA256: String, stamps: [FileIdentity],
                inputs: [(path: String, sha256: String)], notices: [String]) -> DatasetState {
        let recorded = manifest.files?.map(\.sha256) ?? [manifest.sha256]
        let matches = recorded.count == inputs.count
            && zip(recorded, inputs).allSatisfy { $0 != nil && $0 == $1.sha256 }
        let state = DatasetState(manifestSHA256: manifestSHA256, stamps: stamps,
                                 inputs: inputs.map { .init(path: $0.path, sha256: $0.sha256) },
                                 notices: notices, matchesManifest: matches,
                                 key: Self.datasetKey(manifest, inputs: inputs.map(\.sha256)))
        if let data = try? Self.encoder.encode(state) { try? AtomicFile.write(data, to: stateURL(name)) }
        return state
    }

    /// The file stamps of a manifest's inputs, in manifest order; nil when one cannot be taken
    /// (a missing file, a path the manifest may not follow: preparing the dataset says why).
    func inputStamps(of manifest: DatasetManifest) -> [FileIdentity]? {
        let store = DatasetStore(studyRoot: study.root)
        let paths = manifest.database.map { [($0, manifest.outside == true)] }
            ?? (manifest.files ?? []).map { ($0.path, manifest.allowsOutside($0)) }
        guard !paths.isEmpty else { return nil }
        var stamps: [FileIdentity] = []
        for (path, allowed) in paths {
            let lexical = path.hasPrefix("/") ? URL(fileURLWithPath: path) : study.root.appendingPathComponent(path)
            let target: String
            if let link = store.link(for: path) {
                guard allowed else { return nil }
                target = link.target
            } else {
                target = lexical.standardizedFileURL.path
            }
            guard let stamp = FileIdentity(path: lexical.standardizedFileURL.path, target: target) else { return nil }
            stamps.append(stamp)
        }
        return stamps
    }

    /// The SHA-256 that stands for a dataset's content and how it is imported.
    static func datasetKey(_ manifest: DatasetManifest, inputs: [String]) -> String {
        var canonical = manifest
        canonical.description = nil
        canonical.source = nil
        canonical.sha256 = nil
        canonical.files = manifest.files?.map { file in
            var file = file
            file.sha256 = nil
            file.rows = nil
            return file
        }
        let spec = (try? encoder.encode(canonical)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return ContentHash.sha256(Data((["dataset", spec] + inputs).joined(separator: "\n").utf8))
    }

    // MARK: Results

    /// One stored result: what the matrix row shows.
    struct Entry: Sendable, Equatable {
        var result: TestResult
        var note: String?
        var digest: MetricDigest
    }

    /// The key of a metric's result on a dataset whose content key is `datasetKey`.
    func key(for metric: MetricSpec, datasetKey: String, defaults: EvaluationDefaults) -> String {
        var canonical = metric
        canonical.id = ""
        canonical.dataset = nil
        canonical.note = nil
        canonical.location = SourceLocation(file: "")
        let text = [Self.format, tool, datasetKey, String(reflecting: canonical), String(reflecting: defaults)].joined(separator: "\n")
        return ContentHash.sha256(Data(text.utf8))
    }

    private func entryURL(_ key: String) -> URL {
        directory.appendingPathComponent(String(key.prefix(2))).appendingPathComponent("\(key).json")
    }

    /// The stored result under `key`; nil when there is none or it does not decode.
    func entry(_ key: String) -> Entry? {
        guard let data = try? Data(contentsOf: entryURL(key)),
              let stored = try? JSONDecoder().decode(StoredEntry.self, from: data), stored.key == key else { return nil }
        return stored.entry
    }

    /// Stores a result under `key` (atomically; a failure to write only costs the next run time).
    func store(_ entry: Entry, under key: String) {
        guard let data = try? Self.encoder.encode(StoredEntry(key: key, entry)) else { return }
        try? AtomicFile.write(data, to: entryURL(key))
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// The running executable's stamp (size and modification time): a rebuilt tool computes again.
    static func executableStamp() -> String {
        #if os(Linux)
        let path = "/proc/self/exe"
        #else
        let path = CommandLine.arguments.first ?? ""
        #endif
        var info = stat()
        guard stat(path, &info) == 0 else { return "unknown" }
        return "\(info.st_size) \(FileIdentity.seconds(info, \.st_mtim))"
    }
}

/// A file as `stat` and `lstat` see it: a change to its content changes its size or modification
/// time (and its change time, which no tool can set back); a file replaced by another has
/// another inode; a path turned into a symbolic link has another `lstat` inode.
struct FileIdentity: Codable, Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: String
    var changed: String
    var linkInode: UInt64

    init?(path: String, target: String) {
        var info = stat(), link = stat()
        guard stat(target, &info) == 0, lstat(path, &link) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Self.seconds(info, \.st_mtim)
        changed = Self.seconds(info, \.st_ctim)
        linkInode = UInt64(link.st_ino)
    }

    static func seconds(_ info: stat, _ time: KeyPath<stat, timespec>) -> String {
        let value = info[keyPath: time]
        return "\(value.tv_sec).\(value.tv_nsec)"
    }
}

// MARK: Stored form

/// A double as its bit pattern, so a stored result reads back exactly (NaN, infinities and -0
/// included).
private struct Bits: Codable, Equatable {
    var value: Double
    init(_ value: Double) { self.value = value }
    init(from decoder: any Decoder) throws { value = Double(bitPattern: try decoder.singleValueContainer().decode(UInt64.self)) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value.bitPattern)
    }
}

private struct StoredInterval: Codable {
    var lower: Bits, upper: Bits, level: Bits
}

private struct StoredEffect: Codable {
    var name: String
    var value: Bits
    var interval: StoredInterval?
    var intervalMethod: String?

    init(_ effect: EffectSize) {
        name = effect.name
        value = Bits(effect.value)
        interval = effect.interval.map { StoredInterval(lower: Bits($0.lower), upper: Bits($0.upper), level: Bits($0.level)) }
        intervalMethod = effect.intervalMethod
    }

    var effect: EffectSize {
        EffectSize(name: name, value: value.value,
                   interval: interval.map { ConfidenceInterval(lower: $0.lower.value, upper: $0.upper.value, level: $0.level.value) },
                   intervalMethod: intervalMethod)
    }
}

private struct StoredResult: Codable {
    var test: String
    var n: Int
    var statisticName: String
    var statistic: Bits
    var degreesOfFreedom: Bits?
    var denominatorDegreesOfFreedom: Bits?
    var pValue: Bits
    var effect: StoredEffect
    var method: String?
    var additionalEffects: [StoredEffect]

    init(_ result: TestResult) {
        test = result.test
        n = result.n
        statisticName = result.statisticName
        statistic = Bits(result.statistic)
        degreesOfFreedom = result.degreesOfFreedom.map(Bits.init)
        denominatorDegreesOfFreedom = result.denominatorDegreesOfFreedom.map(Bits.init)
        pValue = Bits(result.pValue)
        effect = StoredEffect(result.effect)
        method = result.method
        additionalEffects = result.additionalEffects.map(StoredEffect.init)
    }

    var result: TestResult {
        var result = TestResult(test: test, n: n, statisticName: statisticName, statistic: statistic.value,
                                degreesOfFreedom: degreesOfFreedom?.value, pValue: pValue.value, effect: effect.effect,
                                method: method, denominatorDegreesOfFreedom: denominatorDegreesOfFreedom?.value)
        result.additionalEffects = additionalEffects.map(\.effect)
        return result
    }
}

private indirect enum StoredValue: Codable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Bits)
    case string(String)
    case array([StoredValue])
    case object([String: StoredValue])

    init(_ value: CellValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let integer): self = .integer(integer)
        case .number(let number): self = .number(Bits(number))
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(StoredValue.init))
        case .object(let members): self = .object(members.mapValues(StoredValue.init))
        }
    }

    var value: CellValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .integer(let integer): return .integer(integer)
        case .number(let number): return .number(number.value)
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(\.value))
        case .object(let members): return .object(members.mapValues(\.value))
        }
    }
}

private struct StoredCell: Codable {
    var text: String
    var value: StoredValue
    var citations: [String]

    init(_ cell: Cell) {
        text = cell.text
        value = StoredValue(cell.value)
        citations = cell.citations
    }

    var cell: Cell { Cell(text: text, value: value.value, citations: citations) }
}

private struct StoredEntry: Codable {
    var format: String
    var key: String
    var result: StoredResult
    var note: String?
    var groupSizes: StoredCell
    var descriptives: StoredCell
    var log10P: Bits?

    init(key: String, _ entry: ResultCache.Entry) {
        format = ResultCache.format
        self.key = key
        result = StoredResult(entry.result)
        note = entry.note
        groupSizes = StoredCell(entry.digest.groupSizes)
        descriptives = StoredCell(entry.digest.descriptives)
        log10P = entry.digest.log10P.map(Bits.init)
    }

    var entry: ResultCache.Entry? {
        guard format == ResultCache.format else { return nil }
        return ResultCache.Entry(result: result.result, note: note,
                                 digest: MetricDigest(groupSizes: groupSizes.cell, descriptives: descriptives.cell, log10P: log10P?.value))
    }
}
