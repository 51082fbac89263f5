import Chem
import Foundation
import Testing
@testable import Pipeline

@Suite struct ReportTests {
    @Test func lineChartScalesSeriesIntoThePlot() {
        let chart = SVGLineChart(title: "t", xLabel: "x", yLabel: "y",
                                 series: [.init(name: "s", points: [(0, 1), (10, 0.1)], colour: "red")], logY: true)
        let svg = chart.render()
        // First point at the left edge and top, last at the right edge and bottom of the plot area.
        #expect(svg.contains("points=\"64.0,32.0 624.0,276.0\""))
        #expect(SVGLineChart(title: "t", xLabel: "x", yLabel: "y", series: []).render().contains("no data yet"))
    }

    @Test func escapesTextInHTML() {
        var report = RunReport(title: "a <b> & c", summary: "\"quoted\"")
        report.tables = [.init(title: "T", rows: [("k<", "v>")])]
        let html = report.html()
        #expect(html.contains("a &lt;b&gt; &amp; c"))
        #expect(html.contains("&quot;quoted&quot;"))
        #expect(html.contains("k&lt;") && html.contains("v&gt;"))
    }

    @Test func dropsHydrogensForDepiction() {
        let water = Molecule(atoms: [.init(element: Element(atomicNumber: 8)!), .init(element: Element(atomicNumber: 1)!),
                                     .init(element: Element(atomicNumber: 1)!)],
                             bonds: [.init(0, 1), .init(0, 2)])
        let heavy = RunReport.heavyAtoms(of: water)
        #expect(heavy.atoms.count == 1 && heavy.bonds.isEmpty)
        let ethanol = Molecule(atoms: [6, 1, 6, 8].map { .init(element: Element(atomicNumber: $0)!) },
                               bonds: [.init(0, 1), .init(0, 2), .init(2, 3)])
        #expect(RunReport.heavyAtoms(of: ethanol).bonds.map { [$0.first, $0.second] } == [[0, 1], [1, 2]])
    }
}
