import Foundation

/// Fourier features of the diffusion time t/T ∈ [0, 1], the context a
/// pointwise network sees: [t, sin(2^k π t), cos(2^k π t) for k = 0 … 3],
/// width 9 (Luo & Hu feed [β_t, sin β_t, cos β_t]; several frequencies
/// resolve t better near 0, where the samples' detail is decided).
public enum TimeEmbedding {
    public static let width = 9

    /// Writes the embedding of `time` into `out[0 ..< width]`.
    @inline(__always)
    private static func write(_ time: Float, into out: UnsafeMutablePointer<Float>) {
        out[0] = time
        var frequency = Float.pi
        for k in 0 ..< 4 {
            out[1 + 2 * k] = sin(frequency * time)
            out[2 + 2 * k] = cos(frequency * time)
            frequency *= 2
        }
    }

    /// Rows [embedding(time[g]), extra[g]]: `[graphs, width + extraWidth]`.
    static func context(time: [Float], extra: [Float], extraWidth: Int, into context: inout [Float]) {
        let graphs = time.count, c = width + extraWidth
        precondition(extra.count == graphs * extraWidth, "context: \(extra.count) values for \(graphs) graphs × \(extraWidth)")
        context.resizeKeepingCapacity(to: graphs * c)
        context.withUnsafeMutableBufferPointer { out in
            extra.withUnsafeBufferPointer { e in
                for g in 0 ..< graphs {
                    let row = out.baseAddress! + g * c
                    write(time[g], into: row)
                    if extraWidth > 0 { (row + width).update(from: e.baseAddress! + g * extraWidth, count: extraWidth) }
                }
            }
        }
    }
}
