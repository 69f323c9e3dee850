import Core
import Foundation

/// A figure drawn as a self-contained SVG document: no scripts, fonts or images fetched, the same
/// bytes for the same data.
public protocol SVGFigure: Sendable {
    /// The figure's title, drawn at its top and given as the SVG `<title>`.
    var title: String { get }
    /// The SVG document.
    func svg() -> String
}

/// A figure already drawn, as a table or report carries it.
public struct Figure: Sendable, Equatable {
    /// The figure's title.
    public var title: String
    /// The SVG document.
    public var svg: String

    /// Draws `figure`.
    public init(_ figure: some SVGFigure) {
        title = figure.title
        svg = figure.svg()
    }
}

/// The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"): eight colours that stay
/// distinct under the common forms of colour blindness and in greyscale print by lightness.
public enum OkabeIto {
    public static let orange = "#E69F00"
    public static let skyBlue = "#56B4E9"
    public static let bluishGreen = "#009E73"
    public static let yellow = "#F0E442"
    public static let blue = "#0072B2"
    public static let vermillion = "#D55E00"
    public static let reddishPurple = "#CC79A7"
    public static let black = "#000000"

    /// The colours in the order series use them (yellow last: it is faint on white).
    public static let series = [blue, orange, bluishGreen, vermillion, reddishPurple, skyBlue, black, yellow]

    /// The colour of series `index`, cycling.
    public static func color(_ index: Int) -> String {
        series[((index % series.count) + series.count) % series.count]
    }

    /// Five steps from light to dark blue, for counts (hexagonal bins); distinct in lightness.
    public static let sequential = ["#DCEAF5", "#9CC3E4", "#56B4E9", "#0072B2", "#003F63"]
}

/// How values map onto an axis.
public enum AxisScale: String, Sendable, Equatable, CaseIterable {
    /// Equal distances for equal differences.
    case linear
    /// log10(1 + v): for counts such as downloads that start at 0 and span many powers of ten;
    /// negative values cannot be drawn.
    case log1p
    /// log10(v): for ratios; values at or below 0 cannot be drawn.
    case log10

    /// The position of `value` before scaling to pixels; nil when the scale cannot show it.
    func transform(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch self {
        case .linear: return value
        case .log1p: return value >= 0 ? Foundation.log10(1 + value) : nil
        case .log10: return value > 0 ? Foundation.log10(value) : nil
        }
    }

    /// The value at a transformed position.
    func inverse(_ position: Double) -> Double {
        switch self {
        case .linear: return position
        case .log1p: return pow(10, position) - 1
        case .log10: return pow(10, position)
        }
    }

    /// Tick values covering `low...high` (in transformed units): 1, 2 or 5 times a power of ten
    /// on a linear scale, powers of ten on the logarithmic ones.
    func ticks(low: Double, high: Double) -> [Double] {
        switch self {
        case .linear:
            let step = Self.niceStep((high - low) / 5)
            var value = (low / step).rounded(.up) * step
            var ticks: [Double] = []
            while value <= high + step * 1e-9 && ticks.count < 20 {
                ticks.append(abs(value) < step * 1e-9 ? 0 : value)
                value += step
            }
            return ticks
        case .log1p, .log10:
            let startsAtZero = self == .log1p && low <= 0
            // Powers of ten stay within the doubles' range, so the conversions below cannot trap.
            func power(_ value: Double, _ rule: FloatingPointRoundingRule) -> Int {
                let exponent = Foundation.log10(max(value, 1e-300)).rounded(rule)
                return exponent.isFinite ? Int(min(max(exponent, -300), 300)) : 300
            }
            // On log1p, 1 sits a third of a decade above 0 and would crowd it: start at 10.
            let lowest = startsAtZero ? 1 : power(inverse(low), .up)
            let last = power(inverse(high), .down)
            var ticks: [Double] = startsAtZero ? [0] : []
            if last - lowest >= 2 {
                let stride = max(1, (last - lowest + 1) / 7 + ((last - lowest + 1) % 7 == 0 ? 0 : 1))
                for exponent in Swift.stride(from: lowest, through: last, by: stride) {
                    ticks.append(pow(10, Double(exponent)))
                }
            } else {
                // Less than three decades: 1, 2 and 5 times each power of ten in range.
                for exponent in (lowest - 1)..<max(lowest - 1, last + 2) {
                    for factor in [1.0, 2, 5] {
                        let value = factor * pow(10, Double(exponent))
                        if let position = transform(value), position >= low, position <= high, !(startsAtZero && value < 10) {
                            ticks.append(value)
                        }
                    }
                }
            }
            return ticks
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, Foundation.log10(rough).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * power >= rough * 0.999 {
            return factor * power
        }
        return 10 * power
    }
}

/// Builds SVG text: fixed-decimal coordinates, escaped text, a frame and a title.
struct SVGWriter {
    private(set) var body = ""
    let width: Double
    let height: Double

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A coordinate with one decimal, as text.
    static func number(_ value: Double) -> String {
        FixedDecimal.format(value.isFinite ? value : 0, digits: 1)
    }

    static func escape(_ text: String) -> String {
        XMLText.escape(PlainText.singleLine(text))
    }

    /// The same drawing on a canvas of another height (for figures that know it only at the end).
    func resized(height: Double) -> SVGWriter {
        var copy = SVGWriter(width: width, height: height)
        copy.body = body
        return copy
    }

    mutating func raw(_ text: String) {
        body += text + "\n"
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        let n = Self.number
        raw("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\""
            + (width == 1 ? "" : " stroke-width=\"\(n(width))\"") + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil, tooltip: String? = nil) {
        let n = Self.number
        let element = "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\""
            + (stroke.map { " stroke=\"\($0)\"" } ?? "")
        if let tooltip {
            raw(element + "><title>\(Self.escape(tooltip))</title></rect>")
        } else {
            raw(element + "/>")
        }
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, opacity: Double? = nil) {
        let n = Self.number
        raw("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"\(fill)\"" + (opacity.map { " fill-opacity=\"\(FixedDecimal.format($0, digits: 2))\"" } ?? "") + "/>")
    }

    mutating func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start", size: Int? = nil, weight: String? = nil,
                       fill: String? = nil, rotate: Bool = false) {
        let n = Self.number
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\""
        if anchor != "start" { attributes += " text-anchor=\"\(anchor)\"" }
        if let size { attributes += " font-size=\"\(size)\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let fill { attributes += " fill=\"\(fill)\"" }
        if rotate { attributes += " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" }
        raw("<text \(attributes)>\(Self.escape(content))</text>")
    }

    /// The complete document with `title` as its `<title>` and heading.
    func document(title: String) -> String {
        let w = Int(width.rounded()), h = Int(height.rounded())
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
            + "<title>\(Self.escape(title))</title>\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#FFFFFF\"/>\n"
            + "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
            + body + "</svg>\n"
    }

    /// A figure that cannot be drawn: its title and, in its place, why.
    static func unavailable(title: String, reason: String, width: Double = 640) -> String {
        var writer = SVGWriter(width: width, height: 90)
        writer.rect(8, 32, width - 16, 44, fill: "#F4F4F4", stroke: "#999999")
        writer.text(width / 2, 58, "Not drawn: " + reason, anchor: "middle", fill: "#333333")
        return writer.document(title: title)
    }

    /// An axis tick's label: at most three significant decimals, thousands as "k", millions as "M".
    static func tickLabel(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e9 { return trimmed(value / 1e9) + "G" }
        if magnitude >= 1e6 { return trimmed(value / 1e6) + "M" }
        if magnitude >= 1e4 { return trimmed(value / 1e3) + "k" }
        return trimmed(value)
    }

    private static func trimmed(_ value: Double) -> String {
        var text = FixedDecimal.format(value, digits: abs(value) >= 100 ? 0 : (abs(value) >= 10 ? 1 : (abs(value) >= 1 ? 2 : 3)))
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}

/// A value range in transformed units, padded, mapped onto pixels.
struct AxisMap {
    let scale: AxisScale
    let low: Double
    let high: Double
    let start: Double
    let end: Double

    /// The range covering `values` (those the scale can show), padded by `padding` of its width;
    /// nil when no value can be shown.
    init?(values: [Double], scale: AxisScale, start: Double, end: Double, padding: Double = 0.05, includeZero: Bool = false) {
        var positions = values.compactMap(scale.transform)
        if includeZero, let zero = scale.transform(0) { positions.append(zero) }
        guard var low = positions.min(), var high = positions.max() else { return nil }
        if high - low < 1e-12 {
            low -= 0.5
            high += 0.5
        }
        let pad = (high - low) * padding
        self.scale = scale
        self.low = includeZero && low == scale.transform(0) ? low : low - pad
        self.high = high + pad
        self.start = start
        self.end = end
    }

    /// The pixel of a value, clamped to the axis; nil when the scale cannot show it.
    func pixel(_ value: Double) -> Double? {
        guard let position = scale.transform(value) else { return nil }
        return pixel(position: position)
    }

    func pixel(position: Double) -> Double {
        let t = min(max((position - low) / (high - low), 0), 1)
        return start + (end - start) * t
    }

    /// The ticks inside the range, as (value, pixel).
    var ticks: [(value: Double, pixel: Double)] {
        scale.ticks(low: low, high: high).compactMap { value in
            guard let position = scale.transform(value), position >= low - 1e-12, position <= high + 1e-12 else { return nil }
            return (value, pixel(position: position))
        }
    }
}
