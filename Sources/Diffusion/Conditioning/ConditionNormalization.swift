import Foundation

/// EDM's normalisation of a conditioning property (Hoogeboom et al. 2022, §4 and
/// `compute_mean_mad`): ĉ = (y − mean) / MAD per property, with the mean and the mean
/// absolute deviation MAD = mean |y − mean| over the training split. The model sees ĉ;
/// targets given in the property's units are normalised the same way, and values are
/// decoded back by y = mean + MAD · ĉ when reported.
public struct ConditionNormalization: Sendable, Codable, Equatable {
    /// Mean of each property: `[properties]`.
    public let means: [Double]
    /// Mean absolute deviation of each property from its mean: `[properties]`, all > 0.
    public let deviations: [Double]

    /// From given means and deviations; throws when they differ in count, are not
    /// finite, or a deviation is not positive.
    public init(means: [Double], deviations: [Double]) throws {
        guard means.count == deviations.count, !means.isEmpty else {
            throw DiffusionError.invalidConfiguration(
                "a condition normalisation needs as many means (\(means.count)) as deviations (\(deviations.count)), at least one")
        }
        for (k, (mean, mad)) in zip(means, deviations).enumerated() where !(mean.isFinite && mad.isFinite && mad > 0) {
            throw DiffusionError.invalidConfiguration(
                "property \(k) has mean \(mean) and mean absolute deviation \(mad); both must be finite, the deviation > 0")
        }
        self.means = means
        self.deviations = deviations
    }

    /// Fitted to `values` (`[samples, properties]` row-major with `properties` columns):
    /// each column's mean and mean absolute deviation. Throws when a value is not finite
    /// or a column is constant (MAD 0).
    public init(fitting values: [Double], properties: Int) throws {
        precondition(properties >= 1 && values.count % properties == 0,
                     "values: \(values.count) for rows of \(properties) properties")
        let rows = values.count / properties
        guard rows >= 1 else { throw DiffusionError.invalidConfiguration("no values to fit a condition normalisation to") }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw DiffusionError.invalidConfiguration("value \(values[bad]) of sample \(bad / properties), property \(bad % properties) is not finite")
        }
        var means = [Double](repeating: 0, count: properties), deviations = means
        for r in 0 ..< rows { for k in 0 ..< properties { means[k] += values[r * properties + k] } }
        for k in 0 ..< properties { means[k] /= Double(rows) }
        for r in 0 ..< rows { for k in 0 ..< properties { deviations[k] += abs(values[r * properties + k] - means[k]) } }
        for k in 0 ..< properties { deviations[k] /= Double(rows) }
        try self.init(means: means, deviations: deviations)
    }

    public var count: Int { means.count }

    /// ĉ = (y − mean) / MAD of one row `[properties]`.
    public func normalized(_ values: [Double]) -> [Double] {
        precondition(values.count == count, "\(values.count) values for \(count) properties")
        return zip(values, zip(means, deviations)).map { y, md in (y - md.0) / md.1 }
    }

    /// y = mean + MAD · ĉ of one row `[properties]`: the inverse of `normalized`.
    public func denormalized(_ values: [Double]) -> [Double] {
        precondition(values.count == count, "\(values.count) values for \(count) properties")
        return zip(values, zip(means, deviations)).map { c, md in md.0 + md.1 * c }
    }
}
