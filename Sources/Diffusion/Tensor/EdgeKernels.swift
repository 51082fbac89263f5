/// Gathers and scatters over an edge list sorted by receiver (see `EdgeList`):
/// the sum into receivers is a contiguous segment sum, the sum into senders a
/// scatter-add. Node rows and edge rows are `width` floats wide.
enum EdgeKernels {
    /// y[e] = a[i(e)] + b[j(e)] + c·s[e] + d·t[e] + bias, the first layer of an
    /// edge MLP on [h_i, h_j, s, t] split by linearity (a = h·W_a, b = h·W_b per node).
    /// a, b `[nodes, width]`; s, t `[edges]`; c, d, bias `[width]`; y `[edges, width]`.
    static func gatherPairs(
        edges: EdgeList,
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ s: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
        _ t: UnsafePointer<Float>, _ d: UnsafePointer<Float>,
        _ bias: UnsafePointer<Float>,
        into y: UnsafeMutablePointer<Float>, width: Int
    ) {
        edges.senders.withUnsafeBufferPointer { senders in
            edges.rowOffsets.withUnsafeBufferPointer { rows in
                for i in 0 ..< rows.count - 1 {
                    let ai = a + i * width
                    for e in Int(rows[i]) ..< Int(rows[i + 1]) {
                        let bj = b + Int(senders[e]) * width
                        let ye = y + e * width
                        let se = s[e], te = t[e]
                        for k in 0 ..< width { ye[k] = ai[k] + bj[k] + se * c[k] + te * d[k] + bias[k] }
                    }
                }
            }
        }
    }

    /// Backward of `gatherPairs`: da[i] = Σ_{e→i} g[e], db[j] = Σ_{e from j} g[e]
    /// (both overwritten), dc += Σ_e s[e]·g[e], dd += Σ_e t[e]·g[e], dbias += Σ_e g[e],
    /// ds[e] += ⟨g[e], c⟩, dt[e] += ⟨g[e], d⟩.
    static func gatherPairsBackward(
        edges: EdgeList, _ g: UnsafePointer<Float>, width: Int,
        _ s: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
        _ t: UnsafePointer<Float>, _ d: UnsafePointer<Float>,
        da: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>,
        dc: UnsafeMutablePointer<Float>, dd: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
        ds: UnsafeMutablePointer<Float>, dt: UnsafeMutablePointer<Float>
    ) {
        let nodes = edges.nodeCount
        da.zero(nodes * width)
        db.zero(nodes * width)
        edges.senders.withUnsafeBufferPointer { senders in
            edges.rowOffsets.withUnsafeBufferPointer { rows in
                for i in 0 ..< nodes {
                    let dai = da + i * width
                    for e in Int(rows[i]) ..< Int(rows[i + 1]) {
                        let ge = g + e * width
                        let dbj = db + Int(senders[e]) * width
                        let se = s[e], te = t[e]
                        for k in 0 ..< width {
                            let v = ge[k]
                            dai[k] += v
                            dbj[k] += v
                            dc[k] += se * v
                            dd[k] += te * v
                        }
                        ds[e] += Kernels.dot(ge, c, count: width)
                        dt[e] += Kernels.dot(ge, d, count: width)
                    }
                    Kernels.addColumnSums(UnsafePointer(dai), rows: 1, width: width, into: dbias)
                }
            }
        }
    }
}
