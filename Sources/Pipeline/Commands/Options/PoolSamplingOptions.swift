import ArgumentParser
import Diffusion

/// How `rgdm finetune` draws the model's samples (its pools, and evaluation pools).
struct PoolSamplingOptions: ParsableArguments {
    @Option(help: "Reverse process of the pools.") var poolSampler: SamplerKind = .ancestral
    @Option(help: "Strided steps of the pools' chain (default: all T).") var poolSteps: Int?
    @Option(help: "Langevin corrector moves per level in the pools' chain (default: the domain's, 0 with DDIM).")
    var poolCorrectorSteps: Int?
    @Option(help: "Noise levels the pools' corrector works at.") var poolCorrectorLevels = 200
    @Option(help: "Signal-to-noise ratio of the pools' corrector moves.") var poolCorrectorSnr = 0.2
    @Option(help: "Graphs denoised together when drawing pools.") var poolBatch = 100

    func validate() throws {
        if let poolSteps, poolSteps < 1 { throw ValidationError("--pool-steps must be at least 1") }
        if let poolCorrectorSteps, poolCorrectorSteps < 0 { throw ValidationError("--pool-corrector-steps must be at least 0") }
        if poolBatch < 1 { throw ValidationError("--pool-batch must be at least 1") }
        if poolSampler == .ddim, let poolCorrectorSteps, poolCorrectorSteps > 0 {
            throw ValidationError("--pool-corrector-steps needs --pool-sampler ancestral; DDIM is deterministic")
        }
    }

    /// The pools' reverse process for a model of `domain`.
    func settings(for domain: ModelDomain) throws -> SamplingSettings {
        let moves = poolCorrectorSteps ?? (poolSampler == .ancestral ? domain.defaultCorrectorSteps : 0)
        return SamplingSettings(kind: poolSampler, steps: poolSteps,
                                corrector: moves > 0 ? try LangevinCorrector(steps: moves, levels: poolCorrectorLevels, snr: poolCorrectorSnr) : nil)
    }
}
