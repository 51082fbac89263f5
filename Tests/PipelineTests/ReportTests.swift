import Chem
import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite(.temporaryDirectories) struct ReportTests {
    @Test func lineChartScalesSeriesIntoThePlot() {
        let chart = SVGLineChart(title: "t", xLabel: "x", yLabel: "y",
                                 series: [.init(name: "s", points: [(0, 1), (10, 0.1)], colour: "red")], logY: true)
        let svg = chart.render()
        // First point at the left edge and top, last at the right edge and bottom of the plot area.
        #expect(svg.contains("points=\"64.0,32.0 624.0,276.0\""))
        #expect(SVGLineChart(title: "t", xLabel: "x", yLabel: "y", series: []).render().contains("no data yet"))
    }

    @Test func lossCurveKeepsTheLatestLineOfEachStep() throws {
        let url = try TemporaryDirectory.create("loss").appendingPathComponent("log.jsonl")
        try Data("""
            {"step": 1, "loss": 0.9}
            {"step": 2, "loss": 0.8}
            not json
            {"step": 2, "loss": 0.7}
            {"step": 3, "loss": 0.6}

            """.utf8).write(to: url)
        let points = RunReport.lossPoints(log: url)
        #expect(points.map(\.x) == [1, 2, 3])
        #expect(points.map(\.y) == [0.9, 0.7, 0.6])
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
        #expect(heavy.atoms[0].implicitHydrogens == 2)
        // C-H, C-C, C-O and a stray H bonded to nothing: the stray H stays an atom.
        let ethanol = Molecule(atoms: [6, 1, 6, 8, 1].map { .init(element: Element(atomicNumber: $0)!) },
                               bonds: [.init(0, 1), .init(0, 2), .init(2, 3)], title: "sample 7")
        let depicted = RunReport.heavyAtoms(of: ethanol)
        #expect(depicted.bonds.map { [$0.first, $0.second] } == [[0, 1], [1, 2]])
        #expect(depicted.atoms.map(\.element.atomicNumber) == [6, 6, 8, 1])
        #expect(depicted.atoms.map(\.implicitHydrogens) == [1, 0, 0, 0])
        #expect(depicted.title.isEmpty)
    }
}
