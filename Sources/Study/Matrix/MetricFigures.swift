import Claims
import Foundation
import Reports
import Statistics

/// The figure of one metric's data: box and strip plots for group comparisons, a scatter plot
/// (hexagonal bins for large n) with its trend for correlations and paired tests, grouped bars
/// for contingency tables, the proportion with its interval for a binomial test.
public enum MetricFigures {
    /// The figure of a tested row, or nil when the row has no data (not tested, error) or its data
    /// is one number (a threshold); `unplottedReason(for:)` says which.
    public static func figure(for row: MatrixRow) -> (any SVGFigure)? {
        guard let metric = row.metric, let result = row.result, let data = row.observations else { return nil }
        let title = "\(row.claim.id)/\(metric.id): \(metric.test.rawValue) on \(row.dataset ?? "?")"
        switch metric.test.shape {
        case .pairs:
            let x = data.samples[0].values, y = data.samples[1].values
            return ScatterPlot(title: title, xLabel: "x", yLabel: "y", x: x, y: y, xScale: scale(for: x), yScale: scale(for: y))
        case .groups:
            let values = data.samples.flatMap(\.values)
            return BoxStripPlot(title: title, valueLabel: "value", groups: data.samples.map { BoxStripPlot.Group(name: "grp = \($0.name)", values: $0.values) },
                                scale: scale(for: values))
        case .categories:
            return GroupedBarChart(title: title, rowLabels: data.rowLabels, columnLabels: data.columnLabels, counts: data.counts)
        case .proportion:
            guard let interval = result.effect.interval, data.trials > 0 else { return nil }
            return ProportionPlot(title: title, items: [ProportionPlot.Item(
                label: "successes / trials", proportion: result.effect.value, lower: interval.lower, upper: interval.upper,
                reference: metric.p0 ?? 0.5, successes: data.successes, trials: data.trials)])
        case .single:
            return nil
        }
    }

    /// Why a row has no figure, in words for the place the figure would take.
    public static func unplottedReason(for row: MatrixRow) -> String {
        guard let metric = row.metric else { return "no metric tests this claim, so there is no data to plot" }
        if row.result == nil { return "the metric could not be evaluated (\(row.reason ?? "no result")), so there is no data to plot" }
        if metric.test.shape == .single { return "a threshold metric has one value, which the result states; there is nothing to plot" }
        return "the query's data was not kept for this row"
    }

    /// Counts spanning several powers of ten (downloads) are drawn on a log(1 + v) axis.
    static func scale(for values: [Double]) -> AxisScale {
        guard let summary = SampleSummary(values), summary.min >= 0, summary.max >= 1000 * Swift.max(summary.median, 1) else {
            return .linear
        }
        return .log1p
    }
}

/// The group descriptives of a metric as tidy cell values: positional keys (`group_1`,
/// `level_1`), each naming its group, so that keys stay snake_case whatever the groups are called
/// and `pandas.json_normalize` flattens them into numeric columns.
enum MetricDescriptives {
    /// `{"group_1": n, "group_2": n, …}` for group tests (in the metric's group order) and
    /// contingency tables (per row), `{"x": n, "y": n}` for pairs, `{"trials": n}` for a proportion.
    static func groupSizesCell(_ data: MetricObservations?) -> Cell {
        guard let data else { return .empty }
        var object: [String: CellValue] = [:]
        var parts: [String] = []
        switch data.test.shape {
        case .pairs:
            object = ["x": .integer(data.samples[0].values.count), "y": .integer(data.samples[1].values.count)]
            parts = ["\(data.samples[0].values.count) pairs"]
        case .groups:
            for (index, sample) in data.samples.enumerated() {
                object["group_\(index + 1)"] = .integer(sample.values.count)
                parts.append("\(sample.name): \(sample.values.count)")
            }
        case .categories:
            for (index, (label, row)) in zip(data.rowLabels, data.counts).enumerated() {
                object["group_\(index + 1)"] = .integer(row.reduce(0, +))
                parts.append("\(label): \(row.reduce(0, +))")
            }
        case .proportion:
            object = ["trials": .integer(data.trials)]
            parts = ["\(data.trials) trials"]
        case .single:
            return .empty
        }
        return Cell(text: parts.joined(separator: "; "), value: .object(object))
    }

    /// Mean, median, quartiles and range per group or variable; counts per cell of a contingency
    /// table; successes, trials and the proportion of a binomial test.
    static func cell(_ data: MetricObservations?) -> Cell {
        guard let data else { return .empty }
        var object: [String: CellValue] = [:]
        var parts: [String] = []
        switch data.test.shape {
        case .pairs, .groups:
            let positional = data.test.shape == .groups
            for (index, sample) in data.samples.enumerated() {
                guard let summary = SampleSummary(sample.values) else { continue }
                var members = summaryObject(summary)
                members["name"] = .string(sample.name)
                object[positional ? "group_\(index + 1)" : sample.name] = .object(members)
                parts.append("\(sample.name): median \(ClaimMatrix.compact(summary.median)), IQR \(ClaimMatrix.compact(summary.q1))–\(ClaimMatrix.compact(summary.q3)), mean \(ClaimMatrix.compact(summary.mean))")
            }
        case .categories:
            for (index, (label, row)) in zip(data.rowLabels, data.counts).enumerated() {
                var members: [String: CellValue] = ["name": .string(label), "n": .integer(row.reduce(0, +))]
                var counts: [String] = []
                for (level, (levelName, count)) in zip(data.columnLabels, row).enumerated() {
                    members["level_\(level + 1)"] = .object(["name": .string(levelName), "count": .integer(count)])
                    counts.append("\(levelName) \(count)")
                }
                object["group_\(index + 1)"] = .object(members)
                parts.append("\(label): \(counts.joined(separator: ", "))")
            }
        case .proportion:
            let proportion = data.trials > 0 ? Double(data.successes) / Double(data.trials) : Double.nan
            object = ["successes": .integer(data.successes), "trials": .integer(data.trials), "proportion": .number(proportion)]
            parts = ["\(data.successes) of \(data.trials)"]
        case .single:
            guard let value = data.value else { return .empty }
            object = ["value": .number(value)]
            parts = [ClaimMatrix.compact(value)]
        }
        return Cell(text: parts.joined(separator: "; "), value: .object(object))
    }

    static func summaryObject(_ summary: SampleSummary) -> [String: CellValue] {
        ["n": .integer(summary.n), "mean": .number(summary.mean), "median": .number(summary.median), "q1": .number(summary.q1),
         "q3": .number(summary.q3), "iqr": .number(summary.iqr), "min": .number(summary.min), "max": .number(summary.max)]
    }
}
