import Core

/// The saturation curve as a self-contained SVG line chart: cumulative unique codes after each
/// interview, in interview order.
public enum SaturationChart {
    public static func svg(points: [(label: String, cumulative: Int)], title: String) -> String {
        let width = 640.0, height = 400.0, left = 60.0, right = 20.0, top = 40.0, bottom = 60.0
        let maxY = Double(max(1, points.map(\.cumulative).max() ?? 1))
        let n = max(1, points.count)
        func x(_ i: Int) -> Double { left + (width - left - right) * (n == 1 ? 0.5 : Double(i) / Double(n - 1)) }
        func y(_ v: Int) -> Double { height - bottom - (height - top - bottom) * Double(v) / maxY }
        func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
        let escape = { (text: String) in XMLText.escape(text) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <title>\(escape(title))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(fmt(width / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>
            <line x1="\(fmt(left))" y1="\(fmt(height - bottom))" x2="\(fmt(width - right))" y2="\(fmt(height - bottom))" stroke="black"/>
            <line x1="\(fmt(left))" y1="\(fmt(top))" x2="\(fmt(left))" y2="\(fmt(height - bottom))" stroke="black"/>

            """
        let ticks = 5
        for t in 0...ticks {
            let value = Int((maxY * Double(t) / Double(ticks)).rounded())
            svg += "<text x=\"\(fmt(left - 8))\" y=\"\(fmt(y(value) + 4))\" text-anchor=\"end\">\(value)</text>\n"
            svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(value)))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(y(value)))\" stroke=\"#dddddd\"/>\n"
        }
        for (i, point) in points.enumerated() {
            svg += "<text x=\"\(fmt(x(i)))\" y=\"\(fmt(height - bottom + 18))\" text-anchor=\"middle\">\(escape(point.label))</text>\n"
        }
        let line = points.enumerated().map { "\(fmt(x($0.offset))),\(fmt(y($0.element.cumulative)))" }.joined(separator: " ")
        svg += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n"
        for (i, point) in points.enumerated() {
            svg += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(y(point.cumulative)))\" r=\"3.5\" fill=\"#1f5fa8\"><title>\(escape(point.label)): \(point.cumulative) codes</title></circle>\n"
        }
        svg += "<text x=\"\(fmt(width / 2))\" y=\"\(fmt(height - 15))\" text-anchor=\"middle\">Interviews in order</text>\n"
        svg += "<text x=\"16\" y=\"\(fmt(height / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(fmt(height / 2)))\">Cumulative unique codes</text>\n"
        svg += "</svg>\n"
        return svg
    }
}
