import Chem
import Foundation

/// A GFN2-xTB property of the generated geometry, through Debian's `xtb` 6.5: one single
/// point per molecule (neutral; one unpaired electron when the electron count is odd) in
/// its own scratch directory, removed afterwards; `runs` molecules at a time, each xtb on
/// one thread (OMP_NUM_THREADS=1), each within `timeout` seconds. A QM9 molecule takes a
/// few hundredths of a second. Molecules EDM's sanitisation rejects are not run; a
/// geometry xtb refuses (atoms on top of each other) is that molecule's failure.
/// Geometry-dependent: never cached.
public struct XTBReward: MoleculeReward {
    public let property: XTBProperty
    let program: ExternalProgram
    public let timeout: Double
    public let runs: Int

    /// Throws `PipelineError.invalidReward` when `executable` cannot be found.
    public init(property: XTBProperty, executable: String = "xtb", timeout: Double = 60, runs: Int = 2) throws {
        do {
            program = try ExternalProgram(executable)
        } catch {
            throw PipelineError.invalidReward(specification: property.termName,
                                              reason: "\(error) (install Debian's xtb: bash scripts/setup.sh)")
        }
        self.property = property
        self.timeout = timeout
        self.runs = max(1, runs)
    }

    public var name: String { property.termName }
    public var dependsOnGraphOnly: Bool { false }

    public func score(_ molecules: [Molecule]) -> [RewardOutcome] {
        let outcomes = OutcomeSlots(count: molecules.count)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = runs
        for (i, molecule) in molecules.enumerated() {
            queue.addOperation { outcomes[i] = self.outcome(molecule) }
        }
        queue.waitUntilAllOperationsAreFinished()
        return outcomes.values
    }

    /// One molecule's outcome: invalid molecules fail without a run.
    func outcome(_ molecule: Molecule) -> RewardOutcome {
        if case let .failure(failure) = ValidMolecule.fragment(of: molecule) { return .failure(failure) }
        return singlePoint(molecule)
    }

    /// xtb's single point on the geometry of `molecule`, whatever it is.
    func singlePoint(_ molecule: Molecule) -> RewardOutcome {
        do {
            return try ScratchDirectory.with(prefix: "rgdm-xtb") { directory in
                try Self.xyz(molecule).write(toFile: directory + "/molecule.xyz", atomically: false, encoding: .utf8)
                let electrons = molecule.atoms.reduce(0) { $0 + $1.element.atomicNumber }
                let arguments = ["molecule.xyz"] + property.arguments + ["--chrg", "0", "--uhf", electrons % 2 == 0 ? "0" : "1"]
                let output = directory + "/xtb.out"
                let ending = try program.run(arguments, directory: directory,
                                             environment: ["OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"],
                                             output: output, error: directory + "/xtb.err", timeout: timeout)
                let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                return interpret(ending, output: text)
            }
        } catch let failure as RewardFailure {
            return .failure(failure)
        } catch {
            return .failure(.failed("xtb: \(error)"))
        }
    }

    /// The outcome of a run that ended with `ending` and printed `output`.
    func interpret(_ ending: ExternalProgram.Ending, output: String) -> RewardOutcome {
        switch ending {
        case .timedOut:
            return .failure(.timedOut(program: "xtb", seconds: timeout))
        case let .signalled(signal):
            return .failure(.crashed(program: "xtb", reason: "killed by signal \(signal)"))
        case let .exited(status) where status != 0:
            return .failure(.crashed(program: "xtb", reason: XTBProperty.errorReason(in: output) ?? "exit status \(status)"))
        case .exited:
            guard let value = property.value(in: output) else {
                return .failure(.unreadableAnswer(program: "xtb", answer: "no \(property.rawValue) in its output"))
            }
            return value.isFinite ? .success(value) : .failure(.notFinite(value))
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
