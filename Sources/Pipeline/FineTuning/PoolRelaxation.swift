import Chem
import Diffusion
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

        init(relaxed: [(molecule: Molecule, displacement: Double?)]) {
            self.molecules = relaxed.map(\.molecule)
            displacements = relaxed.compactMap(\.displacement)
            failures = relaxed.count - displacements.count
        }

        /// The round summary's entries.
        var summary: [String: Double] {
            let mean = displacements.isEmpty ? Double.nan : displacements.reduce(0, +) / Double(displacements.count)
            return ["relaxed_rmsd": mean, "relax_failures": Double(failures)]
        }
    }

    /// `molecules` relaxed, each centred where it was (the centroid of its atoms kept), so the
    /// batch the model trains on is centred as its samples are. Over several ranks each relaxes a
    /// contiguous share and every rank gets all of them, bit for bit one process's result.
    func relax(_ molecules: [Molecule], over communicator: any Communicator = SingleProcess()) throws -> Outcome {
        guard communicator.size > 1 else { return Outcome(relaxed: molecules.map(relax)) }
        // Per molecule of this rank's share: its RMS displacement (NaN: kept as generated), then
        // its relaxed coordinates (x, y, z per atom; none when kept).
        var message = RankMessage()
        for molecule in molecules[communicator.part(of: molecules.count)] {
            let relaxed = relax(molecule)
            message.append((relaxed.displacement ?? .nan).bitPattern)
            message.append(relaxed.displacement == nil ? [] : relaxed.molecule.atoms.flatMap { [$0.position.x, $0.position.y, $0.position.z] })
        }
        var received = RankMessage(bytes: try communicator.allGather(message.bytes).flatMap { $0 })
        let relaxed = molecules.map { molecule -> (molecule: Molecule, displacement: Double?) in
            let displacement = Double(bitPattern: received.readUInt64()), coordinates = received.readDoubles()
            guard !displacement.isNaN else { return (molecule, nil) }
            var result = molecule
            for i in result.atoms.indices {
                result.atoms[i].position = SIMD3(coordinates[3 * i], coordinates[3 * i + 1], coordinates[3 * i + 2])
            }
            return (result, displacement)
        }
        return Outcome(relaxed: relaxed)
    }

    /// One molecule relaxed and recentred, with its RMS displacement; the molecule as it was and
    /// nil when the force field cannot take it.
    private func relax(_ molecule: Molecule) -> (molecule: Molecule, displacement: Double?) {
        var options = MinimizationOptions(forceField: .mmff94, maxSteps: steps, requireConvergence: false,
                                          rotorSearch: false, newtonLineSearch: true)
        options.attempts = 1
        guard let moved = try? molecule.minimized(options).molecule, moved.atoms.count == molecule.atoms.count,
              zip(moved.atoms, molecule.atoms).allSatisfy({ $0.element == $1.element }) else {
            return (molecule, nil)
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
        return (result, (squared / Double(max(molecule.atoms.count, 1))).squareRoot())
    }

    private static func centroid(_ molecule: Molecule) -> SIMD3<Double> {
        molecule.atoms.reduce(SIMD3<Double>()) { $0 + $1.position } / Double(max(molecule.atoms.count, 1))
    }
}
