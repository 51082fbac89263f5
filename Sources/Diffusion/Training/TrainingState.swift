/// Settings of a training run that stay fixed across its steps.
public struct TrainerConfiguration: Sendable, Codable, Equatable {
    public var optimizer: AdamWConfiguration
    /// EMA decay β (EDM: 0.999); 0 turns the EMA off.
    public var emaDecay: Float
    /// EDM's adaptive gradient clipping on or off (EDM: on).
    public var clipsGradients: Bool
    public var batchSize: Int
    /// Seeds parameter initialisation, t and ε draws, and the data order.
    public var seed: UInt64

    public init(optimizer: AdamWConfiguration = AdamWConfiguration(), emaDecay: Float = 0.999,
                clipsGradients: Bool = true, batchSize: Int = 64, seed: UInt64 = 0) {
        self.optimizer = optimizer
        self.emaDecay = emaDecay
        self.clipsGradients = clipsGradients
        self.batchSize = batchSize
        self.seed = seed
    }

    private enum CodingKeys: String, CodingKey { case optimizer, emaDecay, clipsGradients, batchSize, seed }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        optimizer = try c.decode(AdamWConfiguration.self, forKey: .optimizer)
        emaDecay = try c.decode(Float.self, forKey: .emaDecay)
        clipsGradients = try c.decode(Bool.self, forKey: .clipsGradients)
        batchSize = try c.decode(Int.self, forKey: .batchSize)
        // Hexadecimal text: JSON numbers lose 64-bit integers in many readers.
        let text = try c.decode(String.self, forKey: .seed)
        guard let value = UInt64(text, radix: 16) else {
            throw DecodingError.dataCorruptedError(forKey: .seed, in: c, debugDescription: "seed \(text) is not hexadecimal")
        }
        seed = value
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(optimizer, forKey: .optimizer)
        try c.encode(emaDecay, forKey: .emaDecay)
        try c.encode(clipsGradients, forKey: .clipsGradients)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(String(seed, radix: 16), forKey: .seed)
    }
}

/// A summary of the losses seen so far, kept in checkpoints.
public struct TrainingHistory: Sendable, Codable, Equatable {
    /// Mean loss of each completed epoch.
    public var epochMeanLosses: [Double] = []
    /// Loss sum and step count of the epoch under way.
    public var currentEpochLossSum: Double = 0
    public var currentEpochSteps: Int = 0
    /// The most recent losses, oldest first (at most `recentCapacity`).
    public var recentLosses: [Double] = []
    /// Steps whose gradient was clipped.
    public var clippedSteps: Int = 0

    public static let recentCapacity = 100

    public init() {}

    mutating func record(loss: Double, clipped: Bool, finishedEpoch: Bool) {
        currentEpochLossSum += loss
        currentEpochSteps += 1
        recentLosses.append(loss)
        if recentLosses.count > Self.recentCapacity { recentLosses.removeFirst() }
        if clipped { clippedSteps += 1 }
        if finishedEpoch {
            epochMeanLosses.append(currentEpochLossSum / Double(currentEpochSteps))
            currentEpochLossSum = 0
            currentEpochSteps = 0
        }
    }
}

/// Everything a run needs to continue exactly where it stopped.
public struct TrainingState: Sendable, Equatable {
    /// θ: `[parameterCount]`.
    public var parameters: [Float]
    public var optimizer: AdamWState
    /// θ_ema, nil when the EMA is off.
    public var ema: ExponentialMovingAverage?
    public var clipper: AdaptiveGradientClipper
    /// Draws t and ε.
    public var generator: Xoshiro256StarStar
    public var batches: BatchSampler
    public var history: TrainingHistory

    /// Optimiser steps taken.
    public var step: Int { optimizer.step }

    /// A run that starts at `parameters`: a fresh AdamW state, the EMA (when `configuration`
    /// keeps one) starting at them, a fresh clipper, `generator` for t and ε, and the seeded
    /// order of `datasetSize` examples.
    public static func starting(at parameters: [Float], configuration: TrainerConfiguration, datasetSize: Int,
                                generator: Xoshiro256StarStar) throws -> TrainingState {
        TrainingState(
            parameters: parameters,
            optimizer: AdamWState(parameterCount: parameters.count, amsgrad: configuration.optimizer.amsgrad),
            ema: configuration.emaDecay > 0
                ? try ExponentialMovingAverage(decay: configuration.emaDecay, initialWeights: parameters) : nil,
            clipper: try AdaptiveGradientClipper(),
            generator: generator,
            batches: try BatchSampler(datasetSize: datasetSize, batchSize: configuration.batchSize, seed: configuration.seed),
            history: TrainingHistory())
    }
}

/// What one training step saw.
public struct TrainingStepReport: Sendable, Equatable {
    public var step: Int
    public var epoch: Int
    public var loss: Double
    /// Gradient norm before clipping (0 when clipping is off and not measured).
    public var gradientNorm: Double
    public var clipped: Bool
}
