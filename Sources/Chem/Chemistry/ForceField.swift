import COpenBabel

/// A classical force field Open Babel evaluates.
public enum ForceField: String, CaseIterable, Hashable, Sendable {
    case mmff94
    case uff

    var code: Int32 { self == .mmff94 ? 0 : 1 }
    init(code: Int32) { self = code == 0 ? .mmff94 : .uff }
}

/// What a minimisation did.
public struct MinimizationReport: Hashable, Sendable {
    /// The force field used: MMFF94 falls back to UFF where it has no parameters.
    public var forceField: ForceField
    public var steps: Int
    public var converged: Bool
    /// kcal/mol
    public var energy: Double
}

/// Settings for 3D generation and minimisation.
public struct MinimizationOptions: Hashable, Sendable {
    public var forceField: ForceField = .mmff94
    /// Conjugate-gradient step budget.
    public var maxSteps: Int = 300
    /// Converged when the energy changes by less than this (kcal/mol) in one step.
    public var energyThreshold: Double = 1e-4
    /// Throw `ChemError.notConverged` when the budget runs out.
    public var requireConvergence: Bool = true
    /// After a quarter of the budget, try rotamers one rotor at a time
    /// (Open Babel's FastRotorSearch, as `obabel --gen3d` does), then go on.
    public var rotorSearch: Bool = true
    /// Newton line search (fewer energy evaluations a step) instead of Open Babel's simple one.
    public var newtonLineSearch: Bool = true
    /// 3D generation: a build whose minimised energy without the electrostatic term stays above
    /// `retryEnergyPerAtom` kcal/mol per atom (strained) is built again from another atom order,
    /// up to `attempts` builds; the lowest is kept.
    public var attempts: Int = 3
    public var retryEnergyPerAtom: Double = 3

    public init(forceField: ForceField = .mmff94, maxSteps: Int = 300, energyThreshold: Double = 1e-4,
                requireConvergence: Bool = true, rotorSearch: Bool = true, newtonLineSearch: Bool = true) {
        self.forceField = forceField
        self.maxSteps = maxSteps
        self.energyThreshold = energyThreshold
        self.requireConvergence = requireConvergence
        self.rotorSearch = rotorSearch
        self.newtonLineSearch = newtonLineSearch
    }

    func shim(seed: UInt32 = 0) -> rgdm_ob_minimization_options {
        rgdm_ob_minimization_options(force_field: forceField.code, max_steps: Int32(maxSteps), energy_threshold: energyThreshold,
                                     rotor_search: rotorSearch ? 1 : 0, newton_line_search: newtonLineSearch ? 1 : 0,
                                     attempts: Int32(attempts), retry_energy_per_atom: retryEnergyPerAtom, seed: seed)
    }
}

extension Molecule {
    /// Force-field energy of the current coordinates, kcal/mol.
    public func energy(_ forceField: ForceField = .mmff94) throws -> Double {
        try OpenBabelLock.run {
            let handle = try OBMoleculeHandle(self)
            var energy = 0.0
            guard rgdm_ob_energy(handle.pointer, forceField.code, &energy) == 0 else {
                throw ChemError.chemistry(OpenBabelLock.lastError)
            }
            return energy
        }
    }

    /// The molecule minimised by conjugate gradients within the step budget.
    public func minimized(_ options: MinimizationOptions = MinimizationOptions()) throws -> (molecule: Molecule, report: MinimizationReport) {
        var shim = options.shim()
        return try run3D(options) { rgdm_ob_minimize($0, &shim, $1) }
    }

    /// A 3D structure from the connection table (typically read from SMILES):
    /// explicit hydrogens, OBBuilder fragment coordinates, then MMFF94
    /// conjugate-gradient minimisation (UFF where MMFF94 has no parameters).
    /// The structure is the stereoisomer `stereo` asks for: a build that
    /// relaxes into another one is built again; where no build honours it
    /// (ring fusions OBBuilder's templates cannot make), the heavy atoms are
    /// placed by distance geometry instead, and a structure that still is
    /// not that stereoisomer throws `ChemError.chemistry`.
    ///
    /// OBBuilder's random offsets are drawn from a seed taken from
    /// `generator`: the same generator state gives the same coordinates
    /// (Open Babel 3.1.1 on one machine; see the module README for how).
    public func generating3D(_ options: MinimizationOptions = MinimizationOptions(),
                             using generator: inout some RandomNumberGenerator) throws -> (molecule: Molecule, report: MinimizationReport) {
        var shim = options.shim(seed: UInt32.random(in: .min ... .max, using: &generator))
        return try run3D(options) { rgdm_ob_build_3d($0, &shim, $1) }
    }

    /// `generating3D(_:using:)` with the system's random generator.
    public func generating3D(_ options: MinimizationOptions = MinimizationOptions()) throws -> (molecule: Molecule, report: MinimizationReport) {
        var generator = SystemRandomNumberGenerator()
        return try generating3D(options, using: &generator)
    }

    private func run3D(_ options: MinimizationOptions,
                       _ operation: (OpaquePointer, UnsafeMutablePointer<rgdm_ob_minimization>) -> Int32) throws -> (molecule: Molecule, report: MinimizationReport) {
        let (molecule, raw) = try OpenBabelLock.run { () -> (Molecule, rgdm_ob_minimization) in
            let handle = try OBMoleculeHandle(self)
            var raw = rgdm_ob_minimization()
            guard operation(handle.pointer, &raw) == 0 else { throw ChemError.chemistry(OpenBabelLock.lastError) }
            var molecule = handle.molecule().molecule
            molecule.properties = properties
            molecule.dimension = .spatial
            return (molecule, raw)
        }
        let report = MinimizationReport(forceField: ForceField(code: raw.force_field), steps: Int(raw.steps),
                                        converged: raw.converged != 0, energy: raw.energy)
        if options.requireConvergence && !report.converged {
            throw ChemError.notConverged(steps: report.steps, energy: report.energy)
        }
        if !report.energy.isFinite { throw ChemError.chemistry("minimisation gave a non-finite energy") }
        return (molecule, report)
    }
}
