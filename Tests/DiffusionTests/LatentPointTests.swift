import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// The latent point model's parts (Luo & Hu 2021): the context-modulated MLP,
/// the PointNet encoder, the pointwise denoiser and the joint objective, each
/// backward against central differences (`GradientTests.check`), plus the
/// symmetries they promise.
@Suite struct LatentPointTests {
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0 ..< count).map { _ in Float.random(in: -scale ... scale, using: &rng) }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }

    /// Checks ∂f/∂x along a few random directions over `support` against finite differences:
    /// `GradientTests`' steps, 1 % relative agreement, but an absolute floor of 10⁻⁴, since
    /// these small networks carry far less Float noise than the EGNN.
    static func expectGradient(_ gradient: [Float], of f: ([Float]) -> Double, at x: [Float], support: Range<Int>,
                               _ what: String, seeds: Range<UInt64> = 0 ..< 2,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        for seed in seeds {
            let v = GradientTests.randomDirection(count: x.count, support: support, seed: seed &+ 100)
            let analytic = dot(gradient, v)
            let numeric = GradientTests.steps.map { GradientTests.centralDifference(f, at: x, direction: v, step: $0) }
            let agrees = numeric.contains { abs($0 - analytic) <= 1e-2 * max(abs($0), abs(analytic)) + 1e-4 }
            #expect(agrees, "\(what): backward \(analytic), finite differences \(numeric)", sourceLocation: sourceLocation)
            #expect(abs(analytic) >= 1e-3, "\(what): derivative \(analytic) too small to test",
                    sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [0, 3])
    func contextMLPGradientsMatchFiniteDifferences(contextWidth: Int) {
        let mlp = ContextMLP(widths: [3, 6, 5, 2], contextWidth: contextWidth)
        let layout = GraphLayout(nodeCounts: [3, 1, 4])
        let x = Self.random(layout.nodeCount * 3, seed: 1, scale: 1.5)
        let context = Self.random(layout.graphCount * contextWidth, seed: 2)
        var theta = [Float](repeating: 0, count: mlp.parameterCount)
        var rng = Xoshiro256StarStar(seed: 3)
        mlp.initialize(&theta, at: 0, using: &rng)
        let probe = Self.random(layout.nodeCount * 2, seed: 4)
        func run(_ p: [Float], _ xs: [Float], _ c: [Float]) -> Double {
            let w = ContextMLP.Workspace()
            mlp.forward(xs, layout: layout, context: c, parameters: p, workspace: w)
            return Self.dot(probe, w.output)
        }
        let w = ContextMLP.Workspace()
        mlp.forward(x, layout: layout, context: context, parameters: theta, workspace: w)
        var dTheta = [Float](repeating: 0, count: mlp.parameterCount)
        mlp.backward(outputGradient: probe, parameters: theta, gradient: &dTheta, workspace: w,
                     computing: contextWidth > 0 ? [.context, .input] : .input)
        let dContext = contextWidth > 0 ? w.contextGradient : [], dx = w.inputGradient
        for l in 0 ..< mlp.layerCount {
            Self.expectGradient(dTheta, of: { run($0, x, context) }, at: theta, support: mlp.offsets[l] ..< mlp.offsets[l + 1],
                                "layer \(l) parameters")
        }
        Self.expectGradient(dx, of: { run(theta, $0, context) }, at: x, support: 0 ..< x.count, "input")
        if contextWidth > 0 {
            Self.expectGradient(dContext, of: { run(theta, x, $0) }, at: context, support: 0 ..< context.count, "context")
        }
    }

    @Test func encoderGradientsMatchFiniteDifferences() {
        let encoder = PointNetEncoder(pointWidths: [5, 6], headWidths: [4], latentWidth: 2)
        let layout = GraphLayout(nodeCounts: [5, 7])
        let x = Self.random(layout.nodeCount * 3, seed: 5, scale: 1.5)
        var theta = [Float](repeating: 0, count: encoder.parameterCount)
        var rng = Xoshiro256StarStar(seed: 6)
        encoder.initialize(&theta, at: 0, using: &rng)
        let probe = Self.random(layout.graphCount * 4, seed: 7)
        func run(_ p: [Float]) -> Double {
            let w = PointNetEncoder.Workspace()
            encoder.forward(x, layout: layout, parameters: p, workspace: w)
            return Self.dot(probe, w.output)
        }
        let w = PointNetEncoder.Workspace()
        encoder.forward(x, layout: layout, parameters: theta, workspace: w)
        var dTheta = [Float](repeating: 0, count: encoder.parameterCount)
        encoder.backward(outputGradient: probe, parameters: theta, gradient: &dTheta, workspace: w)
        Self.expectGradient(dTheta, of: run, at: theta, support: 0 ..< encoder.points.parameterCount, "point MLP", seeds: 0 ..< 3)
        Self.expectGradient(dTheta, of: run, at: theta, support: encoder.points.parameterCount ..< encoder.parameterCount, "head")
    }

    @Test func encoderIgnoresPointOrder() {
        let encoder = PointNetEncoder(pointWidths: [8, 8], headWidths: [], latentWidth: 3)
        let layout = GraphLayout(nodeCounts: [6])
        let x = Self.random(18, seed: 8)
        var theta = [Float](repeating: 0, count: encoder.parameterCount)
        var rng = Xoshiro256StarStar(seed: 9)
        encoder.initialize(&theta, at: 0, using: &rng)
        let order = [3, 0, 5, 1, 4, 2]
        let permuted = order.flatMap { x[(3 * $0) ..< (3 * $0 + 3)] }
        func encode(_ points: [Float]) -> [Float] {
            let w = PointNetEncoder.Workspace()
            encoder.forward(points, layout: layout, parameters: theta, workspace: w)
            return w.output
        }
        expectClose(encode(permuted), encode(x), tolerance: 1e-6, relative: 1e-6, "encoding of permuted points")
    }

    static func model() throws -> LatentPointModel {
        try LatentPointModel(configuration: LatentPointConfiguration(
            latentWidth: 3, encoderPointWidths: [6, 8], encoderHeadWidths: [5], decoderWidths: [7, 6], priorWidths: [6],
            decoderPointsPerStep: 5, priorDrawsPerStep: 2, klWeight: 0.1),
            schedule: PolynomialSchedule(timesteps: 20, power: 2, precision: 1e-5))
    }

    @Test func decoderIsPermutationEquivariantAndGivesTheConditionGradient() throws {
        // Centred, as for a zero-CoM process (the latent model's own decoder is not; the objective test covers it).
        let decoder = PointwiseDenoiser(rows: .positions, hidden: [7, 6], conditionWidth: 3)
        var rng = Xoshiro256StarStar(seed: 10)
        let theta = decoder.initialParameters(using: &rng)
        let input = tinyBatch(nodeCounts: [4, 5], featureWidth: 0, conditionWidth: 3, seed: 11)
        // Swapping two points of a graph swaps their predictions.
        var swapped = input
        for k in 0 ..< 3 { swapped.positions.swapAt(3 * 1 + k, 3 * 3 + k) }
        var expected = decoder.predict(input, parameters: theta).positions
        for k in 0 ..< 3 { expected.swapAt(3 * 1 + k, 3 * 3 + k) }
        expectClose(decoder.predict(swapped, parameters: theta).positions, expected, tolerance: 1e-6, relative: 1e-6, "ε̂ of swapped points")
        // Zero mean per graph (the zero-CoM subspace).
        let prediction = decoder.predict(input, parameters: theta).positions
        let means = CenterOfMass.means(of: prediction, layout: input.layout)
        expectClose(means, repeatElement(0, count: means.count), tolerance: 1e-5, "per-graph means")
        // ∂L/∂c against finite differences, and ∂L/∂θ.
        let probe = LinearProbe(nodes: input.layout.nodeCount, featureWidth: 0, seed: 12)
        var dTheta = [Float](repeating: 0, count: decoder.parameterCount)
        var dCondition = [Float](repeating: 0, count: input.condition.count)
        _ = decoder.lossAndGradient(input, parameters: theta, gradient: &dTheta, conditionGradient: &dCondition) { p, g in
            let (value, gradient) = probe(p)
            g = gradient
            return value
        }
        Self.expectGradient(dCondition, of: { c in
            var moved = input
            moved.condition = c
            return probe.value(decoder.predict(moved, parameters: theta))
        }, at: input.condition, support: 0 ..< input.condition.count, "condition")
        Self.expectGradient(dTheta, of: { probe.value(decoder.predict(input, parameters: $0)) }, at: theta,
                            support: 0 ..< theta.count, "decoder parameters")
    }

    @Test func objectiveGradientMatchesFiniteDifferences() throws {
        let model = try Self.model()
        var rng = Xoshiro256StarStar(seed: 13)
        let theta = model.initialParameters(using: &rng)
        let layout = GraphLayout(nodeCounts: [6, 5, 7])
        let batch = GraphBatch(layout: layout, positions: Self.random(layout.nodeCount * 3, seed: 14, scale: 1.2), features: [])
        // A pure function of (θ, batch, generator state). The prior learns on sg(z), so the encoder's
        // gradient is that of the decoder and KL terms only.
        func loss(_ p: [Float], encoderTermsOnly: Bool = false) -> Double {
            var g = [Float](repeating: 0, count: model.parameterCount)
            var generator = Xoshiro256StarStar(seed: 15)
            let total = model.accumulate(parameters: p, batch: batch, gradient: &g, using: &generator)
            return encoderTermsOnly ? total - model.lastTerms.prior : total
        }
        var gradient = [Float](repeating: 0, count: model.parameterCount)
        var generator = Xoshiro256StarStar(seed: 15)
        let value = model.accumulate(parameters: theta, batch: batch, gradient: &gradient, using: &generator)
        #expect(model.lastTerms.kl > 0 && model.lastTerms.points > 0 && model.lastTerms.prior > 0, "\(model.lastTerms)")
        #expect(value == loss(theta), "same θ, batch and generator state, same loss")
        Self.expectGradient(gradient, of: { loss($0, encoderTermsOnly: true) }, at: theta, support: model.encoderRange, "encoder")
        Self.expectGradient(gradient, of: { loss($0) }, at: theta, support: model.decoderRange, "decoder")
        Self.expectGradient(gradient, of: { loss($0) }, at: theta, support: model.priorRange, "prior")
    }

    @Test func thePriorPhaseTrainsThePriorAlone() throws {
        var configuration = try Self.model().configuration
        let joint = try Self.model()
        configuration.trainingPhase = .prior
        let priorOnly = try LatentPointModel(configuration: configuration, schedule: PolynomialSchedule(timesteps: 20))
        var rng = Xoshiro256StarStar(seed: 19)
        let theta = joint.initialParameters(using: &rng)
        let layout = GraphLayout(nodeCounts: [6, 7])
        let batch = GraphBatch(layout: layout, positions: Self.random(layout.nodeCount * 3, seed: 20), features: [])
        func step(_ model: LatentPointModel) -> (Double, [Float]) {
            var g = [Float](repeating: 0, count: model.parameterCount)
            var generator = Xoshiro256StarStar(seed: 21)
            return (model.accumulate(parameters: theta, batch: batch, gradient: &g, using: &generator), g)
        }
        let (loss, gradient) = step(priorOnly)
        #expect(gradient[joint.encoderRange].allSatisfy { $0 == 0 } && gradient[joint.decoderRange].allSatisfy { $0 == 0 })
        #expect(gradient[joint.priorRange].contains { $0 != 0 })
        #expect(loss == priorOnly.lastTerms.prior && loss > 0)
        // Its gradient is that of its own loss (the decoder's draws are skipped, so the joint step's numbers differ).
        Self.expectGradient(gradient, of: { p in
            var g = [Float](repeating: 0, count: priorOnly.parameterCount)
            var generator = Xoshiro256StarStar(seed: 21)
            return priorOnly.accumulate(parameters: p, batch: batch, gradient: &g, using: &generator)
        }, at: theta, support: joint.priorRange, "prior (prior phase)")
    }

    @Test func aPriorOfPosteriorMeansIgnoresThePosteriorsWidth() throws {
        var configuration = try Self.model().configuration
        configuration.trainingPhase = .prior
        let layout = GraphLayout(nodeCounts: [6, 7, 5])
        let batch = GraphBatch(layout: layout, positions: Self.random(layout.nodeCount * 3, seed: 22), features: [])
        // Two encoders that differ only in log σ² (its output bias, +2): the same μ, wider posteriors.
        func step(_ target: LatentPriorTarget, widerPosterior: Bool) throws -> (Double, [Float]) {
            configuration.priorTarget = target
            let model = try LatentPointModel(configuration: configuration, schedule: PolynomialSchedule(timesteps: 20))
            var rng = Xoshiro256StarStar(seed: 23)
            var theta = model.initialParameters(using: &rng)
            if widerPosterior {
                let head = model.encoder.head, last = head.layerCount - 1, z = model.latentWidth
                let bias = model.encoderRange.lowerBound + model.encoder.points.parameterCount + head.offsets[last]
                    + head.widths[last] * head.outputWidth
                for j in 0 ..< z { theta[bias + z + j] += 2 }
            }
            var g = [Float](repeating: 0, count: model.parameterCount)
            var generator = Xoshiro256StarStar(seed: 24)
            return (model.accumulate(parameters: theta, batch: batch, gradient: &g, using: &generator), g)
        }
        let (meanLoss, meanGradient) = try step(.mean, widerPosterior: false)
        let (meanWiderLoss, meanWiderGradient) = try step(.mean, widerPosterior: true)
        #expect(meanLoss == meanWiderLoss && meanGradient == meanWiderGradient, "the prior sees μ only")
        let (sampleLoss, _) = try step(.sample, widerPosterior: false), (sampleWiderLoss, _) = try step(.sample, widerPosterior: true)
        #expect(sampleLoss != sampleWiderLoss, "a prior of posterior samples sees σ")
        #expect(meanLoss != sampleLoss && meanLoss > 0)
    }

    @Test func shardedBatchesGiveTheSameStepWithAnyThreadCount() throws {
        let configuration = try Self.model().configuration
        let schedule = try PolynomialSchedule(timesteps: 20)
        let one = try LatentPointModel(configuration: configuration, schedule: schedule, threads: 1)
        let two = try LatentPointModel(configuration: configuration, schedule: schedule, threads: 2)
        var rng = Xoshiro256StarStar(seed: 16)
        let theta = one.initialParameters(using: &rng)
        // 37 clouds: three shards of 12, 12 and 13.
        let layout = GraphLayout(nodeCounts: (0 ..< 37).map { 4 + $0 % 5 })
        let batch = GraphBatch(layout: layout, positions: Self.random(layout.nodeCount * 3, seed: 17), features: [])
        func step(_ model: LatentPointModel) -> (Double, [Float]) {
            var g = [Float](repeating: 0, count: model.parameterCount)
            var generator = Xoshiro256StarStar(seed: 18)
            return (model.accumulate(parameters: theta, batch: batch, gradient: &g, using: &generator), g)
        }
        let (a, ga) = step(one), (b, gb) = step(two)
        #expect(a == b && ga == gb, "threads 1 and 2: losses \(a), \(b); gradients: \(largestDifference(ga, gb))")
        #expect(a.isFinite && ga.contains { $0 != 0 })
    }

    @Test func trainingLowersTheLossAndSamplesHaveTheAskedShape() throws {
        let model = try Self.model()
        // Two "shapes": points on a small ring and on a line, 8 points each.
        let ring = (0 ..< 8).flatMap { k -> [Float] in let a = Float(k) * .pi / 4; return [cos(a), sin(a), 0] }
        let line = (0 ..< 8).flatMap { k -> [Float] in [0, 0, Float(k) / 4 - 1] }
        struct Clouds: GraphDataSource {
            let clouds: [[Float]]
            var count: Int { clouds.count }
            func batch(at indices: [Int]) throws -> GraphBatch {
                GraphBatch(layout: GraphLayout(nodeCounts: indices.map { _ in 8 }), positions: indices.flatMap { clouds[$0] }, features: [])
            }
        }
        let data = Clouds(clouds: [ring, line, ring, line])
        var configuration = TrainerConfiguration()
        configuration.batchSize = 4
        configuration.optimizer.learningRate = 3e-3
        configuration.seed = 1
        let trainer = try Trainer(model: model, configuration: configuration, datasetSize: data.count)
        var first = 0.0, last = 0.0
        for step in 0 ..< 300 {
            let loss = try trainer.step(on: data).loss
            if step < 30 { first += loss } else if step >= 270 { last += loss }
        }
        #expect(last < 0.8 * first, "mean loss of the first 30 steps \(first / 30), of the last 30 \(last / 30)")
        var generator = Xoshiro256StarStar(seed: 2)
        let result = model.sample(count: 3, pointCount: 8, parameters: trainer.samplingParameters,
                                  latentSampler: AncestralSampler(process: model.latentProcess),
                                  pointSampler: AncestralSampler(process: model.pointProcess), using: &generator)
        #expect(result.layout.nodeCounts == [8, 8, 8])
        #expect(result.positions.count == 72 && result.positions.allSatisfy(\.isFinite))
    }
}
