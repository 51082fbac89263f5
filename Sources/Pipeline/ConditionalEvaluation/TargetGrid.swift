import Foundation

/// The targets of an extrapolation sweep, written `LO:HI:STEP` (LO, LO + STEP, … up to HI)
/// or as a comma-separated list `60,80,100`; several arguments join, sorted, without repeats.
public struct TargetGrid: Sendable, Equatable {
    public var values: [Double]

    /// The most targets one argument may give (a guard against a mistyped step).
    public static let limit = 1000

    public init(values: [Double]) { self.values = Array(Set(values)).sorted() }

    /// Parses one argument; throws `PipelineError.invalidCondition` saying what is wrong.
    public init(parsing text: String) throws {
        func number(_ field: Substring) throws -> Double {
            guard let value = Double(field.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw PipelineError.invalidCondition(reason: "targets '\(text)': '\(field)' is not a finite number")
            }
            return value
        }
        let range = text.split(separator: ":", omittingEmptySubsequences: false)
        if range.count == 3 {
            let lo = try number(range[0]), hi = try number(range[1]), step = try number(range[2])
            guard step > 0, hi >= lo else {
                throw PipelineError.invalidCondition(reason: "targets '\(text)': LO:HI:STEP needs HI ≥ LO and STEP > 0")
            }
            let count = Int(((hi - lo) / step + 1e-9).rounded(.down)) + 1
            guard count <= Self.limit else {
                throw PipelineError.invalidCondition(reason: "targets '\(text)' gives \(count) targets, more than \(Self.limit)")
            }
            self.init(values: (0 ..< count).map { lo + Double($0) * step })
        } else if range.count == 1 {
            self.init(values: try text.split(separator: ",", omittingEmptySubsequences: false).map(number))
        } else {
            throw PipelineError.invalidCondition(reason: "targets '\(text)': write LO:HI:STEP or a list A,B,C")
        }
    }
}
