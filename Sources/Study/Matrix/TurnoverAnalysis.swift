import Datasets
import Foundation
import Project
import Reports

/// Top-K turnover of a dataset of ranked snapshots (Jones et al., ESEM 2024): per registry and
/// snapshot the newcomers, returning and remained names (`TurnoverSQL.turnover`), as a table
/// with one stacked bar chart of all registries.
public struct TurnoverAnalysis {
    public let study: Study
    public var progress: (@Sendable (String) -> Void)?

    public init(study: Study, progress: (@Sendable (String) -> Void)? = nil) {
        self.study = study
        self.progress = progress
    }

    /// One registry and snapshot.
    public struct Row: Sendable, Equatable {
        public var registry: String
        public var fromSnapshot: String?
        public var snapshot: String
        public var topK: Int
        public var newcomers: Int
        public var returning: Int
        public var remained: Int
        public var departed: Int?
        public var everInTopK: Int
    }

    /// The turnover of `dataset`'s table `table` (the dataset's only table when nil), ranking each
    /// snapshot by `orderBy` (SQL, e.g. `rank` or `downloads DESC NULLS LAST`).
    public func rows(dataset: String, table: String? = nil, k: Int, orderBy: String) throws -> (rows: [Row], inputs: [(path: String, sha256: String)]) {
        guard k > 0 else { throw StudyError.invalid("--k must be 1 or more, found \(k)", at: nil) }
        let catalog = DatasetCatalog(study: study)
        let tables = try catalog.definition(named: dataset).tables
        let tableName: String
        if let table {
            tableName = table
        } else if tables.count == 1 {
            tableName = tables[0]
        } else {
            throw StudyError.invalid("dataset \(dataset) has \(tables.isEmpty ? "no imported tables" : "the tables \(tables.joined(separator: ", "))"); name one with --table", at: nil)
        }
        let ready = try catalog.ready(named: dataset, progress: progress)
        let connection = try ready.open()
        defer { try? connection.close() }
        let result = try connection.query(TurnoverSQL.turnover(table: tableName, k: k, orderBy: orderBy))
        let rows = try result.rows.enumerated().map { number, values -> Row in
            func text(_ column: Int) -> String? {
                switch values[column] {
                case .text(let text): return text
                case .integer(let int): return String(int)
                case .real(let real): return String(real)
                case .null, .blob: return nil
                }
            }
            func count(_ column: Int) throws -> Int? {
                switch values[column] {
                case .integer(let int): return Int(exactly: int)
                case .null: return nil
                default: throw StudyError.invalid("turnover row \(number + 1), column \(result.columns[column]): expected a count, found \(values[column])", at: nil)
                }
            }
            guard values.count == 9, let registry = text(0), let snapshot = text(2) else {
                throw StudyError.invalid("turnover row \(number + 1): expected registry and snapshot, found \(values)", at: nil)
            }
            return Row(registry: registry, fromSnapshot: text(1), snapshot: snapshot, topK: try count(3) ?? 0, newcomers: try count(4) ?? 0,
                       returning: try count(5) ?? 0, remained: try count(6) ?? 0, departed: try count(7), everInTopK: try count(8) ?? 0)
        }
        return (rows, ready.inputs)
    }

    /// The turnover as a report table with its chart.
    public func table(dataset: String, table: String? = nil, k: Int, orderBy: String) throws -> ReportTable {
        let (rows, inputs) = try self.rows(dataset: dataset, table: table, k: k, orderBy: orderBy)
        return Self.table(rows, dataset: dataset, k: k, orderBy: orderBy, inputs: inputs)
    }

    /// `rows` as a report table: one row per registry and snapshot, notes with each registry's
    /// names ever in the top K, and a `TurnoverChart`.
    public static func table(_ rows: [Row], dataset: String, k: Int, orderBy: String, inputs: [(path: String, sha256: String)]) -> ReportTable {
        var table = ReportTable(
            title: "Top-\(k) turnover of \(dataset)",
            columns: [
                Column(key: "registry", header: "Registry"),
                Column(key: "from_snapshot", header: "From"),
                Column(key: "snapshot", header: "Snapshot"),
                Column(key: "top_k", header: "Top K", alignment: .right),
                Column(key: "newcomers", header: "Newcomers", alignment: .right),
                Column(key: "returning", header: "Returning", alignment: .right),
                Column(key: "remained", header: "Remained", alignment: .right),
                Column(key: "departed", header: "Departed", alignment: .right),
                Column(key: "ever_in_top_k", header: "Ever in top K", alignment: .right),
            ])
        table.rows = rows.map { row in
            [Cell(row.registry), Cell(row.fromSnapshot ?? ""), Cell(row.snapshot), .integer(row.topK), .integer(row.newcomers),
             .integer(row.returning), .integer(row.remained), row.departed.map(Cell.integer) ?? .empty, .integer(row.everInTopK)]
        }
        var registries: [String] = []
        for row in rows where !registries.contains(row.registry) { registries.append(row.registry) }
        table.notes = [
            "As Jones et al. (ESEM 2024) define them: newcomers are in the top \(k) for the first time, returning were in an earlier top \(k) but not the previous one, remained were in the previous one; in the first snapshot every name is a newcomer.",
            "Ranked by \(orderBy), ties by name; a name listed twice in a snapshot counts once.",
        ] + registries.compactMap { registry in
            guard let last = rows.last(where: { $0.registry == registry }) else { return nil }
            let snapshots = rows.filter { $0.registry == registry }.count
            return "\(registry): \(last.everInTopK) names ever in the top \(k) over \(snapshots) snapshot\(snapshots == 1 ? "" : "s")."
        }
        table.provenance = [
            ProvenanceItem(key: "tool", value: "triangulate \(TriangulateVersion.current)"),
            ProvenanceItem(key: "k", value: String(k)),
            ProvenanceItem(key: "order by", value: orderBy),
        ] + inputs.map { ProvenanceItem(key: "dataset \(dataset) \($0.path)", value: "sha256:\($0.sha256)") }
        table.figures = [Figure(chart(rows, dataset: dataset, k: k))]
        return table
    }

    /// Stacked bars per snapshot, one panel per registry.
    public static func chart(_ rows: [Row], dataset: String, k: Int) -> TurnoverChart {
        var panels: [TurnoverChart.Panel] = []
        for row in rows {
            let bar = TurnoverChart.Bar(snapshot: row.snapshot, remained: row.remained, returning: row.returning, newcomers: row.newcomers)
            if panels.last?.registry == row.registry {
                panels[panels.count - 1].bars.append(bar)
            } else {
                panels.append(TurnoverChart.Panel(registry: row.registry, bars: [bar]))
            }
        }
        return TurnoverChart(title: "Top-\(k) turnover of \(dataset) per snapshot", panels: panels)
    }
}
