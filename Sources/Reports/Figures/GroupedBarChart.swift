/// A contingency table as grouped bars: one group per row category, one bar per column category
/// (coloured, with a legend), the bar's height its count and its label the share of its row — so
/// both the counts and the row profiles a chi-square or Fisher test compares are visible.
public struct GroupedBarChart: SVGFigure, Equatable {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `counts[row][column]`.
    public var counts: [[Int]]

    public init(title: String, rowLabels: [String], columnLabels: [String], counts: [[Int]]) {
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.counts = counts
    }

    public func svg() -> String {
        guard !rowLabels.isEmpty, !columnLabels.isEmpty else {
            return SVGWriter.unavailable(title: title, reason: "the table has no rows or no columns")
        }
        guard counts.count == rowLabels.count, counts.allSatisfy({ $0.count == columnLabels.count }) else {
            return SVGWriter.unavailable(title: title, reason: "the counts are not a \(rowLabels.count) × \(columnLabels.count) table")
        }
        guard counts.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else {
            return SVGWriter.unavailable(title: title, reason: "a count is negative")
        }
        let barWidth = 30.0, gap = 28.0, left = 70.0, top = 62.0, plotHeight = 220.0
        let groupWidth = Double(columnLabels.count) * barWidth
        let width = max(420, left + Double(rowLabels.count) * (groupWidth + gap) + gap)
        var writer = SVGWriter(width: width, height: top + plotHeight + 56)
        let highest = counts.flatMap { $0 }.max() ?? 0
        guard let axis = AxisMap(values: [0, Double(max(highest, 1))], scale: .linear, start: top + plotHeight, end: top,
                                 padding: 0.08, includeZero: true) else {
            return SVGWriter.unavailable(title: title, reason: "no count to draw")
        }
        var legendX = 8.0
        for (index, label) in columnLabels.enumerated() {
            writer.rect(legendX, 32, 12, 12, fill: OkabeIto.color(index))
            writer.text(legendX + 17, 42, label)
            legendX += 30 + Double(min(label.count, 24)) * 7
        }
        for tick in axis.ticks {
            writer.line(left - 4, tick.pixel, width - 8, tick.pixel, stroke: "#DDDDDD")
            writer.text(left - 8, tick.pixel + 4, SVGWriter.tickLabel(tick.value), anchor: "end", size: 11)
        }
        var x = left + gap
        for (row, label) in rowLabels.enumerated() {
            // Summed as doubles: counts from a query may be large enough to overflow Int.
            let rowTotal = counts[row].reduce(0.0) { $0 + Double($1) }
            for (column, count) in counts[row].enumerated() {
                let barX = x + Double(column) * barWidth
                let y = axis.pixel(Double(count)) ?? top
                writer.rect(barX + 1, y, barWidth - 2, top + plotHeight - y, fill: OkabeIto.color(column),
                            tooltip: "\(label), \(columnLabels[column]): \(count)")
                let share = rowTotal > 0 ? Double(count) / rowTotal : 0
                writer.text(barX + barWidth / 2, y - 4, FixedDecimal.format(share * 100, digits: 0) + "%", anchor: "middle", size: 10)
            }
            writer.text(x + groupWidth / 2, top + plotHeight + 18, ForestPlot.clip(label, to: groupWidth + gap), anchor: "middle")
            writer.text(x + groupWidth / 2, top + plotHeight + 34, "n = \(FixedDecimal.format(rowTotal, digits: 0))", anchor: "middle", size: 10, fill: "#555555")
            x += groupWidth + gap
        }
        writer.line(left, top + plotHeight, width - 8, top + plotHeight, stroke: "#333333")
        return writer.document(title: title)
    }
}
