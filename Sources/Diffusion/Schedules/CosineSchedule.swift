import Foundation

/// The cosine schedule (Nichol & Dhariwal 2021, eq. 17) as EDM builds it:
/// f(u) = cos²((u + s)/(1 + s) · π/2) on T + 2 points u_i = i/(T + 1)
/// (EDM: linspace(0, T+2, T+2)/(T+2)), normalised by f(0); the step betas
/// β_i = 1 − f(u_{i+1})/f(u_i) are clipped to [0, 0.999] and
/// ᾱ_t = Π_{i ≤ t} (1 − β_i) for t = 0 … T.
public struct CosineSchedule: NoiseSchedule, Equatable {
    public let offset: Double
    public let table: ScheduleTable

    /// The largest allowed step beta (Nichol & Dhariwal: 0.999).
    public static let maximumBeta = 0.999

    public init(timesteps: Int, offset: Double = 0.008) throws {
        guard timesteps >= 1 else { throw DiffusionError.invalidSchedule("T must be ≥ 1, got \(timesteps)") }
        guard offset.isFinite, offset >= 0 else { throw DiffusionError.invalidSchedule("offset must be ≥ 0, got \(offset)") }
        let points = timesteps + 2
        func f(_ i: Int) -> Double {
            let u = Double(i) / Double(points - 1)
            let c = Foundation.cos((u + offset) / (1 + offset) * Double.pi * 0.5)
            return c * c
        }
        let f0 = f(0)
        var alphaBar = [Double](repeating: 0, count: timesteps + 1)
        var product = 1.0
        for t in 0 ... timesteps {
            let beta = min(max(1 - (f(t + 1) / f0) / (f(t) / f0), 0), Self.maximumBeta)
            product *= 1 - beta
            alphaBar[t] = product
        }
        self.offset = offset
        self.table = try ScheduleTable(alphaBar: alphaBar)
    }
}
