/// The fixed schedules rgdm offers (a closed choice; the CLI maps it to an
/// option in Pipeline).
public enum ScheduleKind: String, Sendable, Codable, CaseIterable {
    /// EDM's "polynomial_2" (power 2, with `precision`).
    case polynomial2
    /// Nichol & Dhariwal's cosine schedule.
    case cosine

    /// Builds the schedule with T steps; `precision` applies to polynomial2 only
    /// (EDM uses 1e-5 for QM9).
    public func makeSchedule(timesteps: Int, precision: Double = 1e-5) throws -> any NoiseSchedule {
        switch self {
        case .polynomial2: try PolynomialSchedule(timesteps: timesteps, power: 2, precision: precision)
        case .cosine: try CosineSchedule(timesteps: timesteps)
        }
    }
}
