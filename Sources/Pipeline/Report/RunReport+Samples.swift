import Chem
import Diffusion
import Foundation

extension RunReport {
    /// The report of a molecule sampling run: EDM metrics and depictions of
    /// the first molecules (Open Babel's 2D layout, hydrogens implicit).
    static func molecules(_ molecules: [Molecule], metrics: EDMMetrics, model: TrainedModel, sampling: SamplingSettings,
                          networkCalls: Int, output: String, seconds: Double, tiles: Int = 24) -> RunReport {
        var report = RunReport(
            title: "rgdm samples: \(URL(fileURLWithPath: output).lastPathComponent)",
            summary: "\(metrics.count) molecules sampled in \(Int(seconds.rounded())) s from \(model.source) (\(model.trainedSteps) training steps; \(sampling.summary); \(networkCalls) network calls per molecule); bonds from EDM's distance table.")
        var rows: [(String, String)] = [
            ("molecules", "\(metrics.count)"),
            ("network calls per molecule", "\(networkCalls)"),
            ("atom stability", String(format: "%.4f", metrics.atomStability)),
            ("molecule stability", String(format: "%.4f", metrics.moleculeStability)),
            ("validity", String(format: "%.4f", metrics.validity)),
            ("uniqueness (of valid)", String(format: "%.4f", metrics.uniqueness)),
        ]
        if let novelty = metrics.novelty { rows.append(("novelty (of unique)", String(format: "%.4f", novelty))) }
        report.tables = [Table(title: "EDM metrics", rows: rows)]
        for (index, molecule) in molecules.prefix(tiles).enumerated() {
            let stability = EDMStability(of: molecule)
            let smiles = (try? EDMValidity.smiles(of: molecule)) ?? nil
            guard let svg = try? heavyAtoms(of: molecule).string(format: MoleculeFormat("svg")) else { continue }
            report.gallery.append(Figure(
                caption: "#\(index + 1) \(smiles ?? "invalid")\(stability.isStable ? " · stable" : "")",
                svg: inlineSVG(svg)))
        }
        var metricsJSON: [String: Any] = [
            "count": metrics.count, "atom_stability": metrics.atomStability,
            "molecule_stability": metrics.moleculeStability, "validity": metrics.validity,
            "uniqueness": metrics.uniqueness,
        ]
        metricsJSON["novelty"] = metrics.novelty ?? NSNull()
        report.json = ["kind": "molecule samples", "output": output, "model": model.source,
                       "trained_steps": model.trainedSteps, "sampling": sampling.json(networkCalls: networkCalls),
                       "seconds": seconds, "metrics": metricsJSON]
        return report
    }

    /// The report of a shape sampling run: projections of the first clouds.
    static func shapes(_ results: [SampleResult], model: TrainedModel, sampling: SamplingSettings, networkCalls: Int,
                       output: String, seconds: Double, tiles: Int = 8) -> RunReport {
        let count = results.reduce(0) { $0 + $1.layout.graphCount }
        var report = RunReport(
            title: "rgdm samples: \(URL(fileURLWithPath: output).lastPathComponent)",
            summary: "\(count) shapes sampled in \(Int(seconds.rounded())) s from \(model.source) (\(model.trainedSteps) training steps; \(sampling.summary); \(networkCalls) network calls per shape).")
        var shown = 0
        outer: for result in results {
            for g in 0 ..< result.layout.graphCount {
                guard shown < tiles else { break outer }
                let nodes = result.layout.nodes(ofGraph: g)
                let cloud = Array(result.positions[(3 * nodes.lowerBound) ..< (3 * nodes.upperBound)])
                report.figures.append(Figure(caption: "shape \(shown + 1)",
                                             svg: SVGPointCloud(positions: cloud, caption: "shape \(shown + 1)").render()))
                shown += 1
            }
        }
        report.json = ["kind": "shape samples", "output": output, "model": model.source,
                       "trained_steps": model.trainedSteps, "sampling": sampling.json(networkCalls: networkCalls),
                       "seconds": seconds, "count": count]
        return report
    }

    /// The molecule for depiction: bonded hydrogens folded into their heavy
    /// atom's implicit count (so Open Babel draws CH₃, not a radical), no title
    /// (the tile's caption names it). Unbonded hydrogens stay as atoms.
    static func heavyAtoms(of molecule: Molecule) -> Molecule {
        var folded = Set<Int>()
        var implicit = [Int](repeating: 0, count: molecule.atoms.count)
        for bond in molecule.bonds {
            for (h, heavy) in [(bond.first, bond.second), (bond.second, bond.first)]
            where molecule.atoms[h].element.atomicNumber == 1 && molecule.atoms[heavy].element.atomicNumber != 1
                && !folded.contains(h) {
                folded.insert(h)
                implicit[heavy] += 1
            }
        }
        var index: [Int: Int] = [:]
        var result = molecule
        result.title = ""
        result.atoms = []
        for (i, atom) in molecule.atoms.enumerated() where !folded.contains(i) {
            index[i] = result.atoms.count
            var kept = atom
            kept.implicitHydrogens += implicit[i]
            result.atoms.append(kept)
        }
        result.bonds = molecule.bonds.compactMap { bond in
            guard let a = index[bond.first], let b = index[bond.second] else { return nil }
            return Molecule.Bond(a, b, order: bond.order, isAromatic: bond.isAromatic)
        }
        return result
    }
}
