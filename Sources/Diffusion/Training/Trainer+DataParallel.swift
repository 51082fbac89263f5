/// Data-parallel steps: every rank holds the same θ, optimiser state and generator, draws the
/// same global batch and the same t and ε for all its graphs, and computes the loss and
/// gradient of its own part (`Communicator.part(of:)`, balanced by cost). Each part's gradient is weighted by
/// its share of the batch and the weighted gradients are summed over the ranks, so every
/// rank holds the whole batch's gradient (up to the order of the float sums) and applies
/// the same clipping, AdamW and EMA update. The state after a step is the one-process state:
/// checkpoints hold nothing rank-specific, and a run resumes on any number of ranks.
extension Trainer {
    /// The loss of `batch` with its gradient in `gradient`, over all ranks.
    func accumulateOverRanks(_ batch: GraphBatch, using generator: inout Xoshiro256StarStar) throws -> Double {
        let graphs = batch.layout.graphCount
        let part = communicator.part(of: batch.layout)
        let local = model.accumulate(parameters: state.parameters, batch: batch, part: part, gradient: &gradient,
                                     using: &generator)
        // ∂L/∂θ = Σ_r (|part_r| / B) ∂L_r/∂θ, L_r the mean loss of part r: `[P]`.
        let share = Double(part.count) / Double(max(graphs, 1))
        if share != 1 {
            let weight = Float(share)
            gradient.withUnsafeMutableBufferPointer { g in
                for k in g.indices { g[k] *= weight }
            }
        }
        var loss = [part.isEmpty ? 0 : share * local]
        let clock = ContinuousClock(), start = clock.now
        try communicator.allReduceSum(&gradient, bucketSize: bucketSize)
        try communicator.allReduceSum(&loss)
        communication.record(seconds: (clock.now - start).seconds, floats: gradient.count, ranks: communicator.size)
        return loss[0]
    }

    /// Sums over the ranks, in place, a loss and gradient each rank computed on its part of a
    /// step's work, scaled so that the parts add up to the whole (a mean's terms divided by the
    /// whole count): the data-parallel form of `step(loss:gradient:)` for objectives other than
    /// the model's own (DDPO's PPO loss). One rank: nothing to do.
    public func sumOverRanks(loss: inout Double, gradient: inout [Float]) throws {
        guard communicator.size > 1 else { return }
        var sum = [loss]
        let clock = ContinuousClock(), start = clock.now
        try communicator.allReduceSum(&gradient, bucketSize: bucketSize)
        try communicator.allReduceSum(&sum)
        communication.record(seconds: (clock.now - start).seconds, floats: gradient.count, ranks: communicator.size)
        loss = sum[0]
    }

    /// Throws `DiffusionError.ranksDisagree` on every rank unless all ranks hold rank 0's run:
    /// the same step and the same parameters (a run folder that is not on a file system all
    /// nodes share makes one rank start afresh where another resumes).
    public func checkRanksAgree() throws {
        guard communicator.size > 1 else { return }
        let mine = [Double(state.step), Double(state.parameters.count),
                    state.parameters.reduce(0.0) { $0 + Double($1) }]
        var primary = mine
        try communicator.broadcast(&primary, from: 0)
        let agrees = primary == mine
        guard !(try communicator.anyRank(!agrees)) else {
            throw DiffusionError.ranksDisagree(
                rank: communicator.rank,
                reason: agrees ? "another rank does not hold the run rank 0 holds (step \(Int(primary[0])))"
                    : "this rank holds step \(state.step) but rank 0 step \(Int(primary[0])), or other weights;"
                        + " every rank must see the same run folder (a shared file system)")
        }
    }
}

/// Time and volume of a trainer's gradient all-reduces.
public struct CommunicationTotals: Sendable, Equatable {
    /// Steps whose gradient was summed over ranks.
    public var steps = 0
    /// Wall time in the all-reduce calls.
    public var seconds = 0.0
    /// Bytes each rank sent, as a ring all-reduce sends them: 4 P × 2(N − 1)/N a step.
    public var bytesSent = 0.0

    public init() {}

    mutating func record(seconds: Double, floats: Int, ranks: Int) {
        steps += 1
        self.seconds += seconds
        bytesSent += 4 * Double(floats) * 2 * Double(ranks - 1) / Double(ranks)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
