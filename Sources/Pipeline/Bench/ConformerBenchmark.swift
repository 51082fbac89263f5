import Chem
import Foundation

/// SMILES → 3D throughput and quality for `rgdm bench conformers`: rgdm's
/// OBBuilder + MMFF94 path over worker processes, beside `obabel --gen3d`
/// on the same SMILES, comparing MMFF94 energies molecule by molecule.
struct ConformerBenchmark {
    struct Configuration {
        /// The SMILES file, read again by each worker process.
        var smilesFile: String
        /// The first `limit` SMILES of the file.
        var limit: Int
        /// MMFF94 conjugate-gradient step budget.
        var maxSteps: Int
        var seed: UInt64
        /// Worker processes building 3D, one shard each.
        var workers: Int
        /// Seconds obabel may spend on one molecule before it counts as failed; nil: obabel is not run.
        var obabelTimeout: Double?
    }

    let configuration: Configuration

    /// rgdm's minimisation settings: MMFF94 within the step budget, unconverged structures kept.
    var minimization: MinimizationOptions {
        MinimizationOptions(forceField: .mmff94, maxSteps: configuration.maxSteps, energyThreshold: 1e-4, requireConvergence: false)
    }

    /// Builds 3D for `smiles` (the configuration's file, already read) over the worker processes
    /// (each runs `rgdm bench conformers … --worker-output`, which calls `run(smiles:shard:…)`),
    /// then runs obabel on the same SMILES, and compares. `progress` counts the structures rgdm
    /// has built and finishes when they are all built, before obabel runs.
    func run(smiles: [String], progress: (JobProgress) -> Void = { _ in }) throws -> Report {
        let c = configuration
        let directory = NSTemporaryDirectory() + "rgdm-bench-conformers-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let start = Date()
        let arguments = ["bench", "conformers", c.smilesFile, "--limit", String(c.limit), "--max-steps", String(c.maxSteps),
                         "--seed", String(c.seed), "--threads", "1"]
        let outputs = try ShardWorkers.run(arguments: arguments, count: c.workers, directory: directory) { progress(.done($0)) }
        let seconds = Date().timeIntervalSince(start)
        progress(.finished(rejected: nil))
        var outcomes: [Outcome] = []
        for output in outputs {
            outcomes += try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").compactMap(Outcome.init(line:))
        }
        let obabel = try c.obabelTimeout.map { try Self.obabel(smiles: smiles, directory: directory, timeout: $0) }
        return Report(smiles: smiles, outcomes: outcomes, seconds: seconds, configuration: c, obabel: obabel)
    }
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
    static func run(smiles: [String], shard: Shard, options: MinimizationOptions, seed: UInt64 = 0, emit: (String) -> Void) {
        for (index, text) in smiles.enumerated() where shard.contains(record: index) {
            let start = DispatchTime.now().uptimeNanoseconds
            var outcome = Outcome(index: index, ok: false, energy: .nan, converged: false, steps: 0, forceField: .mmff94,
                                  milliseconds: 0, error: "")
            do {
                let molecule = try Molecule(string: text, format: .smiles)
                var generator = MoleculePreparation.generator(seed: seed, record: index)
                let (_, report) = try molecule.generating3D(options, using: &generator)
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

    /// What `obabel --gen3d` did on the benchmark's SMILES.
    struct ObabelOutcome {
        var seconds: Double
        /// MMFF94 energy of each structure obabel wrote, by input index.
        var energies: [Int: Double]
        var timeouts: Int
    }

    /// Runs `obabel -ismi --gen3d -osdf` (default speed, one OpenMP thread)
    /// on each SMILES in turn, at most `timeout` seconds each (some molecules
    /// send obabel's conformer search into a very long run; those count as
    /// failures at the full timeout), and scores what it wrote with MMFF94.
    static func obabel(smiles: [String], directory: String, timeout: Double) throws -> ObabelOutcome {
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_NUM_THREADS"] = "1"
        var outcome = ObabelOutcome(seconds: 0, energies: [:], timeouts: 0)
        for (index, text) in smiles.enumerated() {
            let input = "\(directory)/obabel-\(index).smi", output = "\(directory)/obabel-\(index).sdf"
            try "\(text) m\(index)\n".write(toFile: input, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["obabel", input, "-osdf", "-O", output, "--gen3d"]
            process.environment = environment
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            let start = Date()
            do {
                try process.run()
            } catch {
                throw PipelineError.invalidRun(path: "obabel", reason: "cannot run obabel: \(error)")
            }
            while process.isRunning {
                if Date().timeIntervalSince(start) > timeout {
                    process.terminate()
                    outcome.timeouts += 1
                    break
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            process.waitUntilExit()
            outcome.seconds += Date().timeIntervalSince(start)
            guard let reader = try? MoleculeReader(contentsOf: output),
                  let molecule = try? reader.next()?.get(),
                  molecule.atoms.contains(where: { $0.position != .zero }),
                  let energy = try? molecule.energy(.mmff94) else { continue }
            outcome.energies[index] = energy
        }
        return outcome
    }
}
