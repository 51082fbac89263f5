/// A scalar per graph of a diffusion state, f(z_t, t), with its gradient in z: what gradient
/// guidance needs of a property model. `NoiseAwareRegressor` (an `EGNNRegressor` with its
/// weights) is one; tests use closed forms.
public protocol DifferentiableGraphProperty {
    /// f(z, t) per graph `[graphs]`, and ∂L/∂z (positions `[N, 3]`, features `[N, F]`) for the
    /// L = `loss`(f) returns with ∂L/∂f `[graphs]`.
    func valueAndGradient(at z: GraphTensors, timestep: Int, layout: GraphLayout, process: DiffusionProcess,
                          loss: ([Double]) -> (value: Double, gradient: [Double])) throws -> (values: [Double], gradient: GraphTensors)
}

/// An `EGNNRegressor` at given weights as a property of diffusion states: its time input is
/// t/T of the process, so the weights should be a noise-aware model's (trained on z_t at random t).
public struct NoiseAwareRegressor: DifferentiableGraphProperty {
    public let regressor: EGNNRegressor
    public let parameters: [Float]

    public init(regressor: EGNNRegressor, parameters: [Float]) throws {
        guard parameters.count == regressor.parameterCount else {
            throw DiffusionError.invalidConfiguration("\(parameters.count) weights for a regressor of \(regressor.parameterCount)")
        }
        self.regressor = regressor
        self.parameters = parameters
    }

    public func valueAndGradient(at z: GraphTensors, timestep: Int, layout: GraphLayout, process: DiffusionProcess,
                                 loss: ([Double]) -> (value: Double, gradient: [Double])) throws -> (values: [Double], gradient: GraphTensors) {
        guard process.featureWidth == regressor.featureWidth else {
            throw DiffusionError.invalidConfiguration(
                "the property model reads \(regressor.featureWidth) node features; the diffusion model has \(process.featureWidth)")
        }
        let input = DenoiserInput(layout: layout, positions: z.positions, features: z.features,
                                  time: [Float](repeating: Float(timestep) / Float(process.timesteps), count: layout.graphCount))
        var parameterGradient = [Float](repeating: 0, count: regressor.parameterCount)
        var gradient = GraphTensors()
        var values: [Double] = []
        _ = regressor.lossAndGradient(input, parameters: parameters, gradient: &parameterGradient, inputGradient: &gradient) { y in
            values = y
            return loss(y)
        }
        return (values, gradient)
    }
}
