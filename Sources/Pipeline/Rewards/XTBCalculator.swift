import Chem
import Foundation

/// Runs GFN2-xTB through Debian's `xtb` 6.5: one single point per molecule (neutral; one
/// unpaired electron when the electron count is odd) in its own scratch directory, removed
/// afterwards; `runs` molecules at a time, each xtb on one thread (OMP_NUM_THREADS=1),
/// each within `timeout` seconds. A QM9 molecule takes a few hundredths of a second.
///
/// One run gives every `XTBProperty`, so the xTB terms of one reward share a calculator:
/// it keeps the results of the last batch, and a second term scoring the same molecules
/// (a weighted sum of the gap and the dipole) reads them instead of running xtb again.
final class XTBCalculator: @unchecked Sendable {
    typealias Outcome = Result<XTBResult, RewardFailure>

    let program: ExternalProgram
    let timeout: Double
    let runs: Int
    /// Whether runs compute the gradient (`--grad`, for `XTBProperty.gradient`) or not (`--sp`).
    let gradient: Bool
    private var lastBatch: [String: Outcome] = [:]
    private let lock = NSLock()

    /// Throws `PipelineError.invalidReward` naming `term` when `executable` cannot be found.
    init(executable: String = "xtb", timeout: Double = 60, runs: Int = 2, gradient: Bool = true, term: String = "xtb") throws {
        do {
            program = try ExternalProgram(executable)
        } catch {
            throw PipelineError.invalidReward(specification: term, reason: "\(error) (install Debian's xtb: bash scripts/setup.sh)")
        }
        self.timeout = timeout
        self.runs = max(1, runs)
        self.gradient = gradient
    }

    /// Every molecule's results, in order: from the last batch where it was run, else run now.
    func results(_ molecules: [Molecule]) -> [Outcome] {
        let keys = molecules.map(XTBCalculator.xyz)
        let known = lock.withLock { lastBatch }
        let computed = concurrentMap(count: molecules.count, threads: runs) { [self] i in
            known[keys[i]] ?? singlePoint(molecules[i], xyz: keys[i])
        }
        lock.withLock { lastBatch = Dictionary(zip(keys, computed), uniquingKeysWith: { first, _ in first }) }
        return computed
    }

    /// xtb's single point on `xyz`, whatever the geometry (one with a non-finite coordinate is
    /// not run: it is an invalid molecule, as for every reward).
    func singlePoint(_ molecule: Molecule, xyz: String) -> Outcome {
        guard ValidMolecule.hasFiniteCoordinates(molecule) else { return .failure(ValidMolecule.nonFinite) }
        do {
            return try ScratchDirectory.with(prefix: "rgdm-xtb") { directory in
                try xyz.write(toFile: directory + "/molecule.xyz", atomically: false, encoding: .utf8)
                let electrons = molecule.atoms.reduce(0) { $0 + $1.element.atomicNumber }
                let arguments = ["molecule.xyz", gradient ? "--grad" : "--sp", "--chrg", "0", "--uhf", electrons % 2 == 0 ? "0" : "1"]
                let output = directory + "/xtb.out"
                let ending = try program.run(arguments, directory: directory,
                                             environment: ["OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"],
                                             output: output, error: directory + "/xtb.err", timeout: timeout)
                return interpret(ending, output: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
            }
        } catch let failure as RewardFailure {
            return .failure(failure)
        } catch {
            return .failure(.failed("xtb: \(error)"))
        }
    }

    /// The results of a run that ended with `ending` and printed `output`.
    func interpret(_ ending: ExternalProgram.Ending, output: String) -> Outcome {
        switch ending {
        case .timedOut:
            return .failure(.timedOut(program: "xtb", seconds: timeout))
        case let .signalled(signal):
            return .failure(.crashed(program: "xtb", reason: "killed by signal \(signal)"))
        case let .exceededMemory(bytes):
            return .failure(.crashed(program: "xtb", reason: "used more than \(bytes >> 20) MiB of memory"))
        case let .exited(status) where status != 0:
            return .failure(.crashed(program: "xtb", reason: XTBProperty.errorReason(in: output) ?? "exit status \(status)"))
        case .exited:
            return .success(XTBResult(output: output))
        }
    }

    /// The geometry in XYZ format (Å), as xtb reads it.
    static func xyz(_ molecule: Molecule) -> String {
        var text = "\(molecule.atoms.count)\n\n"
        for atom in molecule.atoms {
            let p = atom.position
            text += "\(atom.element.symbol) \(p.x) \(p.y) \(p.z)\n"
        }
        return text
    }
}

/// The properties one xtb run printed.
struct XTBResult: Sendable, Equatable {
    var values: [XTBProperty: Double]

    init(output: String) {
        values = [:]
        for property in XTBProperty.allCases { values[property] = property.value(in: output) }
    }

    /// `property`'s value, or why there is none.
    func outcome(_ property: XTBProperty) -> RewardOutcome {
        guard let value = values[property] else {
            return .failure(.unreadableAnswer(program: "xtb", answer: "no \(property.rawValue) in its output"))
        }
        return value.isFinite ? .success(value) : .failure(.notFinite(value))
    }
}
