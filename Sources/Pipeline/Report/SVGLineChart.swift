import Foundation

/// A self-contained SVG line chart (for loss curves): one or more series on
/// shared axes, optional log-scaled y, tick labels, vertical markers, no scripts.
struct SVGLineChart {
    struct Series {
        /// The legend's entry; none when empty.
        var name: String
        var points: [(x: Double, y: Double)]
        var colour: String
        var dashed = false
        /// A dot at each point.
        var dots = false
    }

    /// A labelled vertical line at `x` (drawn when inside the x range).
    struct Marker {
        var x: Double
        var label: String
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var markers: [Marker] = []
    var logY = false
    var width = 640.0
    var height = 320.0

    func render() -> String {
        let margin = (left: 64.0, right: 16.0, top: 32.0, bottom: 44.0)
        let plotW = width - margin.left - margin.right, plotH = height - margin.top - margin.bottom
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" font-family="sans-serif" font-size="11">"#
        svg += #"<rect width="100%" height="100%" fill="white"/>"#
        svg += #"<text x="\#(width / 2)" y="18" text-anchor="middle" font-size="13">\#(HTML.escape(title))</text>"#
        guard let minX = all.map(\.x).min(), let maxX = all.map(\.x).max(),
              let rawMinY = all.map(\.y).min(), let rawMaxY = all.map(\.y).max() else {
            return svg + #"<text x="\#(width / 2)" y="\#(height / 2)" text-anchor="middle">no data yet</text></svg>"#
        }
        let f: (Double) -> Double = logY ? { log10($0) } : { $0 }
        var (lo, hi) = (f(rawMinY), f(rawMaxY))
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let spanX = max(maxX - minX, 1e-12)
        let px = { (x: Double) in margin.left + (x - minX) / spanX * plotW }
        let py = { (y: Double) in margin.top + plotH - (f(y) - lo) / (hi - lo) * plotH }

        svg += #"<rect x="\#(margin.left)" y="\#(margin.top)" width="\#(plotW)" height="\#(plotH)" fill="none" stroke="rgb(136,136,136)"/>"#
        for k in 0 ... 4 {
            let t = Double(k) / 4
            let yValue = lo + t * (hi - lo), yPixel = margin.top + plotH - t * plotH
            let label = logY ? Self.format(pow(10, yValue)) : Self.format(yValue)
            svg += #"<line x1="\#(margin.left)" x2="\#(margin.left + plotW)" y1="\#(yPixel)" y2="\#(yPixel)" stroke="rgb(238,238,238)"/>"#
            svg += #"<text x="\#(margin.left - 6)" y="\#(yPixel + 4)" text-anchor="end">\#(label)</text>"#
            let xValue = minX + t * spanX, xPixel = margin.left + t * plotW
            svg += #"<text x="\#(xPixel)" y="\#(margin.top + plotH + 16)" text-anchor="middle">\#(Self.format(xValue))</text>"#
        }
        svg += #"<text x="\#(margin.left + plotW / 2)" y="\#(height - 6)" text-anchor="middle">\#(HTML.escape(xLabel))</text>"#
        svg += #"<text x="14" y="\#(margin.top + plotH / 2)" text-anchor="middle" transform="rotate(-90 14 \#(margin.top + plotH / 2))">\#(HTML.escape(yLabel))</text>"#
        for marker in markers where marker.x.isFinite && (minX ... maxX).contains(marker.x) {
            let x = px(marker.x)
            svg += #"<line x1="\#(x)" x2="\#(x)" y1="\#(margin.top)" y2="\#(margin.top + plotH)" stroke="rgb(120,120,120)" stroke-dasharray="2 3"/>"#
            svg += #"<text x="\#(x + 3)" y="\#(margin.top + plotH - 4)" fill="rgb(120,120,120)">\#(HTML.escape(marker.label))</text>"#
        }
        var legendY = margin.top + 14
        for s in series {
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
            let path = points.map { String(format: "%.1f,%.1f", px($0.x), py($0.y)) }.joined(separator: " ")
            let dash = s.dashed ? #" stroke-dasharray="5 3""# : ""
            svg += #"<polyline fill="none" stroke="\#(s.colour)" stroke-width="1.5"\#(dash) points="\#(path)"/>"#
            if s.dots {
                for p in points { svg += String(format: #"<circle cx="%.1f" cy="%.1f" r="2.5" fill="%@"/>"#, px(p.x), py(p.y), s.colour) }
            }
            guard !s.name.isEmpty else { continue }
            svg += #"<text x="\#(margin.left + plotW - 8)" y="\#(legendY)" text-anchor="end" fill="\#(s.colour)">\#(HTML.escape(s.name))</text>"#
            legendY += 14
        }
        return svg + "</svg>"
    }

    static func format(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e4 || (magnitude < 1e-2 && magnitude > 0) { return String(format: "%.2g", value) }
        if magnitude >= 100 { return String(format: "%.0f", value) }
        return String(format: "%.3g", value)
    }
}

/// HTML text escaping.
enum HTML {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
