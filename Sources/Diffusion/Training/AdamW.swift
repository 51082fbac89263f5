import Foundation

/// Hyper-parameters of AdamW. Defaults are EDM's (lr 1e-4 in its QM9 runs,
/// weight decay 1e-12, amsgrad on) with PyTorch's betas and epsilon.
public struct AdamWConfiguration: Sendable, Codable, Equatable {
    public var learningRate: Float = 1e-4
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 1e-12
    public var amsgrad: Bool = true

    public init(learningRate: Float = 1e-4, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 1e-12, amsgrad: Bool = true) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
    }

    /// Throws when a value is out of range.
    public func validate() throws {
        guard learningRate.isFinite, learningRate > 0 else {
            throw DiffusionError.invalidConfiguration("learning rate must be > 0, got \(learningRate)")
        }
        guard (0 ..< 1).contains(beta1), (0 ..< 1).contains(beta2) else {
            throw DiffusionError.invalidConfiguration("betas must be in [0, 1), got \(beta1), \(beta2)")
        }
        guard epsilon.isFinite, epsilon > 0 else {
            throw DiffusionError.invalidConfiguration("epsilon must be > 0, got \(epsilon)")
        }
        guard weightDecay.isFinite, weightDecay >= 0 else {
            throw DiffusionError.invalidConfiguration("weight decay must be ≥ 0, got \(weightDecay)")
        }
    }
}

/// The optimiser state: moments m, v, running max of v (amsgrad), and the
/// number of steps taken. All vectors `[parameterCount]`.
public struct AdamWState: Sendable, Equatable {
    public var step: Int
    public var m: [Float]
    public var v: [Float]
    /// Running maximum of v; empty when amsgrad is off.
    public var vMax: [Float]

    public init(parameterCount: Int, amsgrad: Bool) {
        step = 0
        m = [Float](repeating: 0, count: parameterCount)
        v = [Float](repeating: 0, count: parameterCount)
        vMax = amsgrad ? [Float](repeating: 0, count: parameterCount) : []
    }

    public init(step: Int, m: [Float], v: [Float], vMax: [Float]) {
        self.step = step
        self.m = m
        self.v = v
        self.vMax = vMax
    }
}

/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019,
/// Algorithm 2; Kingma & Ba 2015, Algorithm 1), with the amsgrad variant
/// (Reddi et al. 2018) as PyTorch implements it:
///
///     θ ← θ (1 − η λ)
///     m ← β₁ m + (1 − β₁) g;   v ← β₂ v + (1 − β₂) g²;   v̂ ← max(v̂, v)
///     θ ← θ − η / (1 − β₁^k) · m / (√v̂ / √(1 − β₂^k) + ε)
public enum AdamW {
    public static func update(_ parameters: inout [Float], gradient: [Float], state: inout AdamWState,
                              configuration c: AdamWConfiguration) {
        precondition(parameters.count == gradient.count && parameters.count == state.m.count,
                     "parameters \(parameters.count), gradient \(gradient.count), state \(state.m.count)")
        precondition(!c.amsgrad || state.vMax.count == parameters.count,
                     "amsgrad needs vMax of \(parameters.count) values, got \(state.vMax.count)")
        state.step += 1
        let k = Double(state.step)
        let stepSize = Float(Double(c.learningRate) / (1 - Foundation.pow(Double(c.beta1), k)))
        let correction2 = Float((1 - Foundation.pow(Double(c.beta2), k)).squareRoot())
        let decay = 1 - c.learningRate * c.weightDecay
        let b1 = c.beta1, b2 = c.beta2, eps = c.epsilon, amsgrad = c.amsgrad
        // Raw buffers keep the loop free of uniqueness and bounds checks.
        parameters.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeBufferPointer { g in
                state.m.withUnsafeMutableBufferPointer { m in
                    state.v.withUnsafeMutableBufferPointer { v in
                        state.vMax.withUnsafeMutableBufferPointer { vMax in
                            for i in 0 ..< theta.count {
                                let gi = g[i]
                                theta[i] *= decay
                                m[i] = b1 * m[i] + (1 - b1) * gi
                                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                                var second = v[i]
                                if amsgrad {
                                    vMax[i] = max(vMax[i], second)
                                    second = vMax[i]
                                }
                                theta[i] -= stepSize * m[i] / (second.squareRoot() / correction2 + eps)
                            }
                        }
                    }
                }
            }
        }
    }
}
