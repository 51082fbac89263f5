import Testing
import TestSupport
@testable import Diffusion

/// The training step and the sampling loop keep their arrays between calls
/// (no allocation in a steady loop). Reused storage must never change a
/// result: each in-place path equals the allocating one, bit for bit, also
/// when batches shrink and grow between calls.
@Suite struct BufferReuseTests {
    static let width = TrainerEGNNTests.width

    /// The step as the allocating APIs compose it: what the in-place path must reproduce.
    static func referenceStep(_ egnn: EGNN, _ process: DiffusionProcess, _ parameters: [Float], _ batch: GraphBatch,
                              _ generator: inout Xoshiro256StarStar) -> (Double, [Float]) {
        let layout = batch.layout
        let x = process.prepare(positions: batch.positions, features: batch.features, layout: layout)
        let timesteps = (0 ..< layout.graphCount).map { _ in Int(generator.next(upperBound: UInt64(process.timesteps + 1))) }
        let noise = process.sampleNoise(layout: layout, using: &generator)
        let z = process.diffuse(x, noise: noise, timesteps: timesteps, layout: layout)
        let input = DenoiserInput(layout: layout, positions: z.positions, features: z.features,
                                  time: process.normalizedTime(timesteps))
        var gradient = [Float](repeating: 0, count: egnn.parameterCount)
        let loss = egnn.lossAndGradient(input, parameters: parameters, gradient: &gradient) { prediction in
            EpsilonLoss.evaluate(prediction: prediction, target: noise, layout: layout, weights: batch.weights)
        }
        return (loss, gradient)
    }

    @Test func gradientStepWithReusedBuffersEqualsTheAllocatingComposition() throws {
        let egnn = TrainerEGNNTests.model(threads: 2)
        let process = try TrainerEGNNTests.process()
        var initial = Xoshiro256StarStar(seed: 3)
        let parameters = egnn.initialParameters(using: &initial)
        var data = InMemoryGraphs.random(count: 12, width: Self.width, seed: 5, minimumNodes: 4)
        data.weights = (0 ..< 12).map { Float($0 % 3) * 0.5 + 0.25 }
        var buffers = GradientStep.Buffers()
        var gradient = [Float](repeating: 0, count: egnn.parameterCount)
        // Large, small, large again: storage shrinks in use and grows back.
        for (step, indices) in [Array(0 ..< 8), [9, 2], Array(3 ..< 12)].enumerated() {
            let batch = try data.batch(at: indices)
            var generatorA = Xoshiro256StarStar(seed: 40 + UInt64(step)), generatorB = generatorA
            for k in gradient.indices { gradient[k] = 0 }
            let loss = GradientStep.accumulate(denoiser: egnn, process: process, parameters: parameters, batch: batch,
                                               gradient: &gradient, buffers: &buffers, using: &generatorA)
            let (referenceLoss, referenceGradient) = Self.referenceStep(egnn, process, parameters, batch, &generatorB)
            #expect(loss == referenceLoss, "step \(step): loss \(loss) vs \(referenceLoss)")
            #expect(gradient == referenceGradient, "step \(step): gradients differ")
            #expect(generatorA == generatorB, "step \(step): the two paths drew different numbers")
            #expect(loss.isFinite && loss > 0)
        }
    }

    @Test(arguments: [false, true])
    func generateEqualsTheStepByStepLoop(ancestral: Bool) throws {
        let egnn = TrainerEGNNTests.model(threads: 2)
        let process = try TrainerEGNNTests.process(timesteps: 20)
        let sampler: any Sampler = ancestral ? AncestralSampler(process: process) : try DDIMSampler(process: process, steps: 7)
        var initial = Xoshiro256StarStar(seed: 8)
        let parameters = egnn.initialParameters(using: &initial)
        let counts = [5, 3, 9]
        var generatorA = Xoshiro256StarStar(seed: 31), generatorB = generatorA
        let result = sampler.generate(denoiser: egnn, parameters: parameters, nodeCounts: counts, using: &generatorA)

        let layout = GraphLayout(nodeCounts: counts)
        var z = process.sampleNoise(layout: layout, using: &generatorB)
        for (index, t) in sampler.timesteps.enumerated() {
            let time = [Float](repeating: Float(t) / Float(process.timesteps), count: counts.count)
            let prediction = egnn.predict(DenoiserInput(layout: layout, positions: z.positions, features: z.features,
                                                        time: time), parameters: parameters)
            sampler.step(&z, prediction: prediction, index: index, layout: layout, using: &generatorB)
        }
        #expect(result.positions == z.positions)
        #expect(result.features == process.scaling.unscaled(z.features))
        #expect(generatorA == generatorB)
        #expect(result.positions.allSatisfy { $0.isFinite })
    }

    /// `predict` runs the forward alone, its layers sharing a few buffers: between
    /// training calls, as batches shrink and grow, with several workers and with
    /// pooling, it gives the same ε̂ every time, and the training forward's up to
    /// rounding (the training forward computes SiLU as z·σ(z) to keep σ, `predict`
    /// as z/(1 + e^{−z})).
    @Test(arguments: [GlobalPooling.none, .mean])
    func forwardOnlyPredictionEqualsTheTrainingForward(pooling: GlobalPooling) throws {
        let egnn = EGNN(EGNNConfiguration(featureWidth: Self.width, layers: 3, hidden: 16, globalPooling: pooling),
                        threads: 2, chunkFloats: 256)
        var generator = Xoshiro256StarStar(seed: 17)
        let parameters = egnn.initialParameters(using: &generator)
        var first: [DenoiserOutput] = []
        for round in 0 ..< 2 {
            for (index, counts) in [[6, 4, 7, 5], [3], [8, 8, 2, 9, 5]].enumerated() {
                let layout = GraphLayout(nodeCounts: counts)
                var draw = Xoshiro256StarStar(seed: UInt64(index))
                var positions = [Float](repeating: 0, count: layout.nodeCount * 3)
                var features = [Float](repeating: 0, count: layout.nodeCount * Self.width)
                draw.fillStandardNormal(&positions)
                draw.fillStandardNormal(&features)
                CenterOfMass.remove(from: &positions, layout: layout)
                let input = DenoiserInput(layout: layout, positions: positions, features: features,
                                          time: counts.map { Float($0) / 10 })
                let predicted = egnn.predict(input, parameters: parameters)
                var trained = DenoiserOutput(positions: [], features: [])
                var gradient = [Float](repeating: 0, count: egnn.parameterCount)
                _ = egnn.lossAndGradient(input, parameters: parameters, gradient: &gradient) { prediction in
                    trained = prediction
                    return (0, DenoiserOutput(positions: prediction.positions.map { _ in 1 },
                                              features: prediction.features.map { _ in 1 }))
                }
                expectClose(predicted.positions, trained.positions, tolerance: 1e-6, relative: 1e-5, "ε̂_x, nodes \(counts)")
                expectClose(predicted.features, trained.features, tolerance: 1e-6, relative: 1e-5, "ε̂_h, nodes \(counts)")
                if round == 0 {
                    first.append(predicted)
                } else {
                    #expect(predicted.positions == first[index].positions && predicted.features == first[index].features,
                            "nodes \(counts): a prediction after training calls differs from the first")
                }
            }
        }
    }

    @Test func inPlaceProcessFunctionsEqualTheAllocatingOnes() throws {
        let process = try TrainerEGNNTests.process()
        var generator = Xoshiro256StarStar(seed: 12)
        var x = GraphTensors(), noise = GraphTensors(), z = GraphTensors()
        for counts in [[6, 4, 7], [3], [8, 8]] {
            let layout = GraphLayout(nodeCounts: counts)
            var positions = [Float](repeating: 0, count: layout.nodeCount * 3)
            var features = [Float](repeating: 0, count: layout.nodeCount * Self.width)
            generator.fillStandardNormal(&positions)
            generator.fillStandardNormal(&features)
            let timesteps = counts.indices.map { 10 * $0 + 3 }
            process.prepare(positions: positions, features: features, layout: layout, into: &x)
            #expect(x == process.prepare(positions: positions, features: features, layout: layout))
            var copy = generator
            process.sampleNoise(layout: layout, into: &noise, using: &generator)
            #expect(noise == process.sampleNoise(layout: layout, using: &copy))
            process.diffuse(x, noise: noise, timesteps: timesteps, layout: layout, into: &z)
            #expect(z == process.diffuse(x, noise: noise, timesteps: timesteps, layout: layout))
        }
    }
}
