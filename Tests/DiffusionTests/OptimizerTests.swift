import Foundation
import Testing
import TestSupport
@testable import Diffusion

@Suite struct OptimizerTests {
    /// AdamW by hand, in Double, for one parameter over several steps.
    private static func reference(theta: Double, gradients: [Double], c: AdamWConfiguration) -> Double {
        var theta = theta, m = 0.0, v = 0.0, vMax = 0.0
        let lr = Double(c.learningRate), b1 = Double(c.beta1), b2 = Double(c.beta2), wd = Double(c.weightDecay)
        for (k, g) in gradients.enumerated() {
            let step = Double(k + 1)
            theta -= lr * wd * theta
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            vMax = max(vMax, v)
            let second = c.amsgrad ? vMax : v
            let mHat = m / (1 - pow(b1, step))
            theta -= lr * mHat / ((second).squareRoot() / (1 - pow(b2, step)).squareRoot() + Double(c.epsilon))
        }
        return theta
    }

    @Test(arguments: [false, true])
    func adamWMatchesHandComputedSteps(amsgrad: Bool) {
        let c = AdamWConfiguration(learningRate: 0.01, weightDecay: 0.1, amsgrad: amsgrad)
        // Gradients that shrink, so amsgrad's running max matters.
        let gradients: [[Float]] = [[1.0, -2.0, 0.5], [0.1, 0.3, -0.5], [0.01, -0.02, 0.0], [0.5, 0.5, 0.5]]
        var parameters: [Float] = [0.5, -1.0, 2.0]
        let start = parameters
        var state = AdamWState(parameterCount: 3, amsgrad: amsgrad)
        for g in gradients { AdamW.update(&parameters, gradient: g, state: &state, configuration: c) }
        let expected = (0 ..< 3).map { i in
            Self.reference(theta: Double(start[i]), gradients: gradients.map { Double($0[i]) }, c: c)
        }
        #expect(state.step == 4)
        expectClose(parameters, expected, tolerance: 1e-6, "AdamW against the reference")
    }

    @Test func firstAdamStepMovesByTheLearningRate() {
        // With bias correction the first step is lr · g/|g| (up to ε).
        var parameters: [Float] = [1, 1]
        var state = AdamWState(parameterCount: 2, amsgrad: true)
        AdamW.update(&parameters, gradient: [3, -0.2], state: &state,
                     configuration: AdamWConfiguration(learningRate: 0.1, weightDecay: 0))
        expectClose(parameters, [0.9, 1.1], tolerance: 1e-6)
    }

    @Test func weightDecayIsDecoupled() {
        // A zero gradient still shrinks θ by the factor (1 − lr λ).
        var parameters: [Float] = [2]
        var state = AdamWState(parameterCount: 1, amsgrad: false)
        AdamW.update(&parameters, gradient: [0], state: &state,
                     configuration: AdamWConfiguration(learningRate: 0.1, weightDecay: 0.5, amsgrad: false))
        #expect(abs(parameters[0] - 2 * (1 - 0.05)) < 1e-6)
    }

    @Test func emaFollowsTheClosedForm() throws {
        var ema = try ExponentialMovingAverage(decay: 0.9, initialWeights: [0, 10])
        for _ in 0 ..< 5 { ema.update(with: [1, 0]) }
        // θ_ema = θ + β^k (θ_0 − θ)
        let decayed: Double = pow(0.9, 5)
        let expected: [Double] = [1 - decayed, 10 * decayed]
        expectClose(ema.weights, expected, tolerance: 1e-5)
        #expect(throws: DiffusionError.invalidConfiguration("EMA decay must be in [0, 1), got 1.0")) {
            try ExponentialMovingAverage(decay: 1, initialWeights: [])
        }
    }

    @Test func clippingFollowsEDMsRule() throws {
        var clipper = try AdaptiveGradientClipper(capacity: 4, initialNorm: 3000)
        var queue: [Double] = [3000]
        func limit(_ q: [Double]) -> Double {
            let mean = q.reduce(0, +) / Double(q.count)
            let std = (q.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(q.count)).squareRoot()
            return 1.5 * mean + 2 * std
        }
        // Norms 5 (as [3, 4]) then 10, 20, 30, 40, and a spike of 10⁶.
        for scale: Float in [1, 2, 4, 6, 8, 200_000] {
            var gradient: [Float] = [3 * scale, 4 * scale]
            let norm = 5 * Double(scale)
            let allowed = limit(queue)
            let report = clipper.clip(&gradient)
            #expect(abs(report.maximumNorm - allowed) < 1e-9 * allowed)
            #expect(abs(report.norm - norm) < 1e-6 * norm)
            let after = (Double(gradient[0]) * Double(gradient[0]) + Double(gradient[1]) * Double(gradient[1])).squareRoot()
            if norm > allowed {
                #expect(report.clipped)
                #expect(abs(after - allowed) < 1e-4 * allowed, "clipped to \(after), allowed \(allowed)")
            } else {
                #expect(!report.clipped)
                #expect(abs(after - norm) < 1e-6 * norm)
            }
            queue.append(norm > allowed ? allowed : norm)
            if queue.count > 4 { queue.removeFirst() }
            #expect(clipper.history == queue)
        }
        #expect(clipper.history.count == 4 && !clipper.history.contains(3000))
    }
}
