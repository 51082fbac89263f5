import Foundation

/// Three orthographic projections (xy, xz, yz) of a point cloud as one SVG,
/// points shaded by depth so the shape reads without a 3D viewer.
struct SVGPointCloud {
    /// `[points, 3]`.
    var positions: [Float]
    var caption: String
    var panel = 150.0

    func render() -> String {
        let n = positions.count / 3
        let width = panel * 3, height = panel + 20
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="11">"#
        svg += #"<rect width="100%" height="100%" fill="white"/>"#
        guard n > 0 else { return svg + "</svg>" }
        var lo = [Float](repeating: .infinity, count: 3), hi = [Float](repeating: -.infinity, count: 3)
        for i in 0 ..< n { for a in 0 ..< 3 { lo[a] = min(lo[a], positions[3 * i + a]); hi[a] = max(hi[a], positions[3 * i + a]) } }
        let extent = Double(max(zip(hi, lo).map { $0 - $1 }.max() ?? 1, 1e-6))
        for (panelIndex, axes) in [(0, 1, 2), (0, 2, 1), (1, 2, 0)].enumerated() {
            let x0 = Double(panelIndex) * panel
            svg += #"<rect x="\#(x0 + 2)" y="2" width="\#(panel - 4)" height="\#(panel - 4)" fill="none" stroke="rgb(221,221,221)"/>"#
            let names = ["x", "y", "z"]
            svg += #"<text x="\#(x0 + panel / 2)" y="\#(panel + 14)" text-anchor="middle">\#(names[axes.0])\#(names[axes.1])</text>"#
            // Far points first, so near points draw on top.
            let order = (0 ..< n).sorted { positions[3 * $0 + axes.2] < positions[3 * $1 + axes.2] }
            for i in order {
                let u = (Double(positions[3 * i + axes.0] - lo[axes.0]) / extent - 0.5) * (panel - 16) + x0 + panel / 2
                let v = panel / 2 - (Double(positions[3 * i + axes.1] - lo[axes.1]) / extent - 0.5) * (panel - 16)
                let depth = Double(positions[3 * i + axes.2] - lo[axes.2]) / extent
                let shade = Int(40 + 150 * (1 - depth))
                svg += String(format: #"<circle cx="%.1f" cy="%.1f" r="1.1" fill="rgb(%d,%d,200)"/>"#, u, v, shade, shade)
            }
        }
        return svg + "</svg>"
    }
}
