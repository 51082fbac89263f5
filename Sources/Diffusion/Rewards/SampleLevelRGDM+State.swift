import Foundation

extension SampleLevelRGDM {
    /// Everything a run needs to continue exactly: the round under way, its weighted
    /// pool, the replay buffer and the generator. Saved as JSON in checkpoints.
    public struct State: Codable, Sendable {
        /// Rounds started so far.
        public var round = 0
        /// Steps taken on the current pool.
        public var stepInRound = 0
        var pool: GraphBatch?
        var replay: Replay?
        /// The node counts the next pool is drawn from, once a round has tilted them.
        public internal(set) var nodeCounts: NodeCountDistribution?
        var generator: StoredGenerator
        /// The settings the state belongs to: a resume with others is refused.
        var settings: Settings

        init(seed: UInt64, settings: Settings) {
            generator = StoredGenerator(Xoshiro256StarStar(seed: seed))
            self.settings = settings
        }

        init(json: String, settings: Settings) throws {
            do {
                self = try JSONDecoder().decode(State.self, from: Data(json.utf8))
            } catch {
                throw DiffusionError.invalidConfiguration("the fine-tuning state in the checkpoint is unreadable: \(error)")
            }
            guard self.settings == settings else {
                throw DiffusionError.invalidConfiguration(
                    "the run was fine-tuned with other settings (\(self.settings)); resume with the same ones")
            }
        }

        func json() throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        }
    }

    /// The best graphs seen so far and their rewards.
    struct Replay: Codable, Sendable {
        var batch: GraphBatch
        var rewards: [Double]
        /// The kept graphs' indices in the pool they came from.
        var indices: [Int]

        /// The `best` graphs of `pool` by reward (ties by position), without weights.
        init(best: Int, of pool: GraphBatch, rewards: [Double]) {
            let order = rewards.indices.sorted { rewards[$0] > rewards[$1] || (rewards[$0] == rewards[$1] && $0 < $1) }
            let kept = Array(order.prefix(best))
            var batch = pool.selecting(graphs: kept)
            batch.weights = nil
            self.batch = batch
            self.rewards = kept.map { rewards[$0] }
            self.indices = kept
        }
    }
}

/// A xoshiro256** state as JSON: hexadecimal words (JSON numbers lose 64-bit integers).
struct StoredGenerator: Codable, Sendable {
    var words: [String]

    init(_ generator: Xoshiro256StarStar) { words = generator.state.map { String($0, radix: 16) } }

    func restored() throws -> Xoshiro256StarStar {
        try Xoshiro256StarStar(state: words.map { UInt64($0, radix: 16) ?? 0 })
    }
}

extension GraphBatch: Codable {
    private enum CodingKeys: String, CodingKey { case nodeCounts, positions, features, condition, weights }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(layout: GraphLayout(nodeCounts: try c.decode([Int].self, forKey: .nodeCounts)),
                  positions: try c.decode([Float].self, forKey: .positions),
                  features: try c.decode([Float].self, forKey: .features),
                  condition: try c.decode([Float].self, forKey: .condition),
                  weights: try c.decodeIfPresent([Float].self, forKey: .weights))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(layout.nodeCounts, forKey: .nodeCounts)
        try c.encode(positions, forKey: .positions)
        try c.encode(features, forKey: .features)
        try c.encode(condition, forKey: .condition)
        try c.encodeIfPresent(weights, forKey: .weights)
    }
}

extension GraphTensors: Codable {
    private enum CodingKeys: String, CodingKey { case positions, features }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(positions: try c.decode([Float].self, forKey: .positions), features: try c.decode([Float].self, forKey: .features))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(positions, forKey: .positions)
        try c.encode(features, forKey: .features)
    }
}

extension GraphLayout: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(nodeCounts: try decoder.singleValueContainer().decode([Int].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(nodeCounts)
    }
}
