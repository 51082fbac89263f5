import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// The reference fixture written by scripts/reference/edm_schedules.py.
private struct ScheduleReference: Decodable {
    struct Transition: Decodable { var s: Int; var t: Int; var alpha: Double; var sigmaSquared: Double }
    struct Entry: Decodable {
        var timesteps: Int
        var t: [Int]
        var alphaBar: [Double]
        var gamma: [Double]
        var alpha: [Double]
        var sigma: [Double]
        var transitions: [Transition]
    }
    struct Forward: Decodable {
        var t: Int
        var positions: [Float]
        var feature: Float
        var meanPositions: [Double]
        var meanFeature: Double
        var variancePositions: Double
        var varianceFeature: Double
    }
    var polynomial2_T1000: Entry
    var polynomial2_T10: Entry
    var cosine_T1000: Entry
    var cosine_T10: Entry
    var forward_polynomial2_T1000: Forward

    static func load() throws -> ScheduleReference {
        let data = try Data(contentsOf: TrainingTestSupport.fixtureURL("schedules.json"))
        return try JSONDecoder().decode(ScheduleReference.self, from: data)
    }
}

@Suite struct ScheduleTests {
    private static func compare(_ schedule: any NoiseSchedule, with entry: ScheduleReference.Entry) {
        #expect(schedule.timesteps == entry.timesteps)
        expectClose(entry.t.map { schedule.alphaBar(at: $0) }, entry.alphaBar, tolerance: 0, relative: 1e-9, "ᾱ_t")
        expectClose(entry.t.map { schedule.gamma(at: $0) }, entry.gamma, tolerance: 0, relative: 1e-9, "γ_t")
        expectClose(entry.t.map { schedule.alpha(at: $0) }, entry.alpha, tolerance: 0, relative: 1e-9, "α_t")
        expectClose(entry.t.map { schedule.sigma(at: $0) }, entry.sigma, tolerance: 0, relative: 1e-9, "σ_t")
        for transition in entry.transitions {
            let (a, s2) = schedule.transition(from: transition.s, to: transition.t)
            #expect(abs(a - transition.alpha) / transition.alpha < 1e-9, "α_{t|s} at \(transition.s) → \(transition.t)")
            #expect(abs(s2 - transition.sigmaSquared) / transition.sigmaSquared < 1e-8,
                    "σ²_{t|s} at \(transition.s) → \(transition.t): \(s2) vs \(transition.sigmaSquared)")
        }
    }

    @Test func polynomialMatchesReference() throws {
        let reference = try ScheduleReference.load()
        Self.compare(try PolynomialSchedule(timesteps: 1000, power: 2, precision: 1e-5), with: reference.polynomial2_T1000)
        Self.compare(try PolynomialSchedule(timesteps: 10), with: reference.polynomial2_T10)
    }

    @Test func cosineMatchesReference() throws {
        let reference = try ScheduleReference.load()
        Self.compare(try CosineSchedule(timesteps: 1000), with: reference.cosine_T1000)
        Self.compare(try CosineSchedule(timesteps: 10), with: reference.cosine_T10)
    }

    @Test(arguments: ScheduleKind.allCases)
    func schedulesAreConsistent(kind: ScheduleKind) throws {
        let schedule = try kind.makeSchedule(timesteps: 50)
        for t in 0 ... 50 {
            let a = schedule.alpha(at: t), s = schedule.sigma(at: t)
            #expect(abs(a * a + s * s - 1) < 1e-12)
            #expect(abs(schedule.signalToNoiseRatio(at: t) - a * a / (s * s)) / (a * a / (s * s)) < 1e-9)
            if t > 0 { #expect(schedule.gamma(at: t) > schedule.gamma(at: t - 1)) }
        }
    }

    @Test func polynomialClipsTheLastStep() throws {
        // Without clipping ᾱ_T would be the precision alone; EDM's clipping
        // keeps ᾱ_T / ᾱ_{T−1} ≥ 0.001 before the precision is applied.
        let s = try PolynomialSchedule(timesteps: 100, precision: 1e-5)
        let unclippedPrevious = (s.alphaBar(at: 99) - 1e-5) / (1 - 2e-5)
        let expectedLast = (1 - 2e-5) * 0.001 * unclippedPrevious + 1e-5
        #expect(abs(s.alphaBar(at: 100) - expectedLast) < 1e-15)
    }

    @Test func invalidSchedulesThrow() {
        #expect(throws: DiffusionError.invalidSchedule("T must be ≥ 1, got 0")) { try PolynomialSchedule(timesteps: 0) }
        #expect(throws: DiffusionError.invalidSchedule("precision must be in (0, 0.5), got 0.0")) {
            try PolynomialSchedule(timesteps: 10, precision: 0)
        }
        #expect(throws: DiffusionError.invalidSchedule("T must be ≥ 1, got -3")) { try CosineSchedule(timesteps: -3) }
        #expect(throws: DiffusionError.invalidSchedule("alpha² increases from t = 0 (0.9) to t = 1 (0.95)")) {
            try ScheduleTable(alphaBar: [0.9, 0.95])
        }
        #expect(throws: DiffusionError.invalidSchedule("alpha²(t = 1) = 0.0 is not in (0, 1)")) { try ScheduleTable(alphaBar: [0.9, 0]) }
        #expect(throws: DiffusionError.invalidSchedule("alpha²(t = 1) = nan is not in (0, 1)")) { try ScheduleTable(alphaBar: [0.9, .nan]) }
    }

    @Test func forwardProcessMatchesReferenceMoments() throws {
        let reference = try ScheduleReference.load().forward_polynomial2_T1000
        let process = try TrainingTestSupport.polynomialProcess(timesteps: 1000, featureWidth: 1)
        let layout = GraphLayout(nodeCounts: [reference.positions.count / 3])
        let x = process.prepare(positions: reference.positions, features: [Float](repeating: reference.feature, count: 4),
                                layout: layout)
        var generator = Xoshiro256StarStar(seed: 7)
        let draws = 20000
        var sums = [Double](repeating: 0, count: 12), squares = [Double](repeating: 0, count: 12)
        var featureValues: [Double] = []
        for _ in 0 ..< draws {
            let noise = process.sampleNoise(layout: layout, using: &generator)
            let z = process.diffuse(x, noise: noise, timesteps: [reference.t], layout: layout)
            for k in 0 ..< 12 {
                sums[k] += Double(z.positions[k]); squares[k] += Double(z.positions[k]) * Double(z.positions[k])
            }
            featureValues.append(contentsOf: z.features.map(Double.init))
        }
        let means = sums.map { $0 / Double(draws) }
        let variances = (0 ..< 12).map { squares[$0] / Double(draws) - means[$0] * means[$0] }
        let standardError = (reference.variancePositions / Double(draws)).squareRoot()
        expectClose(means, reference.meanPositions, tolerance: 5 * standardError, "means of z_x")
        expectClose(variances, [Double](repeating: reference.variancePositions, count: 12), tolerance: 0,
                    relative: 0.05, "variances of z_x")
        #expect(abs(TrainingTestSupport.mean(featureValues) - reference.meanFeature)
                < 5 * (reference.varianceFeature / Double(featureValues.count)).squareRoot())
        #expect(abs(TrainingTestSupport.variance(featureValues) - reference.varianceFeature) < 0.05 * reference.varianceFeature)
    }
}
