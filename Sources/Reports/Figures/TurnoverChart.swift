/// Stacked bars of top-K turnover, one panel per registry and one bar per snapshot: the names that
/// remained from the previous snapshot, those returning after an absence, and newcomers (Jones et
/// al., ESEM 2024). All panels share one count axis, so registries compare at a glance.
public struct TurnoverChart: SVGFigure, Equatable {
    /// One snapshot's top K, split three ways.
    public struct Bar: Sendable, Equatable {
        public var snapshot: String
        public var remained: Int
        public var returning: Int
        public var newcomers: Int

        public init(snapshot: String, remained: Int, returning: Int, newcomers: Int) {
            self.snapshot = snapshot
            self.remained = remained
            self.returning = returning
            self.newcomers = newcomers
        }
    }

    /// One registry's snapshots, in order.
    public struct Panel: Sendable, Equatable {
        public var registry: String
        public var bars: [Bar]

        public init(registry: String, bars: [Bar]) {
            self.registry = registry
            self.bars = bars
        }
    }

    public var title: String
    public var panels: [Panel]

    public init(title: String, panels: [Panel]) {
        self.title = title
        self.panels = panels
    }

    static let parts: [(name: String, color: String)] = [("Remained", OkabeIto.blue), ("Returning", OkabeIto.orange), ("Newcomers", OkabeIto.bluishGreen)]

    public func svg() -> String {
        let bars = panels.flatMap(\.bars)
        guard !bars.isEmpty else {
            return SVGWriter.unavailable(title: title, reason: "there are no snapshots")
        }
        if let bad = bars.first(where: { min($0.remained, $0.returning, $0.newcomers) < 0 }) {
            return SVGWriter.unavailable(title: title, reason: "snapshot \(bad.snapshot) has a negative count")
        }
        // Wide enough for the longest snapshot label at 10 px (about 5.8 px a character).
        let longestLabel = Double(bars.map(\.snapshot.count).max() ?? 0)
        let barWidth = 34.0, gap = max(14, longestLabel * 5.8 + 10 - barWidth), panelGap = 36.0, left = 62.0, top = 62.0, plotHeight = 240.0
        let panelWidths = panels.map { Double($0.bars.count) * (barWidth + gap) + gap }
        let width = max(420, left + panelWidths.reduce(0, +) + panelGap * Double(panels.count - 1) + 16)
        var writer = SVGWriter(width: width, height: top + plotHeight + 70)
        let total = bars.map { Double($0.remained) + Double($0.returning) + Double($0.newcomers) }.max() ?? 0
        guard let axis = AxisMap(values: [0, max(total, 1)], scale: .linear, start: top + plotHeight, end: top, padding: 0.04,
                                 includeZero: true) else {
            return SVGWriter.unavailable(title: title, reason: "no count to draw")
        }
        for (index, part) in Self.parts.enumerated() {
            let x = 8 + Double(index) * 120
            writer.rect(x, 32, 12, 12, fill: part.color)
            writer.text(x + 17, 42, part.name)
        }
        for tick in axis.ticks {
            writer.line(left - 4, tick.pixel, width - 16, tick.pixel, stroke: "#DDDDDD")
            writer.text(left - 8, tick.pixel + 4, SVGWriter.tickLabel(tick.value), anchor: "end", size: 11)
        }
        writer.text(16, top + plotHeight / 2, "Names in the top K", anchor: "middle", size: 11, rotate: true)
        var x = left
        for (panel, panelWidth) in zip(panels, panelWidths) {
            writer.text(x + panelWidth / 2, top + plotHeight + 44, panel.registry, anchor: "middle", weight: "bold")
            var barX = x + gap
            for bar in panel.bars {
                var base = 0.0
                for (value, part) in zip([bar.remained, bar.returning, bar.newcomers], Self.parts) where value > 0 {
                    let y0 = axis.pixel(base) ?? top + plotHeight
                    let y1 = axis.pixel(base + Double(value)) ?? top
                    writer.rect(barX, y1, barWidth, y0 - y1, fill: part.color, tooltip: "\(panel.registry) \(bar.snapshot): \(value) \(part.name.lowercased())")
                    if y0 - y1 >= 13 {
                        writer.text(barX + barWidth / 2, (y0 + y1) / 2 + 4, String(value), anchor: "middle", size: 10,
                                    fill: part.color == OkabeIto.orange ? "#000000" : "#FFFFFF")
                    }
                    base += Double(value)
                }
                writer.text(barX + barWidth / 2, top + plotHeight + 16, bar.snapshot, anchor: "middle", size: 10)
                barX += barWidth + gap
            }
            x += panelWidth + panelGap
        }
        writer.line(left, top + plotHeight, width - 16, top + plotHeight, stroke: "#333333")
        return writer.document(title: title)
    }
}
