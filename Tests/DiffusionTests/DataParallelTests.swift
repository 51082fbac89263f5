import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// Data-parallel steps: ranks' parts of a batch, weighted by their share, make the whole
/// batch's loss and gradient, and trainers on several ranks take the steps one trainer takes.
@Suite struct DataParallelTests {
    static let width = 4

    static func model() throws -> EGNNModel {
        try EGNNModel(network: EGNN(EGNNConfiguration(featureWidth: width, layers: 2, hidden: 16)),
                      process: TrainingTestSupport.polynomialProcess(timesteps: 100, featureWidth: width, divisor: 4))
    }

    @Test(arguments: [1, 2, 3, 5, 8])
    func partsAreContiguousAndCoverTheBatch(ranks: Int) {
        for graphs in 0 ... 9 {
            let parts = (0 ..< ranks).map { LocalRanks(size: ranks).rankView($0).part(of: graphs) }
            #expect(parts.first?.lowerBound == 0 && parts.last?.upperBound == graphs)
            for k in 1 ..< ranks { #expect(parts[k].lowerBound == parts[k - 1].upperBound) }
            let sizes = parts.map(\.count)
            #expect(sizes.max()! - sizes.min()! <= 1, "\(graphs) graphs on \(ranks) ranks: \(sizes)")
        }
    }

    /// Parts cut by cost (n² per graph): contiguous, covering, each within one graph's cost of
    /// the mean, and equal graphs split into sizes that differ by at most one.
    @Test(arguments: [1, 2, 3, 4, 7])
    func partsByCostAreBalanced(ranks: Int) {
        var generator = Xoshiro256StarStar(seed: UInt64(ranks))
        for trial in 0 ..< 20 {
            let counts = trial == 0 ? [Int](repeating: 5, count: 10)
                : (0 ..< Int(generator.next(upperBound: UInt64(12)))).map { _ in 1 + Int(generator.next(upperBound: UInt64(29))) }
            let layout = GraphLayout(nodeCounts: counts)
            let parts = (0 ..< ranks).map { LocalRanks(size: ranks).rankView($0).part(of: layout) }
            #expect(parts.first?.lowerBound == 0 && parts.last?.upperBound == counts.count, "\(counts): \(parts)")
            for k in 1 ..< ranks { #expect(parts[k].lowerBound == parts[k - 1].upperBound, "\(counts): \(parts)") }
            let costs = counts.map { $0 * $0 }, mean = Double(costs.reduce(0, +)) / Double(ranks)
            for part in parts {
                let cost = Double(costs[part].reduce(0, +))
                #expect((cost - mean).magnitude <= Double(costs.max() ?? 0), "\(counts) on \(ranks) ranks: \(parts)")
            }
            if trial == 0 {
                let sizes = parts.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1, "\(sizes)")
            }
        }
    }

    /// Each part computes its own graphs with the whole batch's draws (the whole batch with
    /// weight 0 elsewhere), Σ_r (|part_r| / B) (L_r, ∂L_r/∂θ) = (L, ∂L/∂θ) of the whole batch,
    /// and every part moves the generator as the whole batch does (so the next step draws the
    /// same on every rank).
    @Test(arguments: [2, 3, 7])
    func partsWeightedByShareMakeTheWholeBatch(ranks: Int) throws {
        let model = try Self.model()
        let data = InMemoryGraphs.random(count: 5, width: Self.width, seed: 21)
        let batch = try data.batch(at: [4, 0, 3, 1, 2])
        var initial = Xoshiro256StarStar(seed: 8)
        let parameters = model.initialParameters(using: &initial)
        var generator = Xoshiro256StarStar(seed: 99)
        var whole = [Float](repeating: 0, count: model.parameterCount)
        let loss = model.accumulate(parameters: parameters, batch: batch, gradient: &whole, using: &generator)

        var summedLoss = 0.0
        var summed = [Double](repeating: 0, count: model.parameterCount)
        for rank in 0 ..< ranks {
            let part = LocalRanks(size: ranks).rankView(rank).part(of: batch.layout)
            var partGenerator = Xoshiro256StarStar(seed: 99)
            var gradient = [Float](repeating: 0, count: model.parameterCount)
            let partLoss = model.accumulate(parameters: parameters, batch: batch, part: part, gradient: &gradient,
                                            using: &partGenerator)
            #expect(partGenerator == generator, "rank \(rank) of \(ranks) left the generator elsewhere")
            let share = Double(part.count) / 5
            // The part alone: the whole batch with weight 0 on the other graphs (same draws) gives share × (L_r, ∂L_r/∂θ).
            var masked = batch
            masked.weights = (0 ..< 5).map { part.contains($0) ? 1 : 0 }
            var maskedGenerator = Xoshiro256StarStar(seed: 99)
            var maskedGradient = [Float](repeating: 0, count: model.parameterCount)
            let maskedLoss = model.accumulate(parameters: parameters, batch: masked, gradient: &maskedGradient,
                                              using: &maskedGenerator)
            expectClose(part.isEmpty ? 0 : share * partLoss, maskedLoss, tolerance: 1e-12, relative: 1e-6, "rank \(rank)")
            expectClose(gradient.map { share * Double($0) }, maskedGradient, tolerance: 1e-7, relative: 1e-5, "rank \(rank)")
            summedLoss += part.isEmpty ? 0 : share * partLoss
            for k in summed.indices { summed[k] += share * Double(gradient[k]) }
        }
        // Float network outputs: a graph's prediction may round differently in another batch (GEMM blocking).
        expectClose(summedLoss, loss, tolerance: 0, relative: 1e-6)
        expectClose(summed, whole, tolerance: 1e-7, relative: 1e-5)
    }

    /// Trainers on 1, 2 and 3 ranks (threads) at the same seed and global batch: the same
    /// losses and parameters as one trainer, and every rank holds the same bits.
    @Test(arguments: [2, 3])
    func ranksTakeTheStepsOfOneTrainer(ranks: Int) throws {
        let data = InMemoryGraphs.random(count: 7, width: Self.width, seed: 5)
        let configuration = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 3e-3), batchSize: 4, seed: 9)
        let single = try Trainer(model: Self.model(), configuration: configuration, datasetSize: data.count)
        let reference = try (0 ..< 12).map { _ in try single.step(on: data).loss }

        let results = LocalRanks(size: ranks).run { rank -> (losses: [Double], state: TrainingState) in
            let trainer = try Trainer(model: Self.model(), configuration: configuration, datasetSize: data.count)
            trainer.communicator = rank
            try trainer.checkRanksAgree()
            let losses = try (0 ..< 12).map { _ in try trainer.step(on: data).loss }
            return (losses, trainer.state)
        }
        let outcomes = try results.map { try $0.get() }
        for outcome in outcomes {
            expectClose(outcome.losses, reference, tolerance: 0, relative: 1e-5)
            expectClose(outcome.state.parameters, single.state.parameters, tolerance: 1e-6, relative: 1e-4)
            #expect(outcome.state.parameters == outcomes[0].state.parameters)
            #expect(outcome.state.generator == single.state.generator && outcome.state.batches == single.state.batches)
        }
    }

    /// A rank holding other weights than rank 0 makes every rank throw before the first step.
    @Test func ranksHoldingDifferentRunsAllThrow() throws {
        let configuration = TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 3e-3), batchSize: 4, seed: 9)
        let results = LocalRanks(size: 2).run { rank in
            let trainer = try Trainer(model: Self.model(), configuration: configuration, datasetSize: 7)
            if rank.rank == 1 { try trainer.initialize(with: trainer.state.parameters.map { $0 + 0.5 }) }
            trainer.communicator = rank
            try trainer.checkRanksAgree()
        }
        for (rank, result) in results.enumerated() {
            #expect(throws: DiffusionError.self) { try result.get() }
            if case .failure(DiffusionError.ranksDisagree(let seen, _)) = result { #expect(seen == rank) }
            else { Issue.record("rank \(rank): \(result)") }
        }
    }
}

extension LocalRanks {
    /// Rank `rank`'s communicator, for what needs no collective (parts of a batch).
    func rankView(_ rank: Int) -> Rank { Rank(rank: rank, group: self) }
}
