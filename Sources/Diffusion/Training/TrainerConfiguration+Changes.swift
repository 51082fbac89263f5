extension TrainerConfiguration {
    /// Optimisation settings given anew when a saved run resumes (fine-tuning
    /// at a lower learning rate, a longer EMA); nil keeps the checkpoint's.
    /// The batch size and seed fix the data order and the random draws of a
    /// run, so they cannot change.
    public struct Changes: Sendable, Equatable {
        public var learningRate: Float?
        public var weightDecay: Float?
        public var emaDecay: Float?
        public var clipsGradients: Bool?

        public init(learningRate: Float? = nil, weightDecay: Float? = nil, emaDecay: Float? = nil,
                    clipsGradients: Bool? = nil) {
            self.learningRate = learningRate
            self.weightDecay = weightDecay
            self.emaDecay = emaDecay
            self.clipsGradients = clipsGradients
        }
    }

    /// This configuration with `changes` applied, and one line per setting
    /// that differs ("learning rate 0.0003 → 0.0001"), for logs.
    public func applying(_ changes: Changes) -> (configuration: TrainerConfiguration, descriptions: [String]) {
        var result = self, descriptions: [String] = []
        func change<Value: Equatable>(_ name: String, _ path: WritableKeyPath<TrainerConfiguration, Value>, to value: Value?) {
            guard let value, value != result[keyPath: path] else { return }
            descriptions.append("\(name) \(result[keyPath: path]) → \(value)")
            result[keyPath: path] = value
        }
        change("learning rate", \.optimizer.learningRate, to: changes.learningRate)
        change("weight decay", \.optimizer.weightDecay, to: changes.weightDecay)
        change("EMA decay", \.emaDecay, to: changes.emaDecay)
        change("gradient clipping", \.clipsGradients, to: changes.clipsGradients)
        return (result, descriptions)
    }
}
