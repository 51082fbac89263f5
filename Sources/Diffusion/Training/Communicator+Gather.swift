/// Every rank's bytes on every rank: how ranks that each drew or scored a share of a pool
/// hand their shares to all (fine-tuning's pools). Built on the protocol's own collectives, so
/// any `Communicator` has it: the lengths by one all-reduce, then one broadcast per rank of
/// its bytes packed into `Double` words (a broadcast moves bits; no arithmetic touches them).
extension Communicator {
    /// `bytes` of every rank, in rank order (one rank: `[bytes]`, no call). Every rank must
    /// call it at the same point; lengths may differ between ranks.
    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        guard size > 1 else { return [bytes] }
        var lengths = [Double](repeating: 0, count: size)
        lengths[rank] = Double(bytes.count)
        try allReduceSum(&lengths)
        var gathered: [[UInt8]] = []
        for root in 0 ..< size {
            let length = Int(lengths[root])
            guard length > 0 else { gathered.append([]); continue }
            // ⌈length / 8⌉ words; the last one's tail is zero padding.
            var words = [Double](repeating: 0, count: (length + 7) / 8)
            if root == rank {
                words.withUnsafeMutableBytes { target in bytes.withUnsafeBytes { target.copyMemory(from: $0) } }
            }
            try broadcast(&words, from: root)
            gathered.append(root == rank ? bytes : words.withUnsafeBytes { Array($0.prefix(length)) })
        }
        return gathered
    }
}
