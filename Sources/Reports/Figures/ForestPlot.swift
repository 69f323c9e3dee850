/// A forest plot: estimates with their confidence intervals, one row each, grouped into one panel
/// per kind of effect (rho, Cliff's delta, odds ratio…) with one axis shared by the panel's rows,
/// so that intervals of the same kind can be compared; different kinds never share an axis, since
/// a correlation and an odds ratio measure different things.
///
/// A row without a kind gets a panel of its own. A panel is drawn on a log scale when all its rows
/// ask for one (odds ratios). An infinite bound is drawn as an arrow at the axis end; a row whose
/// estimate cannot be placed says so in its row. Rendered inline by the HTML renderer.
public struct ForestPlot: SVGFigure, Equatable {
    /// One estimate with its interval.
    public struct Row: Sendable, Equatable {
        public var label: String
        /// What the estimate measures; rows of the same kind share an axis.
        public var kind: String?
        public var estimate: Double
        public var lower: Double
        public var upper: Double
        /// The value of no effect (0, 1 for an odds ratio, p0 for a proportion), drawn dashed.
        public var reference: Double?
        /// Plot on a log scale (odds ratios); every value must then be positive.
        public var logScale: Bool
        /// What the row says in numbers, shown at its right.
        public var text: String

        public init(label: String, kind: String? = nil, estimate: Double, lower: Double, upper: Double, reference: Double?,
                    logScale: Bool = false, text: String) {
            self.label = label
            self.kind = kind
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
            self.reference = reference
            self.logScale = logScale
            self.text = text
        }
    }

    public var title: String
    public var rows: [Row]

    public init(title: String, rows: [Row]) {
        self.title = title
        self.rows = rows
    }

    /// The panels: rows grouped by kind in order of first appearance.
    var panels: [(kind: String?, rows: [Row])] {
        var panels: [(kind: String?, rows: [Row])] = []
        for row in rows {
            if let kind = row.kind, let index = panels.firstIndex(where: { $0.kind == kind }) {
                panels[index].rows.append(row)
            } else {
                panels.append((row.kind, [row]))
            }
        }
        return panels
    }

    public func svg() -> String {
        guard !rows.isEmpty else {
            return SVGWriter.unavailable(title: title, reason: "no effect has an estimate to draw")
        }
        let width = 900.0, labelWidth = 250.0, plotLeft = 262.0, plotRight = 640.0, rowHeight = 26.0
        var y = 36.0
        let panels = self.panels
        var parts = SVGWriter(width: width, height: 0)
        for panel in panels {
            let scale: AxisScale = panel.rows.allSatisfy(\.logScale) ? .log10 : .linear
            let values = panel.rows.flatMap { [$0.estimate, $0.lower, $0.upper] + ($0.reference.map { [$0] } ?? []) }
            parts.text(8, y + 14, panel.kind ?? panel.rows[0].label, weight: "bold")
            y += 22
            guard let axis = AxisMap(values: values, scale: scale, start: plotLeft, end: plotRight, padding: 0.06) else {
                parts.text(plotLeft, y + 14, "Not drawn: no finite value\(scale == .log10 ? " above 0 for the log scale" : "")", fill: "#333333")
                y += rowHeight + 8
                continue
            }
            let top = y
            for (index, row) in panel.rows.enumerated() {
                let center = y + rowHeight / 2
                if index % 2 == 0 {
                    parts.rect(0, y, width, rowHeight, fill: "#F4F6F9")
                }
                parts.text(12, center + 4, Self.clip(row.label, to: labelWidth))
                if let x = axis.pixel(row.estimate) {
                    let left = row.lower == -.infinity ? plotLeft : (axis.pixel(row.lower) ?? plotLeft)
                    let right = row.upper == .infinity ? plotRight : (axis.pixel(row.upper) ?? plotRight)
                    parts.line(left, center, right, center, stroke: OkabeIto.blue, width: 2)
                    for (end, open) in [(left, row.lower == -.infinity), (right, row.upper == .infinity)] {
                        if open {
                            let direction = end == plotLeft ? -1.0 : 1.0
                            parts.raw("<path d=\"M\(SVGWriter.number(end - 6 * direction)) \(SVGWriter.number(center - 5)) L\(SVGWriter.number(end)) \(SVGWriter.number(center)) L\(SVGWriter.number(end - 6 * direction)) \(SVGWriter.number(center + 5))\" fill=\"none\" stroke=\"\(OkabeIto.blue)\" stroke-width=\"2\"/>")
                        } else {
                            parts.line(end, center - 5, end, center + 5, stroke: OkabeIto.blue, width: 2)
                        }
                    }
                    parts.circle(x, center, r: 4.5, fill: OkabeIto.blue)
                    parts.text(plotRight + 14, center + 4, Self.clip(row.text, to: width - plotRight - 20))
                } else {
                    parts.text(plotLeft, center + 4, "Not drawn: the estimate \(FixedDecimal.format(row.estimate, digits: 3)) cannot be placed on this axis", fill: "#333333")
                }
                y += rowHeight
            }
            let bottom = y
            for reference in Set(panel.rows.compactMap(\.reference)).sorted() {
                if let x = axis.pixel(reference) {
                    parts.line(x, top, x, bottom, stroke: OkabeIto.vermillion, width: 1.5, dash: "4 3")
                }
            }
            parts.line(plotLeft, bottom, plotRight, bottom, stroke: "#333333")
            for tick in axis.ticks {
                parts.line(tick.pixel, bottom, tick.pixel, bottom + 4, stroke: "#333333")
                parts.text(tick.pixel, bottom + 16, SVGWriter.tickLabel(tick.value), anchor: "middle", size: 11)
            }
            y = bottom + 30
        }
        return parts.resized(height: y + 4).document(title: title)
    }

    /// `text` cut to about the characters that fit `width` pixels at 12 px, with an ellipsis.
    static func clip(_ text: String, to width: Double) -> String {
        let fits = max(4, Int(width / 6.6))
        return text.count <= fits ? text : String(text.prefix(fits - 1)) + "…"
    }
}

/// The name the matrix's effect chart had before it became a forest plot; give its rows a `kind`
/// to share an axis.
public typealias IntervalChart = ForestPlot
