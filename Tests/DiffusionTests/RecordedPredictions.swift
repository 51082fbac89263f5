import Foundation
import Testing
@testable import Diffusion

/// EGNN predictions and gradients recorded by an earlier build, to show that later
/// changes leave a model's numbers alone. `Fixtures/egnn-before-pooling.json` holds the
/// numbers of the code before the EGNN had global pooling (commit a441848), made by
/// `scripts/reference/egnn_before_pooling.sh`, which runs that commit's code; the tests only
/// read it. The configurations in it are in that commit's JSON form (no `globalPooling` key).
struct RecordedPrediction: Codable {
    var name: String
    var configuration: EGNNConfiguration
    var nodeCounts: [Int]
    var batchSeed: UInt64, parameterSeed: UInt64, probeSeed: UInt64
    /// Float bit patterns: ε̂_x `[N, 3]`, ε̂_h `[N, F]`, ∂L/∂θ `[P]` for L = ⟨a, ε̂_x⟩ + ⟨b, ε̂_h⟩.
    var positions: [UInt32], features: [UInt32], gradient: [UInt32]

    static let fixture = "egnn-before-pooling.json"

    /// The cases recorded (a molecule-like and a point-cloud-like model), with seeds
    /// 100 + 10 k + (1, 2, 3) for case k.
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
