/// Seeded data order: each epoch visits the training graphs in a permutation
/// drawn from (seed, epoch) alone, so a run resumes from (epoch, position)
/// without replaying earlier epochs.
///
/// The current epoch's permutation is drawn once, on its first batch, and kept: O(dataset)
/// per epoch, O(batch) per step. It is not part of the state (checkpoints store epoch and
/// position; equality ignores it): a resumed sampler redraws it from (seed, epoch).
public struct BatchSampler: Sendable, Equatable {
    public let datasetSize: Int
    public let batchSize: Int
    public let seed: UInt64
    /// Whether a final batch smaller than `batchSize` is skipped.
    public let dropsLast: Bool
    public private(set) var epoch: Int
    /// Index into the epoch's permutation of the next graph to hand out.
    public private(set) var position: Int
    /// The permutation of epoch `cached.epoch`, drawn on first use; a cache, not state.
    private var cached: (epoch: Int, order: [Int])?

    public init(datasetSize: Int, batchSize: Int, seed: UInt64, dropsLast: Bool = false,
                epoch: Int = 0, position: Int = 0) throws {
        guard datasetSize >= 1 else { throw DiffusionError.invalidConfiguration("dataset is empty") }
        guard batchSize >= 1 else { throw DiffusionError.invalidConfiguration("batch size must be ≥ 1, got \(batchSize)") }
        guard !dropsLast || batchSize <= datasetSize else {
            throw DiffusionError.invalidConfiguration("batch size \(batchSize) exceeds the \(datasetSize) graphs and the last batch is dropped")
        }
        guard epoch >= 0, (0 ..< datasetSize).contains(position) else {
            throw DiffusionError.invalidConfiguration("epoch \(epoch), position \(position) outside a dataset of \(datasetSize)")
        }
        self.datasetSize = datasetSize
        self.batchSize = batchSize
        self.seed = seed
        self.dropsLast = dropsLast
        self.epoch = epoch
        self.position = position
    }

    /// The order of epoch `epoch`: a Fisher–Yates shuffle of 0 ..< datasetSize
    /// driven by a generator seeded from (seed, epoch): `[datasetSize]`.
    public func permutation(ofEpoch epoch: Int) -> [Int] {
        var generator = Xoshiro256StarStar(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15))
        var order = Array(0 ..< datasetSize)
        // Written out rather than Array.shuffle(using:), whose draws the
        // standard library does not promise to keep across releases.
        var i = datasetSize - 1
        while i > 0 {
            let j = Int(generator.next(upperBound: UInt64(i + 1)))
            order.swapAt(i, j)
            i -= 1
        }
        return order
    }

    /// The next batch of graph indices; moves to the next epoch at the end.
    public mutating func nextBatch() -> [Int] {
        let order: [Int]
        if let cached, cached.epoch == epoch {
            order = cached.order
        } else {
            order = permutation(ofEpoch: epoch)
            cached = (epoch, order)
        }
        let end = min(position + batchSize, datasetSize)
        let batch = Array(order[position ..< end])
        position = end
        if position == datasetSize || (dropsLast && datasetSize - position < batchSize) {
            epoch += 1
            position = 0
        }
        return batch
    }

    /// Equal when the configuration and the place in the data order are: the cached
    /// permutation follows from them.
    public static func == (lhs: BatchSampler, rhs: BatchSampler) -> Bool {
        lhs.datasetSize == rhs.datasetSize && lhs.batchSize == rhs.batchSize && lhs.seed == rhs.seed
            && lhs.dropsLast == rhs.dropsLast && lhs.epoch == rhs.epoch && lhs.position == rhs.position
    }
}
