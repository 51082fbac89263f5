import Foundation

/// EDM's fixed polynomial schedule, "polynomial_2" for power 2 (Hoogeboom et
/// al. 2022, appendix B): on the T + 1 points u_t = t/T, t = 0 … T (EDM writes
/// them as linspace(0, T+1, T+1)/(T+1)),
///
///     ᾱ_i = (1 − u_i^power)²,
///
/// then every step ratio ᾱ_i / ᾱ_{i−1} (with ᾱ_{−1} = 1) is clipped to
/// [0.001, 1] and the ratios are multiplied back up (EDM's
/// clip_noise_schedule, for stable sampling near t = T), and finally
/// ᾱ ← (1 − 2s) ᾱ + s with precision s (1e-5 for QM9) keeps ᾱ in (0, 1).
public struct PolynomialSchedule: NoiseSchedule, Equatable {
    public let power: Double
    public let precision: Double
    public let table: ScheduleTable

    /// The smallest allowed step ratio ᾱ_t / ᾱ_{t−1} (EDM: 0.001).
    public static let minimumStepRatio = 0.001

    public init(timesteps: Int, power: Double = 2, precision: Double = 1e-5) throws {
        guard timesteps >= 1 else { throw DiffusionError.invalidSchedule("T must be ≥ 1, got \(timesteps)") }
        guard power.isFinite, power > 0 else { throw DiffusionError.invalidSchedule("power must be > 0, got \(power)") }
        guard precision.isFinite, precision > 0, precision < 0.5 else {
            throw DiffusionError.invalidSchedule("precision must be in (0, 0.5), got \(precision)")
        }
        let count = timesteps + 1
        // ᾱ before clipping: `[T + 1]`, u_i = i / T.
        var raw = [Double](repeating: 0, count: count)
        for i in 0 ..< count {
            let u = Double(i) / Double(count - 1)
            let a = 1 - Foundation.pow(u, power)
            raw[i] = a * a
        }
        // clip_noise_schedule: clip each step ratio, then cumulative product.
        var clipped = [Double](repeating: 0, count: count)
        var previous = 1.0, product = 1.0
        for i in 0 ..< count {
            let ratio = min(max(raw[i] / previous, Self.minimumStepRatio), 1)
            product *= ratio
            clipped[i] = product
            previous = raw[i]
        }
        let scale = 1 - 2 * precision
        self.power = power
        self.precision = precision
        self.table = try ScheduleTable(alphaBar: clipped.map { scale * $0 + precision })
    }
}
