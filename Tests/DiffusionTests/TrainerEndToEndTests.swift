import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// Train the EGNN on a toy distribution, then sample it: the whole pipeline
/// of process, trainer and sampler must reproduce the data's geometry.
/// Slow in debug builds: run with RGDM_SLOW_TESTS=1.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["RGDM_SLOW_TESTS"] == "1"))
struct TrainerEndToEndTests {
    /// Pairs of nodes at distance 2 in a random direction; one node of type 0
    /// and one of type 1 (one-hot, scaled by 1/4 as EDM does).
    struct Dumbbells: GraphDataSource {
        let count = 512
        func batch(at indices: [Int]) throws -> GraphBatch {
            var positions: [Float] = [], features: [Float] = []
            for index in indices {
                var generator = Xoshiro256StarStar(seed: UInt64(index))
                var direction = [Float](repeating: 0, count: 3)
                generator.fillStandardNormal(&direction)
                let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
                positions += direction.map { $0 / norm } + direction.map { -$0 / norm }
                features += generator.next() & 1 == 0 ? [1, 0, 0, 1] : [0, 1, 1, 0]
            }
            return GraphBatch(layout: GraphLayout(nodeCounts: [Int](repeating: 2, count: indices.count)),
                              positions: positions, features: features)
        }
    }

    @Test func samplesReproduceTheTrainingGeometry() throws {
        let egnn = EGNN(EGNNConfiguration(featureWidth: 2, layers: 3, hidden: 32), threads: 2)
        let process = DiffusionProcess(schedule: try PolynomialSchedule(timesteps: 200),
                                       scaling: try FeatureScaling(blocks: [.init(width: 2, divisor: 4)]))
        let trainer = try Trainer(denoiser: egnn, process: process,
                                  configuration: TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 2e-3),
                                                                      emaDecay: 0.99, batchSize: 64, seed: 1),
                                  datasetSize: 512)
        for _ in 0 ..< 1500 { try trainer.step(on: Dumbbells()) }
        let samplers: [any Sampler] = [AncestralSampler(process: process), try DDIMSampler(process: process, steps: 50)]
        for sampler in samplers {
            var generator = Xoshiro256StarStar(seed: 2)
            let result = sampler.generate(denoiser: egnn, parameters: trainer.samplingParameters,
                                          nodeCounts: [Int](repeating: 2, count: 200), using: &generator)
            var distances: [Double] = [], distinctTypes = 0
            for g in 0 ..< 200 {
                let a = 6 * g
                let d = (0 ..< 3).map { Double(result.positions[a + $0] - result.positions[a + 3 + $0]) }
                distances.append((d.reduce(0) { $0 + $1 * $1 }).squareRoot())
                let type0 = result.features[4 * g] > result.features[4 * g + 1] ? 0 : 1
                let type1 = result.features[4 * g + 2] > result.features[4 * g + 3] ? 0 : 1
                if type0 != type1 { distinctTypes += 1 }
            }
            let name = type(of: sampler)
            let mean = TrainingTestSupport.mean(distances)
            let within = distances.filter { abs($0 - 2) < 0.2 }.count
            if sampler is AncestralSampler {
                // Seen: mean 1.99, 200 of 200 within 0.2.
                #expect(abs(mean - 2) < 0.1, "\(name): mean distance \(mean)")
                #expect(within >= 180, "\(name): \(within) of 200 pairs within 0.2 of distance 2")
            } else {
                // The deterministic sampler keeps the model's errors (no noise
                // to correct them) and pulls pairs in: seen mean 1.77 with 50,
                // 100 or 200 steps, 161–166 of 200 within 0.2.
                #expect(abs(mean - 2) < 0.35, "\(name): mean distance \(mean)")
                #expect(within >= 120, "\(name): \(within) of 200 pairs within 0.2 of distance 2")
            }
            #expect(distinctTypes >= 180, "\(name): \(distinctTypes) of 200 pairs with one node of each type")
        }
    }
}

extension TrainerEndToEndTests {
    /// Aligned rhombi for a `.translation` model: 4 nodes at (±1, 0, 0) and
    /// (0, ±0.5, 0) plus a random offset per graph, in random node order, no
    /// features. Orientation is part of the data: extent 2 along x, 1 along y,
    /// 0 along z. (Two-node shapes would not do: an EGNN moves nodes only
    /// along differences x_i − x_j, so it cannot turn a pair.)
    struct AlignedRhombi: GraphDataSource {
        let count = 512
        static let corners: [[Float]] = [[1, 0, 0], [-1, 0, 0], [0, 0.5, 0], [0, -0.5, 0]]
        func batch(at indices: [Int]) throws -> GraphBatch {
            var positions: [Float] = []
            for index in indices {
                var generator = Xoshiro256StarStar(seed: UInt64(index) &+ 1000)
                let c = Float(4 * generator.nextStandardNormal())
                var order = [0, 1, 2, 3]
                for i in stride(from: 3, to: 0, by: -1) { order.swapAt(i, Int(generator.next(upperBound: UInt64(i + 1)))) }
                for k in order { positions += Self.corners[k].map { $0 + c } }
            }
            return GraphBatch(layout: GraphLayout(nodeCounts: [Int](repeating: 4, count: indices.count)),
                              positions: positions, features: [])
        }
    }

    @Test func translationModelKeepsTheOrientation() throws {
        let egnn = EGNN(EGNNConfiguration(featureWidth: 0, layers: 3, hidden: 32, symmetry: .translation), threads: 2)
        let process = DiffusionProcess(schedule: try PolynomialSchedule(timesteps: 200),
                                       scaling: try FeatureScaling(blocks: []), symmetry: .translation)
        let trainer = try Trainer(denoiser: egnn, process: process,
                                  configuration: TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 2e-3),
                                                                      emaDecay: 0.99, batchSize: 64, seed: 1),
                                  datasetSize: 512)
        for _ in 0 ..< 1500 { try trainer.step(on: AlignedRhombi()) }
        var generator = Xoshiro256StarStar(seed: 2)
        let result = AncestralSampler(process: process).generate(
            denoiser: egnn, parameters: trainer.samplingParameters,
            nodeCounts: [Int](repeating: 4, count: 200), using: &generator)
        // Extent along each axis: max − min over a graph's nodes.
        var extents = [[Double]](repeating: [], count: 3)
        for g in 0 ..< 200 {
            for axis in 0 ..< 3 {
                let values = (0 ..< 4).map { Double(result.positions[12 * g + 3 * $0 + axis]) }
                extents[axis].append((values.max() ?? 0) - (values.min() ?? 0))
            }
        }
        let means = extents.map(TrainingTestSupport.mean)
        // Seen after 1500 steps: 1.88, 0.80, 0.54 (randomly oriented rhombi
        // would have about the same extent along every axis).
        #expect(abs(means[0] - 2) < 0.3, "mean extent along x \(means[0])")
        #expect(abs(means[1] - 1) < 0.35, "mean extent along y \(means[1])")
        #expect(means[2] < 0.8 && means[2] < means[1], "mean extent along z \(means[2])")
        let centres = CenterOfMass.means(of: result.positions, layout: result.layout)
        expectClose(centres, repeatElement(0, count: centres.count), tolerance: 1e-3, "centres of mass")
    }
}
