import Chem
import Foundation

/// Scores the molecules of files with a reward (`rgdm score`): batch by batch through one
/// scoring session, optionally writing every molecule with its reward as an SD field.
struct MoleculeScoring {
    /// What a file's scoring came to.
    struct Summary {
        var ledger: RewardLedger
        /// Records that could not be read (not scored).
        var unreadable: Int
        /// Successful rewards, in file order.
        var rewards: [Double]
        var best: (reward: Double, title: String)?

        var mean: Double? { rewards.isEmpty ? nil : rewards.reduce(0, +) / Double(rewards.count) }

        /// The mean of the best tenth (at least one) of the successful rewards.
        var topTenthMean: Double? {
            guard !rewards.isEmpty else { return nil }
            let count = max(1, Int((Double(rewards.count) / 10).rounded(.up)))
            let top = rewards.sorted(by: >).prefix(count)
            return top.reduce(0, +) / Double(top.count)
        }
    }

    /// The SD fields written for each molecule.
    static let rewardField = "reward"
    static let failureField = "reward_failure"
    /// The reward a fine-tuning run would use: the reward, or the floor for a failure (so every
    /// molecule has a finite label, e.g. for a surrogate reward model).
    static let flooredField = "reward_floored"

    var files: [String]
    var format: MoleculeFormat?
    var batchSize = 1000

    /// Scores every readable record; `reject` hears why a record could not be read, `progress` the molecules scored.
    func run(_ scorer: inout RewardScorer<Molecule>, output: String?, reject: (String) -> Void = { _ in },
             progress: (Int) -> Void = { _ in }) throws -> Summary {
        let writer = try output.map { try MoleculeWriter(path: $0, format: .sdf) }
        var summary = Summary(ledger: scorer.ledger, unreadable: 0, rewards: [])
        var batch: [Molecule] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            let scored = scorer.score(batch)
            for ((molecule, outcome), used) in zip(zip(batch, scored.outcomes), scored.rewards) {
                var annotated = molecule
                switch outcome {
                case let .success(value):
                    summary.rewards.append(value)
                    if summary.best.map({ value > $0.reward }) ?? true { summary.best = (value, molecule.title) }
                    annotated.properties.append(Molecule.Property(name: Self.rewardField, value: String(value)))
                case let .failure(failure):
                    annotated.properties.append(Molecule.Property(name: Self.failureField, value: failure.description))
                }
                annotated.properties.append(Molecule.Property(name: Self.flooredField, value: String(used)))
                try writer?.write(annotated)
            }
            progress(scorer.ledger.evaluations)
            batch.removeAll(keepingCapacity: true)
        }
        for record in try MoleculeInput.records(files, format: format) {
            switch record {
            case let .success(molecule):
                batch.append(molecule)
                if batch.count >= batchSize { try flush() }
            case let .failure(error):
                summary.unreadable += 1
                reject("\(error)")
            }
        }
        try flush()
        try writer?.close()
        summary.ledger = scorer.ledger
        return summary
    }
}
