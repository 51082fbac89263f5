import Foundation
import Testing

/// How far a sequence of numbers lies from the one it should match: the element furthest
/// outside (or least inside) its bound `tolerance + relative · |expected|`, the rule of
/// NumPy's `isclose`. With both bounds zero it is the element with the largest difference.
///
///     expectClose(gradient, finiteDifferences, tolerance: 1e-6, relative: 1e-3, "∂L/∂θ")
///     #expect(!largestDifference(rotated, base, tolerance: 1e-3).isWithinBound)   // must change
public struct NumericDifference: CustomStringConvertible, Sendable {
    /// Elements in the actual and the expected sequence.
    public let actualCount: Int, expectedCount: Int
    /// The bound: `tolerance + relative · |expected|`.
    public let tolerance: Double, relative: Double
    /// Index of the element furthest outside its bound; nil when nothing was compared.
    public let index: Int?
    /// The two values at `index` (0 when nothing was compared).
    public let actual: Double, expected: Double
    /// |actual − expected| at `index`.
    public let difference: Double
    /// `difference` over the bound at `index`: at most 1 when every element is within its
    /// bound, ∞ when a bound of zero is exceeded, NaN when a value is NaN.
    public let fractionOfBound: Double

    /// True when the sequences have the same length and every element is within its bound.
    public var isWithinBound: Bool { actualCount == expectedCount && fractionOfBound <= 1 }

    public var description: String {
        guard actualCount == expectedCount else { return "\(actualCount) values, expected \(expectedCount)" }
        guard let index else { return "no values compared" }
        let bound = relative == 0 ? "\(tolerance)" : "\(tolerance) + \(relative) · |expected|"
        return "largest difference \(difference) at index \(index) (actual \(actual), expected \(expected)); "
            + "\(String(format: "%.3g", fractionOfBound)) × the bound \(bound)"
    }
}

/// The element of `actual` furthest from its counterpart in `expected`, measured against
/// `tolerance + relative · |expected|` (see `NumericDifference`).
public func largestDifference<A: Collection, E: Collection>(
    _ actual: A, _ expected: E, tolerance: Double = 0, relative: Double = 0
) -> NumericDifference where A.Element: BinaryFloatingPoint, E.Element: BinaryFloatingPoint {
    precondition(tolerance >= 0 && relative >= 0, "bounds must be non-negative: \(tolerance), \(relative)")
    var worst: (index: Int, actual: Double, expected: Double, difference: Double, fraction: Double)?
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        let a = Double(a), e = Double(e)
        let difference = a == e ? 0 : abs(a - e)
        let bound = tolerance + relative * abs(e)
        let fraction = difference == 0 ? 0 : difference / bound   // x / 0 = ∞; NaN stays NaN
        // NaN ranks first, then the fraction of the bound, then the difference itself.
        let isWorse: Bool
        if let w = worst {
            isWorse = !(w.fraction.isNaN) && (fraction.isNaN || fraction > w.fraction
                                              || (fraction == w.fraction && difference > w.difference))
        } else {
            isWorse = true
        }
        if isWorse { worst = (index, a, e, difference, fraction) }
    }
    return NumericDifference(actualCount: actual.count, expectedCount: expected.count,
                             tolerance: tolerance, relative: relative, index: worst?.index,
                             actual: worst?.actual ?? 0, expected: worst?.expected ?? 0,
                             difference: worst?.difference ?? 0, fractionOfBound: worst?.fraction ?? 0)
}

/// Expects `actual` to match `expected` element by element within
/// `tolerance + relative · |expected|`, and to have as many elements; on failure it reports
/// the largest difference, where it is, and the two values.
public func expectClose<A: Collection, E: Collection>(
    _ actual: A, _ expected: E, tolerance: Double, relative: Double = 0, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) where A.Element: BinaryFloatingPoint, E.Element: BinaryFloatingPoint {
    let difference = largestDifference(actual, expected, tolerance: tolerance, relative: relative)
    guard !difference.isWithinBound else { return }
    Issue.record(Comment(rawValue: [comment?.rawValue, difference.description].compactMap { $0 }.joined(separator: ": ")),
                 sourceLocation: sourceLocation)
}

/// Expects `actual` to lie within `tolerance + relative · |expected|` of `expected`.
public func expectClose<A: BinaryFloatingPoint, E: BinaryFloatingPoint>(
    _ actual: A, _ expected: E, tolerance: Double, relative: Double = 0, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose(CollectionOfOne(actual), CollectionOfOne(expected), tolerance: tolerance, relative: relative, comment,
                sourceLocation: sourceLocation)
}
