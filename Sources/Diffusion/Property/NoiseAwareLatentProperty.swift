import Foundation

/// A `LatentPropertyNetwork` at given weights as a property of the latent prior's states: one
/// scalar per one-node graph (a latent z_t, its features), with its gradient in z_t. Its time
/// input is t/T of the process, so the weights should be a noise-aware model's.
///
/// `readout` picks the scalar: output 0 of a regressor (standardised units), or log p(c | z_t) =
/// y_c − log Σ_k exp y_k of a classifier's logits, whose gradient is Σ_k (δ_kc − p_k) ∇y_k.
public struct NoiseAwareLatentProperty: DifferentiableGraphProperty {
    public enum Readout: Sendable, Equatable {
        /// Output 0 (a regressor's single output).
        case value
        /// log p(class | z_t) of a classifier's logits.
        case logProbability(class: Int)
    }

    public let network: LatentPropertyNetwork
    public let parameters: [Float]
    public let readout: Readout

    public init(network: LatentPropertyNetwork, parameters: [Float], readout: Readout) throws {
        guard parameters.count == network.parameterCount else {
            throw DiffusionError.invalidConfiguration("\(parameters.count) weights for a latent property network of \(network.parameterCount)")
        }
        switch readout {
        case .value:
            guard network.outputs == 1 else {
                throw DiffusionError.invalidConfiguration("a value reads a regressor's one output; this network has \(network.outputs)")
            }
        case let .logProbability(c):
            guard network.outputs >= 2, (0 ..< network.outputs).contains(c) else {
                throw DiffusionError.invalidConfiguration("class \(c) of a network with \(network.outputs) outputs")
            }
        }
        self.network = network
        self.parameters = parameters
        self.readout = readout
    }

    /// f(z_t, t) per latent `[graphs]` and ∂L/∂z: features `[graphs, Z]`, positions zeros `[graphs, 3]`.
    public func valueAndGradient(at z: GraphTensors, timestep: Int, layout: GraphLayout, process: DiffusionProcess,
                                 loss: ([Double]) -> (value: Double, gradient: [Double])) throws -> (values: [Double], gradient: GraphTensors) {
        let width = network.latentWidth, graphs = layout.graphCount, k = network.outputs
        guard process.featureWidth == width else {
            throw DiffusionError.invalidConfiguration("the latent property model reads latents of width \(width); the prior's are \(process.featureWidth)")
        }
        guard layout.nodeCount == graphs else {
            throw DiffusionError.invalidConfiguration("a latent property model reads one-node graphs (latents); got \(layout.nodeCount) nodes in \(graphs) graphs")
        }
        let time = [Float](repeating: Float(timestep) / Float(process.timesteps), count: graphs)
        var parameterGradient = [Float](repeating: 0, count: network.parameterCount)
        var values: [Double] = []
        let (_, dz) = network.lossAndGradient(z.features, time: time, parameters: parameters, gradient: &parameterGradient,
                                              inputGradient: true) { y in
            // f: [graphs]; ∂L/∂y: [graphs, K] from ∂L/∂f through the read-out.
            var dy = [Float](repeating: 0, count: y.count)
            switch readout {
            case .value:
                values = y.map(Double.init)
                let (value, df) = loss(values)
                for g in 0 ..< graphs { dy[g] = Float(df[g]) }
                return (value, dy)
            case let .logProbability(c):
                let logP = SoftmaxCrossEntropy.logProbabilities(y, classes: k)
                values = (0 ..< graphs).map { logP[$0 * k + c] }
                let (value, df) = loss(values)
                for g in 0 ..< graphs {
                    for j in 0 ..< k { dy[g * k + j] = Float(df[g] * ((j == c ? 1 : 0) - exp(logP[g * k + j]))) }
                }
                return (value, dy)
            }
        }
        return (values, GraphTensors(positions: [Float](repeating: 0, count: 3 * graphs), features: dz))
    }
}
