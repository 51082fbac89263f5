import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// Models of shape latents f(z_t, t) (`LatentPropertyNetwork`), their noise-aware training and
/// the guidance of a latent prior's chain by their gradient.
@Suite struct LatentPropertyTests {
    static func network(outputs: Int, latentWidth: Int = 3) -> LatentPropertyNetwork {
        LatentPropertyNetwork(LatentPropertyConfiguration(latentWidth: latentWidth, hidden: [7, 5], outputs: outputs))
    }

    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var generator = Xoshiro256StarStar(seed: seed)
        return (0 ..< count).map { _ in scale * Float(generator.nextStandardNormal()) }
    }

    /// The latent prior's kind of process: one-node graphs whose features are z.
    static func latentProcess(width: Int, timesteps: Int = 100) throws -> DiffusionProcess {
        DiffusionProcess(schedule: try PolynomialSchedule(timesteps: timesteps), scaling: .identity(width: width), symmetry: .translation)
    }

    /// ∂L/∂θ and ∂L/∂z against central differences of L = ⟨a, y⟩, with times in (0, 1).
    @Test func parameterAndInputGradientsMatchFiniteDifferences() {
        let net = Self.network(outputs: 4)
        var generator = Xoshiro256StarStar(seed: 3)
        let theta = net.initialParameters(using: &generator)
        let z = Self.random(5 * 3, seed: 4), time: [Float] = [0, 0.2, 0.5, 0.8, 1], a = Self.random(5 * 4, seed: 5)
        func loss(_ y: [Float]) -> Double { zip(y, a).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
        var gradient = [Float](repeating: 0, count: net.parameterCount)
        let (value, dz) = net.lossAndGradient(z, time: time, parameters: theta, gradient: &gradient, inputGradient: true) { y in
            (loss(y), a)
        }
        expectClose(value, loss(net.outputs(z, time: time, parameters: theta)), tolerance: 1e-9, "L from the forward")
        for seed in 0 ..< 3 {
            let v = GradientTests.randomDirection(count: theta.count, support: 0 ..< theta.count, seed: UInt64(seed))
            let analytic = zip(gradient, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let check = GradientTests.check(analytic, { loss(net.outputs(z, time: time, parameters: $0)) }, at: theta, direction: v)
            #expect(check.agrees, "∂L/∂θ·v \(analytic), finite differences \(check.numeric)")
            let u = GradientTests.randomDirection(count: z.count, support: 0 ..< z.count, seed: UInt64(20 + seed))
            let analyticZ = zip(dz, u).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let checkZ = GradientTests.check(analyticZ, { loss(net.outputs($0, time: time, parameters: theta)) }, at: z, direction: u)
            #expect(checkZ.agrees, "∂L/∂z·u \(analyticZ), finite differences \(checkZ.numeric)")
        }
        // A time-blind network would pass the above; this one reads t.
        let early = net.outputs(Array(z[0 ..< 3]), time: [0.1], parameters: theta)
        let late = net.outputs(Array(z[0 ..< 3]), time: [0.9], parameters: theta)
        #expect(early != late, "the output depends on the time input")
    }

    /// Both guidance terms against σ_t w times finite differences of their losses in z: the
    /// regression loss ½ (a − f)² and the class log-probability −log p(c | z_t).
    @Test(arguments: [5, 50, 95])
    func guidanceTermsAreSigmaTimesWeightTimesTheLossGradient(timestep: Int) throws {
        let process = try Self.latentProcess(width: 3)
        let layout = GraphLayout(nodeCounts: [1, 1, 1])
        let z = GraphTensors(positions: [Float](repeating: 0, count: 9), features: Self.random(9, seed: 7))
        let time = [Float](repeating: Float(timestep) / 100, count: 3)
        let scale = process.schedule.sigma(at: timestep) * 1.5
        var generator = Xoshiro256StarStar(seed: 8)
        let regressor = Self.network(outputs: 1), classifier = Self.network(outputs: 3)
        let thetaR = regressor.initialParameters(using: &generator), thetaC = classifier.initialParameters(using: &generator)
        let regression = try PropertyGuidance(
            property: NoiseAwareLatentProperty(network: regressor, parameters: thetaR, readout: .value), target: 0.4, weight: 1.5)
        let classification = try LogProbabilityGuidance(
            property: NoiseAwareLatentProperty(network: classifier, parameters: thetaC, readout: .logProbability(class: 2)), weight: 1.5)
        func regressionLoss(_ h: [Float]) -> Double {
            regressor.outputs(h, time: time, parameters: thetaR).reduce(0.0) { $0 + 0.5 * (0.4 - Double($1)) * (0.4 - Double($1)) }
        }
        func classLoss(_ h: [Float]) -> Double {
            let logP = SoftmaxCrossEntropy.logProbabilities(classifier.outputs(h, time: time, parameters: thetaC), classes: 3)
            return -(0 ..< 3).reduce(0.0) { $0 + logP[$1 * 3 + 2] }
        }
        let terms = [(try regression.term(at: z, timestep: timestep, layout: layout, process: process), regressionLoss),
                     (try classification.term(at: z, timestep: timestep, layout: layout, process: process), classLoss)]
        for (index, (term, loss)) in terms.enumerated() {
            #expect(term.positions.allSatisfy { $0 == 0 }, "a latent has no positions to guide")
            for seed in 0 ..< 3 {
                let u = GradientTests.randomDirection(count: 9, support: 0 ..< 9, seed: UInt64(30 + seed))
                let analytic = zip(term.features, u).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / scale
                let check = GradientTests.check(analytic, loss, at: z.features, direction: u)
                #expect(check.agrees, "term \(index): term / σw · u \(analytic), finite differences \(check.numeric)")
            }
        }
        // guide adds the term; weight 0 leaves ε̂ alone.
        var eps = DenoiserOutput(positions: [Float](repeating: 0, count: 9), features: [Float](repeating: 1, count: 9))
        try classification.guide(&eps, at: z, timestep: timestep, layout: layout, process: process)
        expectClose(eps.features, terms[1].0.features.map { 1 + $0 }, tolerance: 1e-6, "guided ε̂")
        var plain = DenoiserOutput(positions: [Float](repeating: 0, count: 9), features: [Float](repeating: 1, count: 9))
        try LogProbabilityGuidance(property: classification.property, weight: 0)
            .guide(&plain, at: z, timestep: timestep, layout: layout, process: process)
        #expect(plain.features == [Float](repeating: 1, count: 9))
    }

    @Test func badReadoutsAndProcessesAreRefused() throws {
        var generator = Xoshiro256StarStar(seed: 1)
        let classifier = Self.network(outputs: 3)
        let theta = classifier.initialParameters(using: &generator)
        #expect(throws: DiffusionError.invalidConfiguration("a value reads a regressor's one output; this network has 3")) {
            try NoiseAwareLatentProperty(network: classifier, parameters: theta, readout: .value)
        }
        #expect(throws: DiffusionError.invalidConfiguration("class 3 of a network with 3 outputs")) {
            try NoiseAwareLatentProperty(network: classifier, parameters: theta, readout: .logProbability(class: 3))
        }
        #expect(throws: DiffusionError.invalidConfiguration("2 weights for a latent property network of \(classifier.parameterCount)")) {
            try NoiseAwareLatentProperty(network: classifier, parameters: [1, 2], readout: .logProbability(class: 0))
        }
        let property = try NoiseAwareLatentProperty(network: classifier, parameters: theta, readout: .logProbability(class: 0))
        #expect(throws: DiffusionError.invalidConfiguration("the latent property model reads latents of width 3; the prior's are 4")) {
            _ = try LogProbabilityGuidance(property: property, weight: 1)
                .term(at: GraphTensors(positions: [0, 0, 0], features: [0, 0, 0, 0]), timestep: 3,
                      layout: GraphLayout(nodeCounts: [1]), process: try Self.latentProcess(width: 4))
        }
        #expect(throws: DiffusionError.invalidConfiguration("the guidance weight must be finite and ≥ 0, got -1.0")) {
            try LogProbabilityGuidance(property: property, weight: -1)
        }
    }

    /// Trains a noise-aware model on latents z ~ N(0, I₂) whose targets are `targets(z)`.
    static func trained(outputs: Int, process: DiffusionProcess, steps: Int = 1500,
                        targets: ([Float]) -> PointNetTargets) throws -> (LatentPropertyNetwork, [Float]) {
        let latents = random(2 * 2000, seed: 11)
        let net = LatentPropertyNetwork(LatentPropertyConfiguration(latentWidth: 2, hidden: [32, 32], outputs: outputs))
        let trainer = try LatentPropertyTrainer(
            network: net, noise: process,
            configuration: TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 3e-3), emaDecay: 0.99, batchSize: 64, seed: 2),
            datasetSize: 2000)
        let y = targets(latents)
        for _ in 0 ..< steps { try trainer.step(on: latents, targets: y) }
        return (net, trainer.predictionParameters)
    }

    /// Data N(0, I₂), f trained noise-aware on y = z₁: at t = 0 it reads z₁; at time t it
    /// learns E[z₁ | z_t] = α_t z_t,1 (α_t² + σ_t² = 1 for this schedule), so it shrinks with t.
    @Test func aNoiseAwareRegressorLearnsThePosteriorMeanOfItsTarget() throws {
        let process = try Self.latentProcess(width: 2)
        let (net, theta) = try Self.trained(outputs: 1, process: process) { z in .values(stride(from: 0, to: z.count, by: 2).map { Double(z[$0]) }) }
        let probe: [Float] = [-1.5, 0.3, 0.5, -1, 1.2, 0.8]
        for t in [0, 60, 90] {
            let alpha = Float(process.schedule.alpha(at: t))
            let y = net.outputs(probe, time: [Float](repeating: Float(t) / 100, count: 3), parameters: theta)
            expectClose(y, [alpha * -1.5, alpha * 0.5, alpha * 1.2], tolerance: 0.12, "f(z_t, t) at t = \(t) (α_t = \(alpha))")
        }
    }

    /// The chain of data N(0, I₂) under the exact denoiser, guided by learnt noise-aware models.
    /// A regressor of z₁ toward a = 2 with w = 1 must guide as its ideal, the posterior mean
    /// E[z₁ | z_t] = α_t z_t,1 in closed form, does (same seed, same chain); the result sits near
    /// the tilted law p(z) exp(−(2 − z₁)²/2), z₁ ~ N(1, ½), but not on it: guidance by the
    /// gradient of ½ (a − E[z₁ | z_t])² is the released sampler's approximation of the tilt's
    /// score, and overshoots it here. A classifier of [z₁ > 0] toward class 1 (w = 1: p(z | c)
    /// puts every sample at z₁ > 0) must move the class share from ½ to nearly all.
    @Test func guidanceMovesTheLatentsTowardTheTarget() throws {
        let process = try Self.latentProcess(width: 2, timesteps: 200)
        let oracle = GaussianOracleDenoiser(schedule: process.schedule, featureMean: [0, 0], positionScale: 1, featureScale: 1)
        let sampler = AncestralSampler(process: process)
        func draw(_ guidance: some SamplingGuidance) throws -> [Float] {
            var generator = Xoshiro256StarStar(seed: 5)
            let result = try sampler.generate(denoiser: oracle, parameters: [], nodeCounts: [Int](repeating: 1, count: 2000),
                                              guidance: guidance, using: &generator)
            return stride(from: 0, to: result.features.count, by: 2).map { result.features[$0] }
        }
        func mean(_ x: [Float]) -> Double { TrainingTestSupport.mean(x.map(Double.init)) }
        let (regressor, thetaR) = try Self.trained(outputs: 1, process: process) { z in
            .values(stride(from: 0, to: z.count, by: 2).map { Double(z[$0]) })
        }
        let value = try NoiseAwareLatentProperty(network: regressor, parameters: thetaR, readout: .value)
        let plain = try draw(PropertyGuidance(property: value, target: 2, weight: 0))
        let guided = try draw(PropertyGuidance(property: value, target: 2, weight: 1))
        let ideal = try draw(PropertyGuidance(property: PosteriorMean(), target: 2, weight: 1))
        #expect(abs(mean(plain)) < 0.06, "unguided mean \(mean(plain))")
        #expect(abs(mean(guided) - mean(ideal)) < 0.08, "guided mean \(mean(guided)), by the ideal property \(mean(ideal))")
        #expect(mean(ideal) > 0.9 && mean(ideal) < 1.4, "ideal guided mean \(mean(ideal)), the tilted law's 1")

        let (classifier, thetaC) = try Self.trained(outputs: 2, process: process) { z in
            .classes(stride(from: 0, to: z.count, by: 2).map { z[$0] > 0 ? 1 : 0 })
        }
        let positive = try NoiseAwareLatentProperty(network: classifier, parameters: thetaC, readout: .logProbability(class: 1))
        let share = { (x: [Float]) in Double(x.filter { $0 > 0 }.count) / Double(x.count) }
        let unguided = share(try draw(LogProbabilityGuidance(property: positive, weight: 0)))
        let steered = share(try draw(LogProbabilityGuidance(property: positive, weight: 1)))
        #expect(abs(unguided - 0.5) < 0.04, "unguided share of class 1: \(unguided)")
        #expect(steered > 0.9, "guided share of class 1: \(steered)")
    }

    /// Guidance of weight 0 leaves a latent point model's prior chain as it was, and a conditional
    /// prior is refused.
    @Test func aLatentPriorSamplesUnderGuidance() throws {
        let base = try LatentPriorModelTests.pointModel(latentWidth: 3)
        let view = LatentPriorModel(base)
        var generator = Xoshiro256StarStar(seed: 2)
        let theta = base.initialParameters(using: &generator)
        let net = Self.network(outputs: 1)
        let property = try NoiseAwareLatentProperty(network: net, parameters: net.initialParameters(using: &generator), readout: .value)
        let sampling = SamplingSettings(kind: .ddim, steps: 5)
        func latents(_ weight: Double) throws -> [Float] {
            var g = Xoshiro256StarStar(seed: 9)
            return try view.sample(count: 5, batchSize: 2, guidance: PropertyGuidance(property: property, target: 3, weight: weight),
                                   parameters: theta, sampling: sampling, using: &g).flatMap(\.features)
        }
        var g = Xoshiro256StarStar(seed: 9)
        let plain = try view.sample(count: 5, batchSize: 2, nodeCounts: try NodeCountDistribution(histogram: [1: 1]),
                                    condition: [], parameters: theta, sampling: sampling, using: &g) { _ in }.flatMap(\.features)
        #expect(try latents(0) == plain)
        #expect(try latents(5) != plain)
    }
}

/// E[z₁ | z_t] = α_t z_t,1 for data N(0, I) under a schedule with α_t² + σ_t² = 1: the property
/// a noise-aware regressor of z₁ should learn.
struct PosteriorMean: DifferentiableGraphProperty {
    func valueAndGradient(at z: GraphTensors, timestep: Int, layout: GraphLayout, process: DiffusionProcess,
                          loss: ([Double]) -> (value: Double, gradient: [Double])) throws -> (values: [Double], gradient: GraphTensors) {
        let alpha = process.schedule.alpha(at: timestep), width = process.featureWidth
        let values = (0 ..< layout.graphCount).map { alpha * Double(z.features[$0 * width]) }
        let (_, df) = loss(values)
        var gradient = GraphTensors(positions: [Float](repeating: 0, count: z.positions.count),
                                    features: [Float](repeating: 0, count: z.features.count))
        for g in values.indices { gradient.features[g * width] = Float(df[g] * alpha) }
        return (values, gradient)
    }
}
