import Foundation

/// A chart of estimates with their confidence intervals, one row per estimate, each on its own
/// axis: the rows of a claim-validation matrix measure different things (a correlation, an odds
/// ratio, a proportion), so one shared axis would mislead.
///
/// Rendered as a self-contained SVG (by `svg()`, and inline by the HTML renderer); the other
/// formats carry the same numbers in their table.
public struct IntervalChart: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var estimate: Double
        public var lower: Double
        public var upper: Double
        /// The value of no effect (0, 1 for an odds ratio, p0 for a proportion), drawn dashed.
        public var reference: Double?
        /// Plot on a log scale (odds ratios); every value must then be positive.
        public var logScale: Bool
        /// What the row says in numbers, shown at its right.
        public var text: String

        public init(label: String, estimate: Double, lower: Double, upper: Double, reference: Double?, logScale: Bool = false,
                    text: String) {
            self.label = label
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

    public func svg() -> String {
        let width = 820.0, labelWidth = 250.0, plotWidth = 330.0, rowHeight = 42.0, top = 40.0
        let plotLeft = labelWidth + 10, plotRight = plotLeft + plotWidth
        let height = top + rowHeight * Double(rows.count) + 16
        func number(_ value: Double) -> String { FixedDecimal.format(value, digits: 1) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(Self.escape(title))</title>\n"
        svg += "<text x=\"0\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * Double(index) + rowHeight / 2
            let transform: (Double) -> Double = row.logScale ? { $0 > 0 ? log10($0) : .nan } : { $0 }
            let points = [row.lower, row.upper, row.estimate] + (row.reference.map { [$0] } ?? [])
            let values = points.map(transform).filter(\.isFinite)
            var low = values.min() ?? 0, high = values.max() ?? 1
            if high - low < 1e-12 { low -= 1; high += 1 }
            let pad = (high - low) * 0.08
            low -= pad
            high += pad
            func x(_ value: Double) -> Double {
                let t = transform(value)
                guard t.isFinite else { return plotLeft }
                return plotLeft + plotWidth * (t - low) / (high - low)
            }
            if index % 2 == 0 {
                svg += "<rect x=\"0\" y=\"\(number(y - rowHeight / 2))\" width=\"\(Int(width))\" height=\"\(number(rowHeight))\" fill=\"#f4f6f9\"/>\n"
            }
            svg += "<text x=\"4\" y=\"\(number(y + 4))\">\(Self.escape(row.label))</text>\n"
            svg += "<line x1=\"\(number(plotLeft))\" y1=\"\(number(y + 9))\" x2=\"\(number(plotRight))\" y2=\"\(number(y + 9))\" stroke=\"#999999\"/>\n"
            // The axis's ends, in the row's own units, so each row can be read on its own scale.
            let ends = row.logScale ? [pow(10, low), pow(10, high)] : [low, high]
            svg += "<text x=\"\(number(plotLeft))\" y=\"\(number(y + 19))\" font-size=\"9\" fill=\"#666666\">\(Self.escape(Self.tick(ends[0])))</text>\n"
            svg += "<text x=\"\(number(plotRight))\" y=\"\(number(y + 19))\" font-size=\"9\" fill=\"#666666\" text-anchor=\"end\">\(Self.escape(Self.tick(ends[1])))</text>\n"
            if let reference = row.reference, transform(reference).isFinite {
                svg += "<line x1=\"\(number(x(reference)))\" y1=\"\(number(y - 12))\" x2=\"\(number(x(reference)))\" y2=\"\(number(y + 12))\" stroke=\"#b03030\" stroke-dasharray=\"3 3\"/>\n"
            }
            let (left, right) = (x(row.lower), x(row.upper))
            svg += "<line x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(right))\" y2=\"\(number(y))\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n"
            for end in [left, right] {
                svg += "<line x1=\"\(number(end))\" y1=\"\(number(y - 5))\" x2=\"\(number(end))\" y2=\"\(number(y + 5))\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n"
            }
            svg += "<circle cx=\"\(number(x(row.estimate)))\" cy=\"\(number(y))\" r=\"4\" fill=\"#1f5fa8\"/>\n"
            svg += "<text x=\"\(number(plotRight + 12))\" y=\"\(number(y + 4))\">\(Self.escape(row.text))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// An axis end with three significant digits, never in exponent notation for ordinary sizes.
    static func tick(_ value: Double) -> String {
        let magnitude = abs(value)
        let digits = magnitude >= 100 ? 0 : (magnitude >= 10 ? 1 : (magnitude >= 1 ? 2 : 3))
        return FixedDecimal.format(value, digits: digits)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
