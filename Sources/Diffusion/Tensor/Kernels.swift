import CKernels

/// Element-wise kernels: thin Swift names over the C passes of `CKernels`, which are
/// compiled for AVX-512, AVX2 + FMA and SSE2 and picked per CPU at load time (a Swift
/// module is compiled for one target, and generic x86-64 means 4-wide).
///
/// Definitions (in C, `Sources/CKernels/dispatch.h`): e^x is a range reduction and a
/// Cephes-style polynomial, no libm, about 2 ulp on [−87, 88] and clamped outside;
/// SiLU(x) = x·σ(x) (Elfwing et al. 2018), σ(x) = 1/(1 + e^(−x)), tanh(x) = 2σ(2x) − 1.
/// No fused multiply-adds: every CPU gets the same bits (`KernelReferenceTests`).
enum Kernels {
    /// y = e^x: `[count]`.
    static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        ck_exp(x, y, count)
    }

    /// y = σ(x): `[count]`.
    static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        ck_sigmoid(x, y, count)
    }

    /// y = tanh(x): `[count]`.
    static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        ck_tanh(x, y, count)
    }

    /// y = SiLU(x): `[count]`.
    static func silu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        ck_silu(x, y, count)
    }

    /// y = SiLU(x) and d = SiLU′(x) = σ(x)·(1 + x·(1 − σ(x))): `[count]` each.
    static func siluAndDerivative(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ d: UnsafeMutablePointer<Float>, count: Int
    ) {
        ck_silu_and_derivative(x, y, d, count)
    }

    /// g ← g · SiLU′(x), in place on g: `[count]`.
    static func multiplySiLUDerivative(_ x: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, count: Int) {
        ck_multiply_silu_derivative(x, g, count)
    }

    /// y = SiLU(x) and s = σ(x), for the backward pass: `[count]` each.
    static func siluKeepingSigmoid(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>, count: Int
    ) {
        ck_silu_keeping_sigmoid(x, y, s, count)
    }

    /// v = x[r, :] + b, y = SiLU(v), s = σ(v) for every row: x, y, s `[rows, width]`, b `[width]`.
    static func addBiasSiLUKeepingSigmoid(
        _ b: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        _ s: UnsafeMutablePointer<Float>, rows: Int, width: Int
    ) {
        ck_add_bias_silu_keeping_sigmoid(b, x, y, s, rows, width)
    }

    /// g ← g · SiLU′ from the kept y = SiLU(x) and s = σ(x): SiLU′ = s + y(1 − s). `[count]`.
    static func multiplySiLUDerivative(
        silu y: UnsafePointer<Float>, sigmoid s: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, count: Int
    ) {
        ck_multiply_silu_derivative_kept(y, s, g, count)
    }

    /// g ← g ⊙ d: `[count]`.
    static func multiply(_ g: UnsafeMutablePointer<Float>, by d: UnsafePointer<Float>, count: Int) {
        ck_multiply(d, g, count)
    }

    /// x[r, :] += b for every row r: x `[rows, width]`, b `[width]`.
    static func addRowVector(_ b: UnsafePointer<Float>, to x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        ck_add_row_vector(b, x, rows, width)
    }

    /// x[r, :] += b, then y = SiLU(x), for every row: x, y `[rows, width]`, b `[width]`.
    static func addBiasSiLU(
        _ b: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int
    ) {
        ck_add_bias_silu(b, x, y, rows, width)
    }

    /// s[:] += Σ_r x[r, :]: x `[rows, width]` with row stride `stride`, s `[width]`.
    static func addColumnSums(
        _ x: UnsafePointer<Float>, rows: Int, width: Int, stride: Int? = nil, into s: UnsafeMutablePointer<Float>
    ) {
        ck_add_column_sums(x, rows, width, stride ?? width, s)
    }

    /// Σ_k a[k]·b[k]: 8 partial sums over blocks of 8, added in order, then the tail.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        ck_dot(a, b, count)
    }

    /// y += alpha · x: `[count]`.
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        ck_axpy(alpha, x, y, count)
    }

    /// out[g] = Σ_{i∈g} x[i] over the node rows of each graph, or their mean with
    /// `mean` (an empty graph gives 0): x `[N, width]`, out `[G, width]` (overwritten).
    static func graphSums(
        _ x: UnsafePointer<Float>, layout: GraphLayout, width: Int, mean: Bool, into out: UnsafeMutablePointer<Float>
    ) {
        ck_segment_sums(x, layout.nodeOffsets, layout.graphCount, width, mean ? 1 : 0, out)
    }

    /// y[i] += v[g(i)] for every node i, times 1/N_g with `mean`: v `[G, width]`, y `[N, width]`.
    static func addGraphRows(
        _ v: UnsafePointer<Float>, layout: GraphLayout, width: Int, mean: Bool, to y: UnsafeMutablePointer<Float>
    ) {
        ck_segment_broadcast_add(v, layout.nodeOffsets, layout.graphCount, width, mean ? 1 : 0, y)
    }
}
