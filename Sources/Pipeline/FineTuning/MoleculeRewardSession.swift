import Chem
import Diffusion
import Foundation

/// The molecule side of a fine-tuning run: decodes sampled graphs (`MoleculeCodec`), scores them
/// with the run's `RewardScorer` (cache, evaluation count, floor), re-encodes them into training
/// batches, keeps the best candidates seen, and summarises each round's pool (reward, validity,
/// uniqueness, novelty, diversity) for the log and the report.
final class MoleculeRewardSession {
    /// One of the best molecules seen, as the run keeps it across a resume.
    struct Candidate: Codable, Sendable {
        var reward: Double
        var smiles: String?
        var round: Int
        var atomicNumbers: [Int]
        var positions: [Double]
    }

    /// What a resumed run needs of the session.
    struct Saved: Codable, Sendable {
        var ledger: RewardLedger
        var best: [Candidate]
        var rounds: [[String: Double]]
        /// Every distinct valid molecule scored, by SMILES, with its best reward.
        var found: [String: Double]?
    }

    let codec: MoleculeCodec
    var scorer: RewardScorer<Molecule>
    /// The ranks of the job: each computes the reward of its share of what a pool leaves to
    /// compute, and every rank gets every outcome, so all ranks hold the same cache, counts and
    /// best candidates (and the budget counts as one process's).
    let communicator: any Communicator
    let reference: Set<String>?
    let keepBest: Int
    private(set) var best: [Candidate] = []
    /// Each finished round's summary, in order.
    private(set) var rounds: [[String: Double]] = []
    /// Every distinct valid molecule scored so far, by SMILES, with its best reward.
    private(set) var found: [String: Double] = [:]
    /// The budget a round's summary reports as `reward_evaluations` (nil: this session's own
    /// count): rgdm-step's evaluation session reports the training session's, its own pools being free.
    var budget: (() -> Int)?
    /// Relaxes the molecules a pool trains on (`--relax-pool`); nil trains on them as generated.
    var relaxation: PoolRelaxation?
    /// The last pool's relaxation, for its round's summary.
    private var lastRelaxation: PoolRelaxation.Outcome?

    init(codec: MoleculeCodec, scorer: RewardScorer<Molecule>, reference: Set<String>?, keepBest: Int = 100,
         communicator: any Communicator = SingleProcess()) {
        self.codec = codec
        self.scorer = scorer
        self.communicator = communicator
        self.reference = reference
        self.keepBest = keepBest
    }

    var saved: Saved { Saved(ledger: scorer.ledger, best: best, rounds: rounds, found: found) }

    func restore(_ saved: Saved) throws {
        try scorer.restore(saved.ledger)
        best = saved.best
        rounds = saved.rounds
        found = saved.found ?? [:]
    }

    /// Every sample's reward (failures at the floor) from the last `scoreSamples`, for the round's summary.
    private(set) var lastRewards: [Double] = []

    /// Rewards of sampled graphs and the graphs as a training batch (sample-level methods). Samples
    /// the reward failed on (invalid molecules, a program's failure) are left out of the batch, so a
    /// pool never trains on them; their floored rewards stay in `lastRewards`. With `relaxation`
    /// the batch holds the kept molecules relaxed (their rewards those of the generated ones).
    func scoreSamples(_ results: [SampleResult]) throws -> SampleLevelRGDM.Scored {
        let molecules = codec.molecules(from: results)
        let scored = try scorer.score(molecules, evaluatingWith: evaluator)
        lastRewards = scored.rewards
        let kept = scored.outcomes.indices.filter { !scored.outcomes[$0].isFailure }
        guard !kept.isEmpty else {
            throw PipelineError.invalidReward(specification: scorer.reward.name,
                                              reason: "no molecule of a pool of \(molecules.count) could be scored (\(scorer.ledger.failureSummary))")
        }
        var trained = kept.map { molecules[$0] }
        if let relaxation {
            let outcome = try relaxation.relax(trained, over: communicator)
            trained = outcome.molecules
            lastRelaxation = outcome
        }
        return SampleLevelRGDM.Scored(rewards: scored.rewards, kept: kept, batch: try codec.batch(trained))
    }

    /// Rewards of graphs given in data units (the denoised estimates of step-level draws).
    func scoreGraphs(_ graphs: SampleResult) throws -> [Double] {
        try scorer.score(codec.molecules(from: [graphs]), evaluatingWith: evaluator).rewards
    }

    /// The scorer's evaluation of what a batch leaves to compute, over the ranks (a closure that
    /// holds the reward, not the session, which is being mutated while it runs).
    private var evaluator: ([Molecule]) throws -> [RewardOutcome] {
        let reward = scorer.reward, communicator = communicator
        return { try Self.evaluate($0, reward: reward, over: communicator) }
    }

    /// The reward of `molecules`, over the ranks: each rank computes a contiguous share and the
    /// outcomes are gathered in rank order (values as their bits), so every rank gets all of them.
    private static func evaluate(_ molecules: [Molecule], reward: any MoleculeReward,
                                 over communicator: any Communicator) throws -> [RewardOutcome] {
        guard communicator.size > 1 else { return reward.score(molecules) }
        let part = communicator.part(of: molecules.count)
        let mine = part.isEmpty ? [] : reward.score(Array(molecules[part]))
        let encoder = JSONEncoder(), decoder = JSONDecoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let gathered = try communicator.allGather(Array(try encoder.encode(mine.map(SharedOutcome.init))))
        return try gathered.flatMap { try decoder.decode([SharedOutcome].self, from: Data($0)).map(\.outcome) }
    }

    /// A reward outcome as ranks exchange it: a value's bits, or the failure.
    private struct SharedOutcome: Codable {
        var bits: UInt64?
        var failure: RewardFailure?

        init(_ outcome: RewardOutcome) {
            switch outcome {
            case let .success(value): bits = value.bitPattern
            case let .failure(reason): failure = reason
            }
        }

        var outcome: RewardOutcome {
            bits.map { .success(Double(bitPattern: $0)) } ?? .failure(failure ?? .failed("no outcome from another rank"))
        }
    }

    /// Scores a round's pool again from the cache-free summary side: its reward statistics,
    /// EDM's atom and molecule stability, validity, uniqueness, novelty and diversity, with `timing` (`RoundClock.lap()`'s seconds)
    /// beside them; records the round and its best molecules.
    @discardableResult
    func finishRound(_ index: Int, samples: [SampleResult], rewards: [Double], distance: Double,
                     timing: [String: Double] = [:]) -> [String: Double] {
        let molecules = codec.molecules(from: samples)
        let smiles: [String?] = molecules.map { (try? EDMValidity.smiles(of: $0)) ?? nil }
        let valid = smiles.compactMap { $0 }
        let unique = Set(valid)
        let validRewards = rewards.indices.filter { smiles[$0] != nil }.map { rewards[$0] }
        let sorted = rewards.sorted(by: >)
        let top = sorted.prefix(max(1, sorted.count / 10))
        let stability = molecules.map(EDMStability.init(of:))
        var summary: [String: Double] = [
            "round": Double(index), "samples": Double(rewards.count),
            "reward_mean": rewards.reduce(0, +) / Double(max(rewards.count, 1)),
            "reward_top10_mean": top.reduce(0, +) / Double(top.count),
            "reward_max": sorted.first ?? .nan,
            "reward_valid_mean": validRewards.isEmpty ? .nan : validRewards.reduce(0, +) / Double(validRewards.count),
            "validity": Double(valid.count) / Double(max(molecules.count, 1)),
            "uniqueness": valid.isEmpty ? 0 : Double(unique.count) / Double(valid.count),
            "atom_stability": Double(stability.reduce(0) { $0 + $1.stableAtoms }) / Double(max(stability.reduce(0) { $0 + $1.atoms }, 1)),
            "molecule_stability": Double(stability.filter(\.isStable).count) / Double(max(molecules.count, 1)),
            "diversity": Self.diversity(molecules),
            "atoms_mean": Double(molecules.reduce(0) { $0 + $1.atoms.count }) / Double(max(molecules.count, 1)),
            "distance_to_base": distance,
            "reward_evaluations": Double(budget?() ?? scorer.ledger.evaluations),
        ]
        for (k, key) in smiles.enumerated() {
            if let key { found[key] = max(found[key] ?? -.infinity, rewards[k]) }
        }
        // What the budget has found: the best tenth of the evaluations spent, as distinct valid
        // molecules (fewer when fewer were found).
        let tenth = (scorer.ledger.evaluations + 9) / 10
        let foundBest = found.values.sorted(by: >).prefix(tenth)
        if !foundBest.isEmpty { summary["found_top10_mean"] = foundBest.reduce(0, +) / Double(foundBest.count) }
        summary["found_distinct"] = Double(found.count)
        if let reference {
            summary["novelty"] = unique.isEmpty ? 0 : Double(unique.subtracting(reference).count) / Double(unique.count)
        }
        summary.merge(timing) { own, _ in own }
        if let lastRelaxation { summary.merge(lastRelaxation.summary) { own, _ in own } }
        lastRelaxation = nil
        summary = summary.filter { $0.value.isFinite }   // JSON has no NaN: an undefined figure is left out
        rounds.append(summary)
        for (k, molecule) in molecules.enumerated() {
            best.append(Candidate(reward: rewards[k], smiles: smiles[k], round: index,
                                  atomicNumbers: molecule.atoms.map(\.element.atomicNumber),
                                  positions: molecule.atoms.flatMap { [$0.position.x, $0.position.y, $0.position.z] }))
        }
        // The best distinct molecules (by SMILES; invalid ones by their own entry).
        var seen = Set<String>()
        best = best.sorted { $0.reward > $1.reward }.filter { candidate in
            guard let key = candidate.smiles else { return true }
            return seen.insert(key).inserted
        }
        best = Array(best.prefix(keepBest))
        return summary
    }

    /// Diversity of a pool: the share of distinct molecular formulas among its molecules
    /// weighted by how evenly they spread (the normalised entropy of the formula histogram).
    static func diversity(_ molecules: [Molecule]) -> Double {
        guard molecules.count > 1 else { return 0 }
        var counts: [String: Int] = [:]
        for molecule in molecules {
            let formula = Dictionary(grouping: molecule.atoms, by: \.element.atomicNumber)
                .sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.count)" }.joined(separator: ",")
            counts[formula, default: 0] += 1
        }
        let n = Double(molecules.count)
        let entropy = counts.values.reduce(0.0) { sum, c in let p = Double(c) / n; return sum - p * log(p) }
        return entropy / log(n)
    }

    /// The best candidates as molecules with their reward, round and SMILES as SD fields.
    func bestMolecules() -> [Molecule] {
        best.enumerated().map { rank, candidate in
            let atoms = candidate.atomicNumbers.enumerated().map { i, z in
                Molecule.Atom(element: Element(atomicNumber: z) ?? Element(atomicNumber: 6)!,
                              position: SIMD3(candidate.positions[3 * i], candidate.positions[3 * i + 1], candidate.positions[3 * i + 2]))
            }
            var molecule = EDMBonds.assigningBonds(to: Molecule(atoms: atoms, title: "rgdm finetune best \(rank + 1)"))
            molecule.properties = [Molecule.Property(name: "reward", value: String(format: "%.6g", candidate.reward)),
                                   Molecule.Property(name: "round", value: "\(candidate.round)"),
                                   Molecule.Property(name: "smiles", value: candidate.smiles ?? "invalid")]
            return molecule
        }
    }
}
