/// Divisors applied to node features before diffusion, one per contiguous
/// block of feature columns. EDM scales one-hot atom types by 1/4 and charges
/// by 1/10 so that features are resolved late in the reverse process
/// (Hoogeboom et al. 2022, §3.4, "normalize_factors" [1, 4, 10]); Diffusion
/// knows nothing of what the blocks mean: the caller supplies them.
public struct FeatureScaling: Sendable, Codable, Equatable {
    public struct Block: Sendable, Codable, Equatable {
        public var width: Int
        public var divisor: Float
        public init(width: Int, divisor: Float) {
            self.width = width
            self.divisor = divisor
        }
    }

    public let blocks: [Block]
    /// One divisor per feature column: `[featureWidth]`.
    public let divisors: [Float]

    public init(blocks: [Block]) throws {
        for (index, block) in blocks.enumerated() {
            guard block.width >= 0 else {
                throw DiffusionError.invalidConfiguration("feature block \(index): width \(block.width) is negative")
            }
            guard block.divisor.isFinite, block.divisor > 0 else {
                throw DiffusionError.invalidConfiguration("feature block \(index): divisor \(block.divisor) must be finite and > 0")
            }
        }
        self.blocks = blocks
        self.divisors = blocks.flatMap { [Float](repeating: $0.divisor, count: $0.width) }
    }

    /// No scaling on `width` columns.
    public static func identity(width: Int) -> FeatureScaling {
        FeatureScaling(checkedBlocks: [Block(width: width, divisor: 1)])
    }

    private init(checkedBlocks: [Block]) {
        self.blocks = checkedBlocks
        self.divisors = checkedBlocks.flatMap { [Float](repeating: $0.divisor, count: $0.width) }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(blocks: container.decode([Block].self, forKey: .blocks))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(blocks, forKey: .blocks)
    }

    private enum CodingKeys: String, CodingKey { case blocks }

    /// Feature width F.
    public var width: Int { divisors.count }

    /// h / divisor, column by column: `[nodes, F]` → `[nodes, F]`.
    public func scaled(_ features: [Float]) -> [Float] {
        var result = features
        scale(&result)
        return result
    }

    /// h · divisor, the inverse of `scaled(_:)`.
    public func unscaled(_ features: [Float]) -> [Float] {
        var result = features
        unscale(&result)
        return result
    }

    /// h ← h / divisor in place: `[nodes, F]`.
    public func scale(_ features: inout [Float]) { apply(&features, inverse: true) }

    /// h ← h · divisor in place: `[nodes, F]`.
    public func unscale(_ features: inout [Float]) { apply(&features, inverse: false) }

    private func apply(_ features: inout [Float], inverse: Bool) {
        let width = divisors.count
        guard width > 0 else { return }
        precondition(features.count % width == 0, "features: \(features.count) values are not rows of width \(width)")
        divisors.withUnsafeBufferPointer { d in
            features.withUnsafeMutableBufferPointer { h in
                var column = 0
                for i in h.indices {
                    h[i] = inverse ? h[i] / d[column] : h[i] * d[column]
                    column = column + 1 == width ? 0 : column + 1
                }
            }
        }
    }
}
