import Chem

extension RewardSpecification {
    /// The reward this specification describes. Throws `PipelineError.invalidReward`
    /// naming what is missing: `command` without `--reward-command`, a program that cannot
    /// be found (the reward command, xtb).
    public func makeReward(_ settings: RewardSettings = RewardSettings()) throws -> any MoleculeReward {
        let pool = settings.workerExecutable.flatMap { executable in
            settings.parallelism > 1 ? RewardWorkerPool(executable: executable, workers: settings.parallelism,
                                                        timeout: settings.workerTimeout) : nil
        }
        let xtbTerms = terms.filter { $0.xtbProperty != nil }
        let xtb = try xtbTerms.first.map { first in
            try XTBCalculator(executable: settings.xtbExecutable, timeout: settings.xtbTimeout, runs: settings.parallelism,
                              gradient: xtbTerms.contains(.xtbGradient), term: first.rawValue)
        }
        return try build(settings, pool: pool, xtb: xtb)
    }

    /// The reward, its Open Babel terms on `pool` when there is one, its xTB terms sharing `xtb`'s runs.
    private func build(_ settings: RewardSettings, pool: RewardWorkerPool?, xtb: XTBCalculator?) throws -> any MoleculeReward {
        switch self {
        case let .shape(term):
            throw PipelineError.invalidReward(specification: description, reason: "\(term) scores shapes, not molecules")
        case let .term(term):
            let reward = try term.makeReward(settings, xtb: xtb)
            guard term.usesOpenBabel, let pool else { return reward }
            return WorkerReward(reward, term: term, pool: pool, minimumBatch: settings.minimumWorkerBatch)
        case let .target(property, value):
            return TargetReward(try property.build(settings, pool: pool, xtb: xtb), target: value)
        case let .window(property, lower, upper):
            return WindowReward(try property.build(settings, pool: pool, xtb: xtb), lower: lower, upper: upper)
        case let .sum(terms):
            return WeightedSumReward(try terms.map { .init($0.weight, try $0.reward.build(settings, pool: pool, xtb: xtb)) })
        }
    }
}

extension RewardTerm {
    /// This term's reward, scored in this process; xTB terms run on `xtb` (or a calculator of their own).
    func makeReward(_ settings: RewardSettings, xtb: XTBCalculator? = nil) throws -> any MoleculeReward {
        if let property = xtbProperty {
            let calculator = try xtb ?? XTBCalculator(executable: settings.xtbExecutable, timeout: settings.xtbTimeout,
                                                      runs: settings.parallelism, gradient: property == .gradient, term: rawValue)
            return XTBReward(property: property, calculator: calculator)
        }
        switch self {
        case .qed: return GraphPropertyReward(.qed)
        case .logp: return GraphPropertyReward(.logP)
        case .tpsa: return GraphPropertyReward(.tpsa)
        case .mw: return GraphPropertyReward(.molecularWeight)
        case .validity: return EDMCriterionReward(.validity)
        case .atomStability: return EDMCriterionReward(.atomStability)
        case .moleculeStability: return EDMCriterionReward(.moleculeStability)
        case .mmff94: return MMFF94Reward()
        case .command:
            guard let command = settings.command else {
                throw PipelineError.invalidReward(specification: rawValue, reason: "the command term needs --reward-command PROG")
            }
            return try CommandReward(program: command, arguments: settings.commandArguments, timeout: settings.commandTimeout)
        case .xtbGap, .xtbDipole, .xtbPolarizability, .xtbEnergy, .xtbGradient:
            preconditionFailure("xTB terms are built above")
        }
    }

    /// The xTB property of an `xtb-*` term.
    var xtbProperty: XTBProperty? {
        switch self {
        case .xtbGap: .gap
        case .xtbDipole: .dipole
        case .xtbPolarizability: .polarizability
        case .xtbEnergy: .energy
        case .xtbGradient: .gradient
        default: nil
        }
    }
}

extension RewardSpecification {
    /// Checks that a model generating only `atomicNumbers` can earn this reward: MMFF94 and
    /// xTB score whole geometries, hydrogens included, so a model without hydrogen in its
    /// vocabulary would fail every molecule. Throws `PipelineError.invalidReward` naming the terms.
    public func check(atomicNumbers: [Int]) throws {
        let needsHydrogens = terms.filter { $0 == .mmff94 || $0.xtbProperty != nil }
        guard !needsHydrogens.isEmpty, !atomicNumbers.contains(1) else { return }
        throw PipelineError.invalidReward(
            specification: description,
            reason: "\(needsHydrogens.map(\.rawValue).joined(separator: ", ")) score(s) geometries with their hydrogens, "
                + "but the model generates no hydrogen (its atoms: \(atomicNumbers.map(String.init).joined(separator: ", ")))")
    }
}
