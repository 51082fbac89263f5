import Foundation

/// Where a sampler of K steps spends its denoiser calls among t = T … 0.
///
/// The fine geometry of a graph (bond lengths) forms at the low-noise end, so
/// a short chain does better with its steps crowded there than spread evenly:
/// `power(ρ)` with ρ > 1 or `logSNR` (uniform in λ = log α/σ, which for EDM's
/// polynomial schedule puts about half the steps below t = T/10).
public enum TimestepGrid: Sendable, Equatable, Hashable {
    /// t_k = round(k T / K), DDIM's strided grid.
    case uniform
    /// t_k = round(T (k / K)^ρ): ρ = 1 is `uniform`; larger ρ crowds the steps at low t.
    case power(Double)
    /// λ_k uniform from λ_T to λ_0, each at the timestep whose λ is nearest.
    case logSNR

    /// K + 1 strictly decreasing timesteps from T to `stop` (0, or the early stop t0 of
    /// `ConditionalTraining`, where the last call decodes) for K = `steps` in 1 … T − stop:
    /// the grid on t0 … T instead of 0 … T. Rounding may put two steps of a crowded end on
    /// one timestep; such steps are moved apart by one timestep each, from the stop up.
    public func timesteps(steps: Int, schedule: any NoiseSchedule, stop: Int = 0) throws -> [Int] {
        let total = schedule.timesteps
        guard (0 ..< total).contains(stop) else {
            throw DiffusionError.invalidConfiguration("the chain's stop t0 must be in 0 … T − 1 = \(total - 1), got \(stop)")
        }
        let span = total - stop
        guard (1 ... span).contains(steps) else {
            throw DiffusionError.invalidConfiguration(
                stop == 0 ? "sampling steps must be in 1 … T = \(total), got \(steps)"
                          : "sampling steps must be in 1 … T − t0 = \(span) (stopping at t0 = \(stop)), got \(steps)")
        }
        var ascending: [Int]
        switch self {
        case .uniform:
            ascending = (0 ... steps).map { k in stop + Int((Double(k) * Double(span) / Double(steps)).rounded()) }
        case .power(let rho):
            guard rho.isFinite, rho > 0 else {
                throw DiffusionError.invalidConfiguration("a power grid needs an exponent > 0, got \(rho)")
            }
            ascending = (0 ... steps).map { k in stop + Int((Double(span) * Foundation.pow(Double(k) / Double(steps), rho)).rounded()) }
        case .logSNR:
            ascending = Self.logSNRTimesteps(steps: steps, schedule: schedule, stop: stop)
        }
        ascending[0] = stop
        for k in 1 ... steps where ascending[k] <= ascending[k - 1] { ascending[k] = ascending[k - 1] + 1 }
        // Pushed up, the steps near T may pass it: pull them down again from T.
        ascending[steps] = total
        for k in stride(from: steps - 1, through: 0, by: -1) where ascending[k] >= ascending[k + 1] {
            ascending[k] = ascending[k + 1] - 1
        }
        return ascending.reversed()
    }

    /// Ascending timesteps from `stop`, each the one whose λ = −γ/2 is nearest to
    /// λ_T + (k/K)(λ_stop − λ_T).
    private static func logSNRTimesteps(steps: Int, schedule: any NoiseSchedule, stop: Int) -> [Int] {
        let total = schedule.timesteps
        let top = -schedule.gamma(at: total) / 2, bottom = -schedule.gamma(at: stop) / 2
        var result: [Int] = []
        var t = total
        for k in stride(from: steps, through: 0, by: -1) {
            // λ falls as t grows; walk t down from the previous step to the nearest λ.
            let target = top + Double(steps - k) / Double(steps) * (bottom - top)
            while t > stop && abs(-schedule.gamma(at: t - 1) / 2 - target) <= abs(-schedule.gamma(at: t) / 2 - target) { t -= 1 }
            result.append(t)
        }
        return result.reversed()
    }
}

extension TimestepGrid: CustomStringConvertible {
    /// "uniform", "log-snr" or "power:ρ", the form `init(parsing:)` reads.
    public var description: String {
        switch self {
        case .uniform: "uniform"
        case .logSNR: "log-snr"
        case .power(let rho): "power:" + (rho == rho.rounded() ? String(Int(rho)) : String(rho))
        }
    }

    /// Reads "uniform", "log-snr" or "power:ρ" (e.g. "power:2"); nil otherwise.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "uniform": self = .uniform
        case "log-snr", "logsnr": self = .logSNR
        default:
            let parts = text.lowercased().split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "power", let rho = Double(parts[1]), rho.isFinite, rho > 0 else { return nil }
            self = .power(rho)
        }
    }
}
