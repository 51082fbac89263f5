import Foundation
import Testing
@testable import Diffusion

/// EGNN predictions and gradients recorded by an earlier build, to show that later
/// changes leave a model's numbers alone. `Fixtures/egnn-before-pooling.json` was
/// written at commit a441848 (before the EGNN had global pooling) by
/// `RGDM_WRITE_FIXTURES=1 swift test --filter RecordedPredictionWriter`; the
/// configurations in it are in that commit's JSON form (no `globalPooling` key).
struct RecordedPrediction: Codable {
    var name: String
    var configuration: EGNNConfiguration
    var nodeCounts: [Int]
    var batchSeed: UInt64, parameterSeed: UInt64, probeSeed: UInt64
    /// Float bit patterns: ε̂_x `[N, 3]`, ε̂_h `[N, F]`, ∂L/∂θ `[P]` for L = ⟨a, ε̂_x⟩ + ⟨b, ε̂_h⟩.
    var positions: [UInt32], features: [UInt32], gradient: [UInt32]

    static let fixture = "egnn-before-pooling.json"

    /// The cases recorded: a molecule-like and a point-cloud-like model.
    static let cases: [(name: String, configuration: EGNNConfiguration, nodeCounts: [Int])] = [
        ("fully connected, euclidean, conditional",
         EGNNConfiguration(featureWidth: 4, conditionWidth: 1, layers: 2, hidden: 8), [3, 6, 5]),
        ("kNN, translation",
         EGNNConfiguration(featureWidth: 2, layers: 2, hidden: 8, symmetry: .translation,
                           connectivity: .nearestNeighbours(k: 3)), [7, 5]),
    ]

    /// Runs the case's model on its batch with the current code.
    init(name: String, configuration c: EGNNConfiguration, nodeCounts: [Int], seeds: (UInt64, UInt64, UInt64)) {
        let egnn = EGNN(c)
        let input = tinyBatch(nodeCounts: nodeCounts, featureWidth: c.featureWidth, conditionWidth: c.conditionWidth,
                              seed: seeds.0)
        let theta = testParameters(egnn, seed: seeds.1)
        let probe = LinearProbe(nodes: input.layout.nodeCount, featureWidth: c.featureWidth, seed: seeds.2)
        let eps = egnn.predict(input, parameters: theta)
        var grad = [Float](repeating: 0, count: egnn.parameterCount)
        _ = egnn.lossAndGradient(input, parameters: theta, gradient: &grad, loss: probe.callAsFunction)
        self.name = name
        configuration = c
        self.nodeCounts = nodeCounts
        (batchSeed, parameterSeed, probeSeed) = seeds
        positions = eps.positions.map(\.bitPattern)
        features = eps.features.map(\.bitPattern)
        gradient = grad.map(\.bitPattern)
    }
}

/// Writes the fixture from the current code; run only on purpose.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["RGDM_WRITE_FIXTURES"] == "1"))
struct RecordedPredictionWriter {
    @Test func writeFixture() throws {
        let records = RecordedPrediction.cases.enumerated().map { index, c in
            let s = UInt64(100 + 10 * index)
            return RecordedPrediction(name: c.name, configuration: c.configuration, nodeCounts: c.nodeCounts,
                                      seeds: (s + 1, s + 2, s + 3))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(RecordedPrediction.fixture)
        try encoder.encode(records).write(to: url, options: .atomic)
    }
}
