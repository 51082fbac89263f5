import Foundation

/// A confusion matrix as an SVG grid: rows the true class, columns the predicted one, each cell
/// its count shaded by the share of its row (so a class's recall reads on the diagonal).
struct SVGConfusionMatrix {
    var categories: [String]
    /// counts[t][p]: `[K, K]`.
    var counts: [[Int]]
    var cell = 44.0

    func render() -> String {
        let k = categories.count, label = 90.0
        let width = label + cell * Double(k) + 10, height = label + cell * Double(k) + 24
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="11">"#
        svg += #"<rect width="100%" height="100%" fill="white"/>"#
        svg += #"<text x="\#(label + cell * Double(k) / 2)" y="12" text-anchor="middle" fill="rgb(85,85,85)">predicted</text>"#
        for (j, name) in categories.enumerated() {
            let x = label + cell * (Double(j) + 0.5)
            svg += #"<text x="\#(x)" y="\#(label - 6)" text-anchor="start" transform="rotate(-45 \#(x) \#(label - 6))">\#(HTML.escape(name))</text>"#
        }
        for (t, row) in counts.enumerated() {
            let total = max(row.reduce(0, +), 1), y = label + cell * Double(t)
            svg += #"<text x="\#(label - 6)" y="\#(y + cell / 2 + 4)" text-anchor="end">\#(HTML.escape(categories[t]))</text>"#
            for (p, count) in row.enumerated() {
                let share = Double(count) / Double(total), x = label + cell * Double(p)
                let shade = Int(255 - 180 * share), ink = share > 0.55 ? "white" : "rgb(34,34,34)"
                svg += #"<rect x="\#(x)" y="\#(y)" width="\#(cell)" height="\#(cell)" fill="rgb(\#(shade),\#(shade),255)" stroke="rgb(221,221,221)"/>"#
                svg += #"<text x="\#(x + cell / 2)" y="\#(y + cell / 2 + 4)" text-anchor="middle" fill="\#(ink)">\#(count)</text>"#
            }
        }
        svg += #"<text x="12" y="\#(label + cell * Double(k) / 2)" text-anchor="middle" fill="rgb(85,85,85)" transform="rotate(-90 12 \#(label + cell * Double(k) / 2))">true</text>"#
        return svg + "</svg>"
    }
}
