import Diffusion

/// A split of a molecule set as commands name it (`--split`): `train`, or `train:K/N`, the K-th of
/// N equal parts of `train` after a fixed seeded shuffle. EDM's conditional protocol trains the
/// property oracle on one half of QM9's training split and the conditional generator on the
/// other: `--split train:1/2` for one, `--split train:2/2` for the other, disjoint and together
/// the whole split, the same halves on every machine.
public struct SplitSelection: Hashable, Sendable, CustomStringConvertible {
    /// The stored split: `/splits/NAME`.
    public var name: String
    /// 1 … parts; nil for the whole split.
    public var part: Int?
    public var parts: Int?

    /// The shuffle's seed: fixed, so a part is the same subset wherever it is named.
    static let shuffleSeed: UInt64 = 0x5350_4C49_54   // "SPLIT"

    /// Throws `PipelineError.invalidSplit` for an empty name or a part outside 1 … N.
    public init(parsing text: String) throws {
        let pieces = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        name = String(pieces[0])
        guard !name.isEmpty else { throw PipelineError.invalidSplit(text, reason: "no split name before ':'") }
        guard pieces.count == 2 else { return }
        let fraction = pieces[1].split(separator: "/", omittingEmptySubsequences: false)
        guard fraction.count == 2, let k = Int(fraction[0]), let n = Int(fraction[1]) else {
            throw PipelineError.invalidSplit(text, reason: "a part is written NAME:K/N, such as train:1/2")
        }
        guard n >= 1, (1 ... n).contains(k) else {
            throw PipelineError.invalidSplit(text, reason: "part \(k) of \(n): K must lie in 1 … N")
        }
        part = k
        parts = n
    }

    public var description: String { part.map { "\(name):\($0)/\(parts!)" } ?? name }

    /// The molecules of this selection among `members` (the stored split's indices, in order):
    /// all of them, or part K of a seeded shuffle cut into N runs of ⌊|members|·k/N⌋ boundaries,
    /// returned in the stored order.
    public func select(_ members: [Int]) -> [Int] {
        guard let part, let parts else { return members }
        var order = Array(members.indices)
        var generator = Xoshiro256StarStar(seed: Self.shuffleSeed)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(generator.next(upperBound: UInt64(i + 1))))
        }
        let lower = members.count * (part - 1) / parts, upper = members.count * part / parts
        return order[lower ..< upper].sorted().map { members[$0] }
    }
}
