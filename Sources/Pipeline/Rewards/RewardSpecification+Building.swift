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
        return try build(settings, pool: pool)
    }

    private func build(_ settings: RewardSettings, pool: RewardWorkerPool?) throws -> any MoleculeReward {
        switch self {
        case let .term(term):
            let reward = try term.makeReward(settings)
            guard term.usesOpenBabel, let pool else { return reward }
            return WorkerReward(reward, term: term, pool: pool, minimumBatch: settings.minimumWorkerBatch)
        case let .target(property, value):
            return TargetReward(try property.build(settings, pool: pool), target: value)
        case let .window(property, lower, upper):
            return WindowReward(try property.build(settings, pool: pool), lower: lower, upper: upper)
        case let .sum(terms):
            return WeightedSumReward(try terms.map { .init($0.weight, try $0.reward.build(settings, pool: pool)) })
        }
    }
}

extension RewardTerm {
    /// This term's reward, scored in this process.
    func makeReward(_ settings: RewardSettings) throws -> any MoleculeReward {
        switch self {
        case .qed: return GraphPropertyReward(.qed)
        case .logp: return GraphPropertyReward(.logP)
        case .tpsa: return GraphPropertyReward(.tpsa)
        case .mw: return GraphPropertyReward(.molecularWeight)
        case .validity: return EDMCriterionReward(.validity)
        case .atomStability: return EDMCriterionReward(.atomStability)
        case .moleculeStability: return EDMCriterionReward(.moleculeStability)
        case .mmff94: return MMFF94Reward()
        case .xtbGap: return try xtb(.gap, settings)
        case .xtbDipole: return try xtb(.dipole, settings)
        case .xtbPolarizability: return try xtb(.polarizability, settings)
        case .xtbEnergy: return try xtb(.energy, settings)
        case .xtbGradient: return try xtb(.gradient, settings)
        case .command:
            guard let command = settings.command else {
                throw PipelineError.invalidReward(specification: rawValue, reason: "the command term needs --reward-command PROG")
            }
            return try CommandReward(program: command, arguments: settings.commandArguments, timeout: settings.commandTimeout)
        }
    }

    private func xtb(_ property: XTBProperty, _ settings: RewardSettings) throws -> XTBReward {
        try XTBReward(property: property, executable: settings.xtbExecutable, timeout: settings.xtbTimeout,
                      runs: settings.parallelism)
    }
}

extension RewardSpecification {
    /// Checks that a model generating only `atomicNumbers` can earn this reward: MMFF94 and
    /// xTB score whole geometries, hydrogens included, so a model without hydrogen in its
    /// vocabulary would fail every molecule. Throws `PipelineError.invalidReward` naming the terms.
    public func check(atomicNumbers: [Int]) throws {
        let needsHydrogens = terms.filter { $0 == .mmff94 || $0.rawValue.hasPrefix("xtb-") }
        guard !needsHydrogens.isEmpty, !atomicNumbers.contains(1) else { return }
        throw PipelineError.invalidReward(
            specification: description,
            reason: "\(needsHydrogens.map(\.rawValue).joined(separator: ", ")) score(s) geometries with their hydrogens, "
                + "but the model generates no hydrogen (its atoms: \(atomicNumbers.map(String.init).joined(separator: ", ")))")
    }
}
