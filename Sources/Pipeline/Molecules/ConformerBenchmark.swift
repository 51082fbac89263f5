import Chem
import Foundation

/// SMILES → 3D throughput and quality for `rgdm bench conformers`: rgdm's
/// OBBuilder + MMFF94 path over worker processes, beside `obabel --gen3d`
/// on the same SMILES, comparing MMFF94 energies molecule by molecule.
enum ConformerBenchmark {
    /// One molecule's outcome: "C\tindex\tok\tenergy\tconverged\tsteps\tforceField\tms\terror".
    struct Outcome {
        var index: Int
        var ok: Bool
        var energy: Double
        var converged: Bool
        var steps: Int
        var forceField: ForceField
        var milliseconds: Double
        var error: String

        var line: String {
            ["C", String(index), ok ? "1" : "0", String(energy), converged ? "1" : "0", String(steps),
             forceField.rawValue, String(milliseconds), error.replacingOccurrences(of: "\t", with: " ")].joined(separator: "\t")
        }

        init(index: Int, ok: Bool, energy: Double, converged: Bool, steps: Int, forceField: ForceField, milliseconds: Double, error: String) {
            self.index = index
            self.ok = ok
            self.energy = energy
            self.converged = converged
            self.steps = steps
            self.forceField = forceField
            self.milliseconds = milliseconds
            self.error = error
        }

        init?(line: Substring) {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 9, f[0] == "C", let index = Int(f[1]), let energy = Double(f[3]), let steps = Int(f[5]),
                  let ff = ForceField(rawValue: String(f[6])), let ms = Double(f[7]) else { return nil }
            self.init(index: index, ok: f[2] == "1", energy: energy, converged: f[4] == "1", steps: steps,
                      forceField: ff, milliseconds: ms, error: String(f[8]))
        }
    }

    /// The first `limit` SMILES of a file (first whitespace-separated field of each non-empty line).
    static func loadSMILES(_ path: String, limit: Int) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
        }.filter { $0 != "SMILES" && $0 != "smiles" }.prefix(limit).map { $0 }
    }

    /// Builds 3D for the SMILES of `shard`, emitting one outcome line each.
    static func run(smiles: [String], shard: Shard, options: MinimizationOptions, emit: (String) -> Void) {
        for (index, text) in smiles.enumerated() where shard.contains(record: index) {
            let start = DispatchTime.now().uptimeNanoseconds
            var outcome = Outcome(index: index, ok: false, energy: .nan, converged: false, steps: 0, forceField: .mmff94,
                                  milliseconds: 0, error: "")
            do {
                let molecule = try Molecule(string: text, format: .smiles)
                let (_, report) = try molecule.generating3D(options)
                outcome.ok = true
                outcome.energy = report.energy
                outcome.converged = report.converged
                outcome.steps = report.steps
                outcome.forceField = report.forceField
            } catch {
                outcome.error = "\(error)"
            }
            outcome.milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            emit(outcome.line)
        }
    }

    /// Runs `obabel -ismi --gen3d -osdf` (default speed, one OpenMP thread) on
    /// the SMILES and returns the wall time and each structure's MMFF94
    /// energy by input index (nil where obabel wrote nothing usable).
    static func obabel(smiles: [String], directory: String) throws -> (seconds: Double, energies: [Int: Double]) {
        let input = directory + "/obabel-in.smi"
        let output = directory + "/obabel-out.sdf"
        try smiles.enumerated().map { "\($1) m\($0)" }.joined(separator: "\n").appending("\n")
            .write(toFile: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["obabel", input, "-osdf", "-O", output, "--gen3d"]
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_NUM_THREADS"] = "1"
        process.environment = environment
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        guard process.terminationStatus == 0 else { throw PipelineFailure("obabel exited with status \(process.terminationStatus)") }
        var energies: [Int: Double] = [:]
        for result in try MoleculeReader(contentsOf: output) {
            guard let molecule = try? result.get(), molecule.title.hasPrefix("m"), let index = Int(molecule.title.dropFirst()),
                  molecule.atoms.contains(where: { $0.position != .zero }),
                  let energy = try? molecule.energy(.mmff94) else { continue }
            energies[index] = energy
        }
        return (seconds, energies)
    }
}
