import Foundation
import Testing
@testable import Diffusion

/// Helpers for the schedule, sampler and training tests (prefixed names keep
/// them apart from other suites in this target).
enum TrainingTestSupport {
    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    static func variance(_ values: [Double]) -> Double {
        let m = mean(values)
        return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
    }

    static func fixtureURL(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
                     "missing fixture \(name)")
    }

    static func polynomialProcess(timesteps: Int = 1000, featureWidth: Int = 2, divisor: Float = 1,
                                  symmetry: Symmetry = .euclidean,
                                  positionSubspace: PositionSubspace = .zeroCenterOfMass) throws -> DiffusionProcess {
        DiffusionProcess(schedule: try PolynomialSchedule(timesteps: timesteps),
                         scaling: try FeatureScaling(blocks: [.init(width: featureWidth, divisor: divisor)]),
                         symmetry: symmetry, positionSubspace: positionSubspace)
    }
}

/// A tiny denoiser, linear in its 2 + F² + 2F parameters θ = [a, b, W, u, c],
/// with an analytic gradient:
///
///     ε̂_x,i = (a + b t)(z_x,i − mean_g z_x)      (equivariant, zero mean)
///     ε̂_h,i = W z_h,i + t u + c
final class LinearTestDenoiser: Denoiser {
    let featureWidth: Int
    let conditionWidth = 0
    let symmetry: Symmetry

    init(featureWidth: Int, symmetry: Symmetry = .euclidean) {
        self.featureWidth = featureWidth
        self.symmetry = symmetry
    }

    var parameterCount: Int { 2 + featureWidth * featureWidth + 2 * featureWidth }

    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        (0 ..< parameterCount).map { _ in Float(0.1 * generator.nextStandardNormal()) }
    }

    func predict(_ input: DenoiserInput, parameters: [Float]) -> DenoiserOutput {
        let f = featureWidth, w0 = 2, u0 = 2 + f * f, c0 = u0 + f
        var centred = input.positions
        CenterOfMass.remove(from: &centred, layout: input.layout)
        var out = DenoiserOutput(positions: centred, features: [Float](repeating: 0, count: input.features.count))
        for g in 0 ..< input.layout.graphCount {
            let t = input.time[g]
            for i in input.layout.nodes(ofGraph: g) {
                for d in 0 ..< 3 { out.positions[3 * i + d] *= parameters[0] + parameters[1] * t }
                for j in 0 ..< f {
                    var sum = parameters[u0 + j] * t + parameters[c0 + j]
                    for k in 0 ..< f { sum += parameters[w0 + j * f + k] * input.features[i * f + k] }
                    out.features[i * f + j] = sum
                }
            }
        }
        return out
    }

    func lossAndGradient(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
                         loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)) -> Double {
        let f = featureWidth, w0 = 2, u0 = 2 + f * f, c0 = u0 + f
        let (value, g) = loss(predict(input, parameters: parameters))
        var centred = input.positions
        CenterOfMass.remove(from: &centred, layout: input.layout)
        for graph in 0 ..< input.layout.graphCount {
            let t = input.time[graph]
            for i in input.layout.nodes(ofGraph: graph) {
                for d in 0 ..< 3 {
                    let product = g.positions[3 * i + d] * centred[3 * i + d]
                    gradient[0] += product
                    gradient[1] += t * product
                }
                for j in 0 ..< f {
                    let gj = g.features[i * f + j]
                    for k in 0 ..< f { gradient[w0 + j * f + k] += gj * input.features[i * f + k] }
                    gradient[u0 + j] += t * gj
                    gradient[c0 + j] += gj
                }
            }
        }
        return value
    }
}

/// The exact ε-predictor for data x ~ N(μ, s²) per component (positions:
/// μ = 0 in the zero-CoM subspace): ε̂ = σ_t (z − α_t μ) / (α_t² s² + σ_t²).
final class GaussianOracleDenoiser: Denoiser {
    let schedule: any NoiseSchedule
    let featureMean: [Float]
    let positionScale: Double
    let featureScale: Double
    let symmetry: Symmetry = .euclidean
    /// Condition rows it is given and ignores (0: unconditional).
    let conditionWidth: Int
    let parameterCount = 0
    var featureWidth: Int { featureMean.count }

    init(schedule: any NoiseSchedule, featureMean: [Float], positionScale: Double, featureScale: Double, conditionWidth: Int = 0) {
        self.schedule = schedule
        self.conditionWidth = conditionWidth
        self.featureMean = featureMean
        self.positionScale = positionScale
        self.featureScale = featureScale
    }

    func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] { [] }

    func predict(_ input: DenoiserInput, parameters: [Float]) -> DenoiserOutput {
        let f = featureWidth
        var out = DenoiserOutput(positions: input.positions, features: input.features)
        for g in 0 ..< input.layout.graphCount {
            let t = Int((Double(input.time[g]) * Double(schedule.timesteps)).rounded())
            let a = schedule.alpha(at: t), s = schedule.sigma(at: t)
            let cx = s / (a * a * positionScale * positionScale + s * s)
            let ch = s / (a * a * featureScale * featureScale + s * s)
            for i in input.layout.nodes(ofGraph: g) {
                for d in 0 ..< 3 { out.positions[3 * i + d] = Float(cx * Double(input.positions[3 * i + d])) }
                for j in 0 ..< f {
                    out.features[i * f + j] = Float(ch * (Double(input.features[i * f + j]) - a * Double(featureMean[j])))
                }
            }
        }
        return out
    }

    func lossAndGradient(_ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
                         loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)) -> Double {
        loss(predict(input, parameters: parameters)).value
    }
}

/// Graphs held in memory: one entry per graph.
struct InMemoryGraphs: GraphDataSource {
    var positions: [[Float]]
    var features: [[Float]]
    var weights: [Float]?

    var count: Int { positions.count }

    func batch(at indices: [Int]) throws -> GraphBatch {
        GraphBatch(layout: GraphLayout(nodeCounts: indices.map { positions[$0].count / 3 }),
                   positions: indices.flatMap { positions[$0] }, features: indices.flatMap { features[$0] },
                   weights: weights.map { w in indices.map { w[$0] } })
    }

    /// `count` random graphs of `minimumNodes` … `minimumNodes` + 3 nodes:
    /// Gaussian positions, one-hot features of width `width`.
    static func random(count: Int, width: Int, seed: UInt64, minimumNodes: Int = 3) -> InMemoryGraphs {
        var generator = Xoshiro256StarStar(seed: seed)
        var positions: [[Float]] = [], features: [[Float]] = []
        for _ in 0 ..< count {
            let n = minimumNodes + Int(generator.next(upperBound: UInt64(4)))
            var x = [Float](repeating: 0, count: 3 * n)
            generator.fillStandardNormal(&x)
            var h = [Float](repeating: 0, count: n * width)
            for i in 0 ..< n { h[i * width + Int(generator.next(upperBound: UInt64(width)))] = 1 }
            positions.append(x)
            features.append(h)
        }
        return InMemoryGraphs(positions: positions, features: features, weights: nil)
    }
}
