/// Element-wise kernels written as plain counted loops over raw pointers with
/// branch-free bodies, so that LLVM vectorises them (no calls to libm: `exp`
/// is a range reduction and a polynomial, Cephes-style).
///
/// Activations: SiLU(x) = x·σ(x) (Elfwing et al. 2018), σ(x) = 1/(1 + e^(−x)),
/// tanh(x) = 2σ(2x) − 1.
enum Kernels {
    /// e^x to about 2 ulp for x in [−87, 88]; clamps outside.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let x = Swift.min(Swift.max(x, -87.0), 88.0)
        // n = round(x / ln 2) by the 1.5·2^23 trick (no rounding instruction needed).
        let shifter: Float = 12_582_912.0
        let n = (x * 1.442_695_04 + shifter) - shifter
        // r = x − n·ln 2 in two parts for accuracy; |r| ≤ ln2 / 2.
        let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
        var p: Float = 1.987_569_1e-4
        p = p * r + 1.398_199_9e-3
        p = p * r + 8.333_452e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_5e-1
        p = p * r + 0.5
        p = p * r * r + r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: Int32(n) &+ 127) &<< 23)
        return p * scale
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    @inline(__always)
    static func tanh(_ x: Float) -> Float { 2 / (1 + exp(-2 * x)) - 1 }

    /// y = SiLU(x): `[count]`.
    static func silu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for k in 0 ..< count {
            let v = x[k]
            y[k] = v / (1 + exp(-v))
        }
    }

    /// y = SiLU(x) and d = SiLU′(x) = σ(x)·(1 + x·(1 − σ(x))): `[count]` each.
    static func siluAndDerivative(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ d: UnsafeMutablePointer<Float>, count: Int
    ) {
        for k in 0 ..< count {
            let v = x[k]
            let s = 1 / (1 + exp(-v))
            y[k] = v * s
            d[k] = s * (1 + v * (1 - s))
        }
    }

    /// g ← g · SiLU′(x), in place on g: `[count]`.
    static func multiplySiLUDerivative(_ x: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, count: Int) {
        for k in 0 ..< count {
            let v = x[k]
            let s = 1 / (1 + exp(-v))
            g[k] *= s * (1 + v * (1 - s))
        }
    }

    /// y = SiLU(x) and s = σ(x), for the backward pass: `[count]` each.
    static func siluKeepingSigmoid(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ s: UnsafeMutablePointer<Float>, count: Int
    ) {
        for k in 0 ..< count {
            let v = x[k]
            let sv = 1 / (1 + exp(-v))
            s[k] = sv
            y[k] = v * sv
        }
    }

    /// v = x[r, :] + b, y = SiLU(v), s = σ(v) for every row: x, y, s `[rows, width]`, b `[width]`.
    static func addBiasSiLUKeepingSigmoid(
        _ b: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        _ s: UnsafeMutablePointer<Float>, rows: Int, width: Int
    ) {
        for r in 0 ..< rows {
            let xr = x + r * width, yr = y + r * width, sr = s + r * width
            for k in 0 ..< width {
                let v = xr[k] + b[k]
                let sv = 1 / (1 + exp(-v))
                sr[k] = sv
                yr[k] = v * sv
            }
        }
    }

    /// g ← g · SiLU′ from the kept y = SiLU(x) and s = σ(x): SiLU′ = s + y(1 − s). `[count]`.
    static func multiplySiLUDerivative(
        silu y: UnsafePointer<Float>, sigmoid s: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, count: Int
    ) {
        for k in 0 ..< count {
            let sk = s[k]
            g[k] *= sk + y[k] * (1 - sk)
        }
    }

    /// x[r, :] += b for every row r: x `[rows, width]`, b `[width]`.
    static func addRowVector(_ b: UnsafePointer<Float>, to x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for r in 0 ..< rows {
            let row = x + r * width
            for k in 0 ..< width { row[k] += b[k] }
        }
    }

    /// x[r, :] += b, then y = SiLU(x), for every row: x, y `[rows, width]`, b `[width]`.
    static func addBiasSiLU(
        _ b: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int
    ) {
        for r in 0 ..< rows {
            let xr = x + r * width, yr = y + r * width
            for k in 0 ..< width {
                let v = xr[k] + b[k]
                xr[k] = v
                yr[k] = v / (1 + exp(-v))
            }
        }
    }

    /// s[:] += Σ_r x[r, :]: x `[rows, width]` with row stride `stride`, s `[width]`.
    static func addColumnSums(
        _ x: UnsafePointer<Float>, rows: Int, width: Int, stride: Int? = nil, into s: UnsafeMutablePointer<Float>
    ) {
        let stride = stride ?? width
        for r in 0 ..< rows {
            let row = x + r * stride
            for k in 0 ..< width { s[k] += row[k] }
        }
    }

    /// Σ_k a[k]·b[k].
    /// Eight partial sums, so the reduction vectorises without reassociation.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>()
        var k = 0
        while k + 8 <= count {
            acc += UnsafeRawPointer(a + k).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + k).loadUnaligned(as: SIMD8<Float>.self)
            k += 8
        }
        var s = acc.sum()
        while k < count {
            s += a[k] * b[k]
            k += 1
        }
        return s
    }

    /// y += alpha · x: `[count]`.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for k in 0 ..< count { y[k] += alpha * x[k] }
    }
}
