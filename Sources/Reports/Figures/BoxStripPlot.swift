/// Box plots with the data as a strip of points, one per group, on one value axis: the median,
/// the quartiles (box), the most extreme values within 1.5 IQR of the box (whiskers), and the
/// points themselves jittered sideways by a fixed sequence, so the same data draw the same picture.
///
/// Quartiles are interpolated between order statistics (Hyndman & Fan type 7, NumPy's and R's
/// default). Above `stripLimit` values a group's strip shows that many evenly spaced order
/// statistics (a quantile sample, noted below the plot), since tens of thousands of points are
/// ink, not information; the box always uses every value. Values the scale cannot show (negative
/// on `log1p`, non-finite) are left out and counted in the note.
public struct BoxStripPlot: SVGFigure, Equatable {
    /// One group's values.
    public struct Group: Sendable, Equatable {
        public var name: String
        public var values: [Double]

        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var title: String
    public var valueLabel: String
    public var groups: [Group]
    public var scale: AxisScale
    /// The most points a group's strip draws (at least 2: the extremes).
    public var stripLimit: Int

    public init(title: String, valueLabel: String, groups: [Group], scale: AxisScale = .linear, stripLimit: Int = 300) {
        self.title = title
        self.valueLabel = valueLabel
        self.groups = groups
        self.scale = scale
        self.stripLimit = max(2, stripLimit)
    }

    /// Type-7 quantile of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    public func svg() -> String {
        let shown = groups.map { group in group.values.filter { scale.transform($0) != nil }.sorted() }
        guard !groups.isEmpty, shown.contains(where: { !$0.isEmpty }) else {
            return SVGWriter.unavailable(title: title, reason: groups.isEmpty ? "there are no groups" : "no value can be drawn on the \(scale.rawValue) scale")
        }
        let left = 70.0, top = 40.0, plotHeight = 260.0, slot = 130.0
        let width = max(360, left + slot * Double(groups.count) + 20)
        var writer = SVGWriter(width: width, height: top + plotHeight + 62 + 14 * Double(2 * groups.count))
        guard let axis = AxisMap(values: shown.flatMap { [$0.first, $0.last].compactMap { $0 } }, scale: scale,
                                 start: top + plotHeight, end: top, padding: 0.04, includeZero: scale != .log10) else {
            return SVGWriter.unavailable(title: title, reason: "no value can be drawn")
        }
        for tick in axis.ticks {
            writer.line(left - 4, tick.pixel, width - 12, tick.pixel, stroke: "#E4E4E4")
            writer.text(left - 8, tick.pixel + 4, SVGWriter.tickLabel(tick.value), anchor: "end", size: 11)
        }
        writer.text(16, top + plotHeight / 2, valueLabel + (scale == .linear ? "" : " (\(scale == .log1p ? "log scale, 1 + value" : "log scale"))"),
                    anchor: "middle", size: 11, rotate: true)
        var notes: [String] = []
        for (index, values) in shown.enumerated() {
            let center = left + slot * (Double(index) + 0.5)
            let color = OkabeIto.color(index)
            writer.text(center, top + plotHeight + 18, ForestPlot.clip(groups[index].name, to: slot - 8), anchor: "middle", weight: "bold")
            writer.text(center, top + plotHeight + 33, "n = \(values.count)", anchor: "middle", size: 10, fill: "#555555")
            let dropped = groups[index].values.count - values.count
            guard !values.isEmpty else {
                writer.text(center, top + plotHeight / 2, "no values", anchor: "middle", fill: "#333333")
                continue
            }
            let sample = values.count <= stripLimit ? values : (0..<stripLimit).map { i in
                values[Int((Double(i) * Double(values.count - 1) / Double(stripLimit - 1)).rounded())]
            }
            for (i, value) in sample.enumerated() {
                let jitter = (Double(i) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1) - 0.5
                if let y = axis.pixel(value) {
                    writer.circle(center + 18 + jitter * 26, y, r: 1.8, fill: color, opacity: 0.55)
                }
            }
            let q1 = Self.quantile(values, 0.25), median = Self.quantile(values, 0.5), q3 = Self.quantile(values, 0.75)
            let fence = (q3 - q1) * 1.5
            let low = values.first { $0 >= q1 - fence } ?? q1
            let high = values.last { $0 <= q3 + fence } ?? q3
            let boxLeft = center - 40, boxWidth = 36.0
            if let y1 = axis.pixel(q1), let y3 = axis.pixel(q3), let ym = axis.pixel(median), let yl = axis.pixel(low), let yh = axis.pixel(high) {
                writer.line(boxLeft + boxWidth / 2, yl, boxLeft + boxWidth / 2, y1, stroke: "#333333")
                writer.line(boxLeft + boxWidth / 2, y3, boxLeft + boxWidth / 2, yh, stroke: "#333333")
                writer.line(boxLeft + 8, yl, boxLeft + boxWidth - 8, yl, stroke: "#333333")
                writer.line(boxLeft + 8, yh, boxLeft + boxWidth - 8, yh, stroke: "#333333")
                writer.rect(boxLeft, y3, boxWidth, y1 - y3, fill: "#FFFFFF", stroke: color)
                writer.line(boxLeft, ym, boxLeft + boxWidth, ym, stroke: color, width: 3)
            }
            writer.text(center, top + plotHeight + 47, "median \(SVGWriter.tickLabel(median))", anchor: "middle", size: 10, fill: "#555555")
            if sample.count < values.count {
                notes.append("\(groups[index].name): strip shows \(sample.count) of \(values.count) values (evenly spaced quantiles)")
            }
            if dropped > 0 {
                notes.append("\(groups[index].name): \(dropped) value\(dropped == 1 ? "" : "s") cannot be drawn on the \(scale.rawValue) scale")
            }
        }
        writer.line(left, top + plotHeight, width - 12, top + plotHeight, stroke: "#333333")
        for (index, note) in notes.enumerated() {
            writer.text(8, top + plotHeight + 66 + 14 * Double(index), note, size: 10, fill: "#555555")
        }
        return writer.resized(height: top + plotHeight + 58 + 14 * Double(notes.count)).document(title: title)
    }
}
