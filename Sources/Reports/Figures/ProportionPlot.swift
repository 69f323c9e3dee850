/// Proportions with their confidence intervals on one 0–1 axis, one row each, with the proportion
/// a test compares against (p0) dashed.
public struct ProportionPlot: SVGFigure, Equatable {
    /// One proportion.
    public struct Item: Sendable, Equatable {
        public var label: String
        public var proportion: Double
        public var lower: Double
        public var upper: Double
        /// The proportion under the null hypothesis, if any.
        public var reference: Double?
        /// Successes and trials, shown beside the interval.
        public var successes: Int?
        public var trials: Int?

        public init(label: String, proportion: Double, lower: Double, upper: Double, reference: Double? = nil,
                    successes: Int? = nil, trials: Int? = nil) {
            self.label = label
            self.proportion = proportion
            self.lower = lower
            self.upper = upper
            self.reference = reference
            self.successes = successes
            self.trials = trials
        }
    }

    public var title: String
    public var items: [Item]

    public init(title: String, items: [Item]) {
        self.title = title
        self.items = items
    }

    public func svg() -> String {
        guard !items.isEmpty else {
            return SVGWriter.unavailable(title: title, reason: "there is no proportion to draw")
        }
        if let bad = items.first(where: { item in
            [item.proportion, item.lower, item.upper].contains { !$0.isFinite || $0 < 0 || $0 > 1 }
        }) {
            return SVGWriter.unavailable(title: title, reason: "\(bad.label): a proportion or bound is not between 0 and 1")
        }
        let plotLeft = 230.0, plotRight = 560.0, rowHeight = 28.0, top = 40.0
        let bottom = top + rowHeight * Double(items.count)
        var writer = SVGWriter(width: 760, height: bottom + 40)
        guard let axis = AxisMap(values: [0, 1], scale: .linear, start: plotLeft, end: plotRight, padding: 0) else {
            return SVGWriter.unavailable(title: title, reason: "no axis")
        }
        for (index, item) in items.enumerated() {
            let center = top + rowHeight * Double(index) + rowHeight / 2
            if index % 2 == 0 { writer.rect(0, center - rowHeight / 2, 760, rowHeight, fill: "#F4F6F9") }
            writer.text(12, center + 4, ForestPlot.clip(item.label, to: plotLeft - 20))
            if let reference = item.reference, let x = axis.pixel(reference) {
                writer.line(x, center - 10, x, center + 10, stroke: OkabeIto.vermillion, width: 1.5, dash: "4 3")
            }
            let (left, right, x) = (axis.pixel(item.lower) ?? plotLeft, axis.pixel(item.upper) ?? plotRight, axis.pixel(item.proportion) ?? plotLeft)
            writer.line(left, center, right, center, stroke: OkabeIto.blue, width: 2)
            writer.line(left, center - 5, left, center + 5, stroke: OkabeIto.blue, width: 2)
            writer.line(right, center - 5, right, center + 5, stroke: OkabeIto.blue, width: 2)
            writer.circle(x, center, r: 4.5, fill: OkabeIto.blue)
            var text = "\(FixedDecimal.format(item.proportion, digits: 3)) [\(FixedDecimal.format(item.lower, digits: 3)), \(FixedDecimal.format(item.upper, digits: 3))]"
            if let successes = item.successes, let trials = item.trials { text += " \(successes)/\(trials)" }
            writer.text(plotRight + 14, center + 4, text)
        }
        writer.line(plotLeft, bottom, plotRight, bottom, stroke: "#333333")
        for tick in axis.ticks {
            writer.line(tick.pixel, bottom, tick.pixel, bottom + 4, stroke: "#333333")
            writer.text(tick.pixel, bottom + 16, SVGWriter.tickLabel(tick.value), anchor: "middle", size: 11)
        }
        return writer.document(title: title)
    }
}
