import Chem
import Foundation

/// Relaxes a scored pool's molecules by MMFF94 before the weighted loss trains on them
/// (`rgdm finetune --relax-pool STEPS`).
///
/// Why: sample-level RGDM trains the model on its own samples. Their graphs carry the reward,
/// but their geometries carry the model's own small errors too (a bond a little long, a ring
/// a little bent), and training on them teaches those errors back: over rounds the share of
/// stable molecules falls while the reward rises. Relaxing each kept molecule a few
/// conjugate-gradient steps from where the model put it (its graph, EDM's bonds, as scored;
/// no rotor search, so the conformer stays the model's) removes the errors and keeps the
/// graph. The reward is the one scored on the generated geometry: for rewards of the graph
/// alone (QED, logP, TPSA) the relaxed molecule's reward is the same.
///
/// A molecule the force field has no parameters for, or whose atoms come back in another
/// number, keeps its generated geometry (counted in `failures`).
struct PoolRelaxation: Sendable {
    /// Conjugate-gradient steps per molecule (≥ 1).
    var steps: Int

    /// What one relaxation of a pool did.
    struct Outcome {
        var molecules: [Molecule]
        /// Root-mean-square displacement of the atoms per relaxed molecule (Å), in order.
        var displacements: [Double]
        var failures: Int

        /// The round summary's entries.
        var summary: [String: Double] {
            let mean = displacements.isEmpty ? Double.nan : displacements.reduce(0, +) / Double(displacements.count)
            return ["relaxed_rmsd": mean, "relax_failures": Double(failures)]
        }
    }

    /// `molecules` relaxed, each centred where it was (the centroid of its atoms kept), so the
    /// batch the model trains on is centred as its samples are.
    func relax(_ molecules: [Molecule]) -> Outcome {
        var options = MinimizationOptions(forceField: .mmff94, maxSteps: steps, requireConvergence: false,
                                          rotorSearch: false, newtonLineSearch: true)
        options.attempts = 1
        var relaxed: [Molecule] = [], displacements: [Double] = [], failures = 0
        for molecule in molecules {
            guard let moved = try? molecule.minimized(options).molecule, moved.atoms.count == molecule.atoms.count,
                  zip(moved.atoms, molecule.atoms).allSatisfy({ $0.element == $1.element }) else {
                relaxed.append(molecule)
                failures += 1
                continue
            }
            let shift = Self.centroid(molecule) - Self.centroid(moved)
            var result = molecule
            var squared = 0.0
            for i in result.atoms.indices {
                let position = moved.atoms[i].position + shift
                let d = position - molecule.atoms[i].position
                squared += (d * d).sum()
                result.atoms[i].position = position
            }
            relaxed.append(result)
            displacements.append((squared / Double(max(molecule.atoms.count, 1))).squareRoot())
        }
        return Outcome(molecules: relaxed, displacements: displacements, failures: failures)
    }

    private static func centroid(_ molecule: Molecule) -> SIMD3<Double> {
        molecule.atoms.reduce(SIMD3<Double>()) { $0 + $1.position } / Double(max(molecule.atoms.count, 1))
    }
}
