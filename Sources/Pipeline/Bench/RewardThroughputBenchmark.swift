import Chem
import Diffusion
import Foundation

/// The other two costs of a fine-tuning round: molecules drawn per second by a model's default
/// chain (`ModelDomain.defaultSampling`, as `rgdm finetune` draws its pools), and reward
/// evaluations per second on those molecules by a `RewardScorer` (its cache, floor and worker
/// processes as in fine-tuning). Whether the scoring keeps the cores busy is measured, not
/// assumed: the CPU seconds of this process and its children (reward workers, xtb runs) over
/// the wall seconds of the scoring.
struct RewardThroughputBenchmark {
    struct Result: Codable {
        /// Where the model came from: a checkpoint's path, or the fresh EGNN.
        var model: String
        var sampler: String
        var molecules: Int
        var samplingSeconds: Double
        var samplingCpuSeconds: Double
        var samplesPerSecond: Double
        /// CPU seconds over wall seconds while sampling.
        var samplingCoresBusy: Double
        var reward: String
        /// Processes at a time the scorer may use (Open Babel workers, xtb runs).
        var workers: Int
        var evaluations: Int
        var cacheHits: Int
        var failures: [String: Int]
        var scoringSeconds: Double
        /// CPU seconds of this process and its children while scoring.
        var scoringCpuSeconds: Double
        /// Of those, this process's own (its threads: decoding, cache keys, requests and answers)…
        var scoringCpuSecondsHere: Double
        /// …each persistent worker's (Open Babel rewards), largest first…
        var scoringCpuSecondsPerWorker: [Double]
        /// …and those of the children that ran and ended meanwhile (xtb runs, a reward command).
        var scoringCpuSecondsEndedChildren: Double
        var evaluationsPerSecond: Double
        /// `scoringCpuSeconds / scoringSeconds`: 2 when two cores were busy throughout.
        var coresBusy: Double
        /// Share of the machine's CPU processes outside this tree used while scoring.
        var otherLoad: Double?
    }

    let model: TrainedModel
    let molecules: Int
    /// Molecules denoised together.
    let batch: Int
    let seed: UInt64

    func run(scorer: inout RewardScorer<Molecule>, workers: Int) throws -> Result {
        let card = model.card
        let sampling = card.domain.defaultSampling(timesteps: card.timesteps, architecture: card.architecture)
        var generator = Xoshiro256StarStar(seed: seed)
        let cpu = ResourceUsage.cpuSeconds, start = ResourceUsage.now
        let samples = try model.sample(count: molecules, batchSize: batch, sampling: sampling, using: &generator)
        let samplingSeconds = ResourceUsage.now - start, samplingCPU = ResourceUsage.cpuSeconds - cpu
        let decoded = MoleculeCodec(card: card).molecules(from: samples)

        let busy = ResourceUsage.machineBusySeconds
        let own = ResourceUsage.cpuSeconds, ended = ResourceUsage.reapedChildrenCPUSeconds, live = ResourceUsage.liveChildrenCPU
        let scoringStart = ResourceUsage.now
        let batch = scorer.score(decoded)
        let scoringSeconds = ResourceUsage.now - scoringStart
        let ownCPU = ResourceUsage.cpuSeconds - own, endedCPU = ResourceUsage.reapedChildrenCPUSeconds - ended
        // A worker started during the scoring counts from 0; one that ended is among the ended children.
        let workerCPU = ResourceUsage.liveChildrenCPU.map { pid, seconds in seconds - (live[pid] ?? 0) }.filter { $0 > 0 }
            .sorted(by: >)
        let scoringCPU = ownCPU + endedCPU + workerCPU.reduce(0, +)
        let otherLoad = busy.flatMap { busy0 in
            ResourceUsage.machineBusySeconds.map { busy1 in
                max(0, busy1 - busy0 - scoringCPU) / (scoringSeconds * Double(ProcessInfo.processInfo.activeProcessorCount))
            }
        }
        return Result(model: model.source, sampler: sampling.summary, molecules: molecules, samplingSeconds: samplingSeconds,
                      samplingCpuSeconds: samplingCPU, samplesPerSecond: Double(molecules) / samplingSeconds,
                      samplingCoresBusy: samplingCPU / samplingSeconds, reward: scorer.reward.name, workers: workers,
                      evaluations: batch.outcomes.count, cacheHits: batch.cacheHits, failures: scorer.ledger.failures,
                      scoringSeconds: scoringSeconds, scoringCpuSeconds: scoringCPU, scoringCpuSecondsHere: ownCPU,
                      scoringCpuSecondsPerWorker: workerCPU, scoringCpuSecondsEndedChildren: endedCPU,
                      evaluationsPerSecond: Double(batch.outcomes.count) / scoringSeconds,
                      coresBusy: scoringCPU / scoringSeconds, otherLoad: otherLoad)
    }
}
