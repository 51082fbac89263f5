/// The ranks of a data-parallel job and the collective operations they train with: each
/// rank computes the gradient of its part of every global batch, the gradients are summed
/// over the ranks, and every rank applies the same update. Diffusion knows no transport:
/// `SingleProcess` is the one-rank job; an MPI communicator lives in the Cluster module.
///
/// Every rank must call the collective operations in the same order with arrays of the same
/// length; a rank that stops calling them leaves the others waiting (the launcher ends the
/// job when a rank dies).
public protocol Communicator: AnyObject {
    /// This process's rank, 0 ..< size; rank 0 writes checkpoints, logs and reports.
    var rank: Int { get }
    /// The number of ranks.
    var size: Int { get }

    /// Replaces `values[range]` on every rank by its sum over the ranks.
    func allReduceSum(_ values: inout [Float], in range: Range<Int>) throws
    /// Replaces `values` on every rank by their sum over the ranks.
    func allReduceSum(_ values: inout [Double]) throws
    /// Replaces `values` on every rank by rank `root`'s (the same count on every rank).
    func broadcast(_ values: inout [Double], from root: Int) throws
    /// Returns once every rank has called it.
    func barrier() throws
}

extension Communicator {
    /// Whether this rank writes the job's files and prints its reports.
    public var isPrimary: Bool { rank == 0 }

    /// Replaces `values` on every rank by their sum over the ranks.
    public func allReduceSum(_ values: inout [Float]) throws {
        try allReduceSum(&values, in: 0 ..< values.count)
    }

    /// As `allReduceSum(_:)`, in buckets of at most `bucketSize` values, one collective call
    /// each: a bounded message per call, so a large gradient does not need one transfer the
    /// size of the model in flight.
    public func allReduceSum(_ values: inout [Float], bucketSize: Int) throws {
        precondition(bucketSize >= 1, "bucket size \(bucketSize)")
        var start = 0
        while start < values.count {
            let end = min(start + bucketSize, values.count)
            try allReduceSum(&values, in: start ..< end)
            start = end
        }
    }

    /// True on every rank when `flag` is true on any: a decision (stop now) that all ranks
    /// must take at the same step.
    public func anyRank(_ flag: Bool) throws -> Bool {
        var count = [flag ? 1.0 : 0.0]
        try allReduceSum(&count)
        return count[0] > 0
    }

    /// The graphs of a global batch of `graphs` that this rank computes: a contiguous part,
    /// the parts of ranks 0, 1, … in order and sizes differing by at most one (empty when
    /// there are more ranks than graphs).
    public func part(of graphs: Int) -> Range<Int> {
        (rank * graphs / size) ..< ((rank + 1) * graphs / size)
    }

    /// The graphs of the batch `layout` that this rank computes, balanced by cost: contiguous
    /// parts in rank order, cut where the running sum of n_g² (a fully connected graph's edges,
    /// the bulk of an EGNN step) crosses r/N of the batch's, so each part's cost is within one
    /// graph's of the mean. A batch of equal graphs splits into parts whose sizes differ by at most one.
    public func part(of layout: GraphLayout) -> Range<Int> {
        let costs = layout.nodeCounts.map { $0 * $0 }
        let total = costs.reduce(0, +)
        // The first graph g whose preceding cost reaches r/N of the total (integer arithmetic: the same cut on every rank).
        func cut(_ r: Int) -> Int {
            guard r > 0 else { return 0 }
            guard r < size else { return costs.count }
            var running = 0
            for (g, cost) in costs.enumerated() {
                if running * size >= r * total { return g }
                running += cost
            }
            return costs.count
        }
        return cut(rank) ..< cut(rank + 1)
    }
}
