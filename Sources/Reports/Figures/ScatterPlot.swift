import Foundation

/// A scatter plot of paired values with the least-squares line through the plotted points; above
/// `hexbinAbove` points, hexagonal bins shaded by count replace the points (overplotting hides
/// density, and a thousand-point SVG is slow to print).
///
/// The trend is fitted on the scales' coordinates (a straight line on a log axis is a power law),
/// which is what the eye compares it with; it illustrates the direction a correlation test
/// measures, not a model the matrix tests. Pairs the scales cannot show are left out and counted.
public struct ScatterPlot: SVGFigure, Equatable {
    /// The number of points above which the plot bins them; 2,000 keeps the file near 100 kB.
    public static let defaultHexbinThreshold = 2000

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var y: [Double]
    public var xScale: AxisScale
    public var yScale: AxisScale
    public var hexbinAbove: Int
    /// Whether to draw the least-squares line.
    public var showsTrend: Bool

    public init(title: String, xLabel: String, yLabel: String, x: [Double], y: [Double], xScale: AxisScale = .linear,
                yScale: AxisScale = .linear, hexbinAbove: Int = ScatterPlot.defaultHexbinThreshold, showsTrend: Bool = true) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        self.xScale = xScale
        self.yScale = yScale
        self.hexbinAbove = hexbinAbove
        self.showsTrend = showsTrend
    }

    public func svg() -> String {
        guard x.count == y.count else {
            return SVGWriter.unavailable(title: title, reason: "x has \(x.count) values and y \(y.count); they must pair up")
        }
        let pairs = zip(x, y).filter { xScale.transform($0.0) != nil && yScale.transform($0.1) != nil }
        guard pairs.count >= 2 else {
            return SVGWriter.unavailable(title: title, reason: "fewer than two pairs can be drawn on these scales")
        }
        let left = 70.0, top = 40.0, plotWidth = 480.0, plotHeight = 320.0
        var writer = SVGWriter(width: left + plotWidth + 130, height: top + plotHeight + 64)
        guard let xAxis = AxisMap(values: pairs.map(\.0), scale: xScale, start: left, end: left + plotWidth),
              let yAxis = AxisMap(values: pairs.map(\.1), scale: yScale, start: top + plotHeight, end: top) else {
            return SVGWriter.unavailable(title: title, reason: "no axis")
        }
        for tick in xAxis.ticks {
            writer.line(tick.pixel, top, tick.pixel, top + plotHeight + 4, stroke: "#E4E4E4")
            writer.text(tick.pixel, top + plotHeight + 17, SVGWriter.tickLabel(tick.value), anchor: "middle", size: 11)
        }
        for tick in yAxis.ticks {
            writer.line(left - 4, tick.pixel, left + plotWidth, tick.pixel, stroke: "#E4E4E4")
            writer.text(left - 8, tick.pixel + 4, SVGWriter.tickLabel(tick.value), anchor: "end", size: 11)
        }
        writer.rect(left, top, plotWidth, plotHeight, fill: "none", stroke: "#333333")
        writer.text(left + plotWidth / 2, top + plotHeight + 36, xLabel + Self.scaleNote(xScale), anchor: "middle", size: 11)
        writer.text(16, top + plotHeight / 2, yLabel + Self.scaleNote(yScale), anchor: "middle", size: 11, rotate: true)
        let points = pairs.map { (xAxis.pixel($0.0) ?? left, yAxis.pixel($0.1) ?? top) }
        if pairs.count > hexbinAbove {
            drawHexbins(points, into: &writer, legendX: left + plotWidth + 16, top: top)
        } else {
            for point in points {
                writer.circle(point.0, point.1, r: 2.5, fill: OkabeIto.blue, opacity: 0.5)
            }
        }
        if showsTrend, let (slope, intercept) = Self.leastSquares(pairs.map { (xScale.transform($0.0)!, yScale.transform($0.1)!) }) {
            let x0 = xAxis.low, x1 = xAxis.high
            let clamp = { (v: Double) in min(max(v, yAxis.low), yAxis.high) }
            writer.line(xAxis.pixel(position: x0), yAxis.pixel(position: clamp(intercept + slope * x0)),
                        xAxis.pixel(position: x1), yAxis.pixel(position: clamp(intercept + slope * x1)),
                        stroke: OkabeIto.vermillion, width: 2)
            writer.text(left + plotWidth + 16, top + plotHeight - 8, "— least squares", size: 10, fill: OkabeIto.vermillion)
        }
        let dropped = x.count - pairs.count
        writer.text(8, top + plotHeight + 56, "n = \(pairs.count)" + (dropped > 0 ? "; \(dropped) pair\(dropped == 1 ? "" : "s") cannot be drawn on these scales" : "")
                    + (pairs.count > hexbinAbove ? "; hexagonal bins (more than \(hexbinAbove) points)" : ""), size: 10, fill: "#555555")
        return writer.document(title: title)
    }

    private static func scaleNote(_ scale: AxisScale) -> String {
        switch scale {
        case .linear: return ""
        case .log1p: return " (log scale, 1 + value)"
        case .log10: return " (log scale)"
        }
    }

    /// Slope and intercept of the ordinary least-squares line; nil when x does not vary.
    static func leastSquares(_ points: [(Double, Double)]) -> (Double, Double)? {
        let n = Double(points.count)
        let meanX = points.map(\.0).reduce(0, +) / n, meanY = points.map(\.1).reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for (x, y) in points {
            sxx += (x - meanX) * (x - meanX)
            sxy += (x - meanX) * (y - meanY)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        return (slope, meanY - slope * meanX)
    }

    /// Pointy-top hexagons of radius 9 px, shaded in five count classes (by powers of the maximum).
    private func drawHexbins(_ points: [(Double, Double)], into writer: inout SVGWriter, legendX: Double, top: Double) {
        let radius = 9.0, w = sqrt(3) * radius, h = 1.5 * radius
        var counts: [Int: [Int: Int]] = [:]
        for (px, py) in points {
            let row = Int((py / h).rounded())
            let offset = row % 2 == 0 ? 0 : w / 2
            let column = Int(((px - offset) / w).rounded())
            counts[row, default: [:]][column, default: 0] += 1
        }
        let highest = counts.values.flatMap(\.values).max() ?? 1
        func level(_ count: Int) -> Int {
            highest <= 1 ? 0 : min(4, Int(log(Double(count)) / log(Double(highest)) * 4.999))
        }
        for row in counts.keys.sorted() {
            for column in counts[row]!.keys.sorted() {
                let count = counts[row]![column]!
                let cx = Double(column) * w + (row % 2 == 0 ? 0 : w / 2), cy = Double(row) * h
                let corners = (0..<6).map { k -> String in
                    let angle = Double.pi / 180 * (60 * Double(k) - 30)
                    return SVGWriter.number(cx + radius * cos(angle)) + "," + SVGWriter.number(cy + radius * sin(angle))
                }
                writer.raw("<polygon points=\"\(corners.joined(separator: " "))\" fill=\"\(OkabeIto.sequential[level(count)])\"><title>\(count)</title></polygon>")
            }
        }
        writer.text(legendX, top + 10, "points per hexagon", size: 10)
        for index in 0..<5 {
            let lower = index == 0 ? 1 : Int(pow(Double(highest), Double(index) / 5).rounded(.up))
            writer.rect(legendX, top + 18 + Double(index) * 16, 12, 12, fill: OkabeIto.sequential[index])
            writer.text(legendX + 17, top + 28 + Double(index) * 16, "≥ \(lower)", size: 10)
        }
    }
}
