import Diffusion
import Foundation

extension SyntheticMolecules {
    /// The molecule sizes the peers draw, round(N(18, 3)) clipped to 9 … 29, as a node-count
    /// distribution: P(k) = Φ((k + ½ − 18)/3) − Φ((k − ½ − 18)/3), the ends taking the tails.
    static func nodeCounts() throws -> NodeCountDistribution {
        func phi(_ x: Double) -> Double { 0.5 * (1 + erf(x / 2.squareRoot())) }
        let counts = Array(9 ... 29)
        let probabilities = counts.map { k in
            (k == 29 ? 1 : phi((Double(k) + 0.5 - 18) / 3)) - (k == 9 ? 0 : phi((Double(k) - 0.5 - 18) / 3))
        }
        return try NodeCountDistribution(counts: counts, probabilities: probabilities)
    }

    /// The card of a freshly initialised QM9-vocabulary EGNN with `layers` × `hidden`: EDM's process
    /// (polynomial_2, T = 1000, precision 1e-5), features [one-hot(H, C, N, O, F) / 4, Z / 10],
    /// the peers' molecule sizes. Its samples decode to molecules as a trained model's do.
    static func card(layers: Int, hidden: Int) throws -> ModelCard {
        ModelCard(domain: .molecules, network: EGNNConfiguration(featureWidth: featureWidth, layers: layers, hidden: hidden),
                  scaling: try scaling(), schedule: .polynomial2, timesteps: 1000, schedulePrecision: 1e-5,
                  nodeCounts: try nodeCounts(), atomicNumbers: [1, 6, 7, 8, 9], includesAtomicNumber: true,
                  dataset: "none (fresh weights)", split: "none")
    }

    /// That model with its initial weights (seeded by `seed`).
    static func freshModel(layers: Int, hidden: Int, threads: Int, seed: UInt64) throws -> TrainedModel {
        let card = try card(layers: layers, hidden: hidden)
        var generator = Xoshiro256StarStar(seed: seed)
        let parameters = try card.makeModel(threads: threads).initialParameters(using: &generator)
        return try TrainedModel(card: card, parameters: parameters, threads: threads,
                                source: "a fresh EGNN, \(layers) layers × hidden \(hidden)")
    }
}
