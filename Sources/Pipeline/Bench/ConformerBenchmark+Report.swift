import Foundation

extension ConformerBenchmark {
    /// The figures of a run: rgdm's throughput, convergence and MMFF94 energies, and beside them
    /// obabel's time, the throughput ratio and the energies on the molecules both minimised.
    struct Report {
        /// The figures by their JSON key ("rgdm_ms_per_molecule", "throughput_ratio_vs_obabel", …);
        /// "worst_rgdm_minus_obabel" lists the five molecules where rgdm's energy is furthest above obabel's.
        var figures: [String: Any]
        var smiles: [String]
        var outcomes: [Outcome]
        /// obabel's MMFF94 energy by SMILES index (empty when obabel was not run).
        var obabelEnergies: [Int: Double]

        init(smiles: [String], outcomes: [Outcome], seconds: Double, configuration c: Configuration, obabel: ObabelOutcome?) {
            self.smiles = smiles
            self.outcomes = outcomes
            let ok = outcomes.filter(\.ok)
            var report: [String: Any] = [
                "molecules": smiles.count, "workers": c.workers, "max_steps": c.maxSteps,
                "rgdm_ok": ok.count, "rgdm_converged": ok.filter(\.converged).count,
                "rgdm_uff_fallback": ok.filter { $0.forceField == .uff }.count,
                "rgdm_seconds": seconds, "rgdm_ms_per_molecule": 1000 * seconds / Double(smiles.count),
                "rgdm_cpu_ms_per_molecule": ok.map(\.milliseconds).reduce(0, +) / Double(max(1, outcomes.count)),
            ]
            obabelEnergies = obabel?.energies ?? [:]
            if let obabel, let timeout = c.obabelTimeout {
                let obEnergies = obabel.energies
                report["obabel_seconds"] = obabel.seconds
                report["obabel_ok"] = obEnergies.count
                report["obabel_timeouts"] = obabel.timeouts
                report["obabel_timeout_seconds"] = timeout
                report["obabel_ms_per_molecule"] = 1000 * obabel.seconds / Double(smiles.count)
                report["throughput_ratio_vs_obabel"] = obabel.seconds / seconds
                // Energies on molecules both minimised with MMFF94.
                let pairs = ok.filter { $0.forceField == .mmff94 }.compactMap { o in obEnergies[o.index].map { (index: o.index, rgdm: o.energy, obabel: $0) } }
                let differences = pairs.map { $0.rgdm - $0.obabel }.sorted()
                let median = { (values: [Double]) in values.isEmpty ? Double.nan : values.sorted()[values.count / 2] }
                report["energy_pairs"] = pairs.count
                report["median_energy_rgdm_minus_obabel"] = median(differences)
                report["mean_energy_rgdm"] = pairs.map(\.rgdm).reduce(0, +) / Double(max(1, pairs.count))
                report["mean_energy_obabel"] = pairs.map(\.obabel).reduce(0, +) / Double(max(1, pairs.count))
                report["median_energy_rgdm"] = median(pairs.map(\.rgdm))
                report["median_energy_obabel"] = median(pairs.map(\.obabel))
                report["rgdm_lower_or_equal_fraction"] = Double(pairs.filter { $0.rgdm <= $0.obabel + 1e-6 }.count) / Double(max(1, pairs.count))
                // Where rgdm is furthest above obabel, for a look at the structures.
                report["worst_rgdm_minus_obabel"] = pairs.sorted { $0.rgdm - $0.obabel > $1.rgdm - $1.obabel }.prefix(5).map {
                    ["index": $0.index, "smiles": smiles[$0.index], "rgdm": $0.rgdm, "obabel": $0.obabel] as [String: Any]
                }
            }
            figures = report
        }

        /// One JSON object, keys sorted.
        func json() throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys]), as: UTF8.self)
        }

        /// A row per figure, then one per worst molecule.
        var lines: [String] {
            var lines: [String] = []
            for key in figures.keys.sorted() where key != "worst_rgdm_minus_obabel" {
                lines.append("\(key.padding(toLength: 34, withPad: " ", startingAt: 0)) \(figures[key]!)")
            }
            for case let worst as [String: Any] in figures["worst_rgdm_minus_obabel"] as? [Any] ?? [] {
                lines.append("worst: #\(worst["index"]!) rgdm \(worst["rgdm"]!) obabel \(worst["obabel"]!) kcal/mol  \(worst["smiles"]!)")
            }
            return lines
        }

        /// Per-molecule results as TSV: index, SMILES, rgdm and obabel MMFF94 energies in kcal/mol,
        /// convergence, steps, time and error.
        var energyTable: String {
            let byIndex = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.index, $0) })
            var table = "index\tsmiles\trgdm_kcal_mol\tobabel_kcal_mol\trgdm_converged\trgdm_steps\trgdm_ms\trgdm_error\n"
            for (index, text) in smiles.enumerated() {
                let ours = byIndex[index]
                let energy = ours.map { $0.ok ? String($0.energy) : "" } ?? ""
                table += "\(index)\t\(text)\t\(energy)\t\(obabelEnergies[index].map { String($0) } ?? "")\t\(ours?.converged == true ? 1 : 0)\t"
                table += "\(ours?.steps ?? 0)\t\(ours.map { String(format: "%.0f", $0.milliseconds) } ?? "")\t\(ours?.error ?? "")\n"
            }
            return table
        }
    }
}
