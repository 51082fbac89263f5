/// A row-major matrix of `Float`s in storage owned elsewhere: `rows` ×
/// `columns`, element (r, c) at `start[r · stride + c]`. The storage is a
/// `ScratchBuffer` (a view lives as long as its buffer keeps its size), or
/// an array inside `withMatrix` (a view must not leave the closure).
///
/// A block of a larger matrix, or a weight matrix inside the flat parameter
/// vector, is a view with its own start and rows, and its parent's stride:
/// `W[H..<2H, :]` of W `[2H, H]` is `w.rows(H ..< 2 * H)`, the weights at
/// offset k of θ are `theta.matrix(at: k, rows: H, columns: H)`. Matrix
/// products take views (`MutableMatrixView.gemm`); the C kernels take their
/// `start`s.
struct MatrixView {
    let start: UnsafePointer<Float>
    let rows: Int, columns: Int
    /// Floats from one row's start to the next, ≥ `columns` (BLAS's leading dimension).
    let stride: Int
    /// Whether a product reads this matrix as its transpose, `columns` × `rows`.
    let isTransposed: Bool

    init(_ start: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int? = nil, isTransposed: Bool = false) {
        precondition(rows >= 0 && columns >= 0 && (stride ?? columns) >= columns,
                     "matrix view [\(rows), \(columns)] with row stride \(stride ?? columns)")
        self.start = start
        self.rows = rows
        self.columns = columns
        self.stride = stride ?? columns
        self.isTransposed = isTransposed
    }

    /// Element k of a contiguous view, row by row.
    @inline(__always)
    subscript(_ k: Int) -> Float { start[k] }

    /// The elements, row by row, copied into an array: `[rows · columns]`.
    var elements: [Float] {
        var result: [Float] = []
        result.reserveCapacity(rows * columns)
        for r in 0 ..< rows { result.append(contentsOf: UnsafeBufferPointer(start: start + r * stride, count: columns)) }
        return result
    }

    /// Rows `range` of this matrix: `[range.count, columns]`.
    @inline(__always)
    func rows(_ range: Range<Int>) -> MatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) of a view with \(rows) rows")
        return MatrixView(start + range.lowerBound * stride, rows: range.count, columns: columns, stride: stride,
                          isTransposed: isTransposed)
    }

    /// Columns `range` of this matrix: `[rows, range.count]`, this view's stride.
    @inline(__always)
    func columns(_ range: Range<Int>) -> MatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "columns \(range) of a view with \(columns) columns")
        return MatrixView(start + range.lowerBound, rows: rows, columns: range.count, stride: stride, isTransposed: isTransposed)
    }

    /// A contiguous `[rows, columns]` matrix whose first element is element
    /// `offset` of this contiguous view (a weight matrix of a flat parameter vector).
    @inline(__always)
    func matrix(at offset: Int, rows: Int, columns: Int) -> MatrixView {
        precondition(self.stride == self.columns || self.rows <= 1, "a block at an offset needs a contiguous view")
        precondition(offset >= 0 && offset + rows * columns <= self.rows * self.columns,
                     "[\(rows), \(columns)] at \(offset) outside a view of \(self.rows * self.columns) floats")
        return MatrixView(start + offset, rows: rows, columns: columns)
    }
}

/// A `MatrixView` whose elements may be written: the output of a product or
/// a kernel, and the gradient vectors passes add into.
struct MutableMatrixView {
    let start: UnsafeMutablePointer<Float>
    let rows: Int, columns: Int
    /// Floats from one row's start to the next, ≥ `columns`.
    let stride: Int

    init(_ start: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int? = nil) {
        precondition(rows >= 0 && columns >= 0 && (stride ?? columns) >= columns,
                     "matrix view [\(rows), \(columns)] with row stride \(stride ?? columns)")
        self.start = start
        self.rows = rows
        self.columns = columns
        self.stride = stride ?? columns
    }

    /// Element k of a contiguous view, row by row.
    @inline(__always)
    subscript(_ k: Int) -> Float {
        get { start[k] }
        nonmutating set { start[k] = newValue }
    }

    /// Rows `range` of this matrix: `[range.count, columns]`.
    @inline(__always)
    func rows(_ range: Range<Int>) -> MutableMatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) of a view with \(rows) rows")
        return MutableMatrixView(start + range.lowerBound * stride, rows: range.count, columns: columns, stride: stride)
    }

    /// Columns `range` of this matrix: `[rows, range.count]`, this view's stride.
    @inline(__always)
    func columns(_ range: Range<Int>) -> MutableMatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "columns \(range) of a view with \(columns) columns")
        return MutableMatrixView(start + range.lowerBound, rows: rows, columns: range.count, stride: stride)
    }

    /// A contiguous `[rows, columns]` matrix whose first element is element
    /// `offset` of this contiguous view (the gradient of a weight matrix).
    @inline(__always)
    func matrix(at offset: Int, rows: Int, columns: Int) -> MutableMatrixView {
        precondition(self.stride == self.columns || self.rows <= 1, "a block at an offset needs a contiguous view")
        precondition(offset >= 0 && offset + rows * columns <= self.rows * self.columns,
                     "[\(rows), \(columns)] at \(offset) outside a view of \(self.rows * self.columns) floats")
        return MutableMatrixView(start + offset, rows: rows, columns: columns)
    }
}

/// What a matrix product reads: a `MatrixView`, or a `MutableMatrixView` read in place.
protocol MatrixOperand {
    var readOnly: MatrixView { get }
}

extension MatrixView: MatrixOperand {
    var readOnly: MatrixView {
        @inline(__always) get { self }
    }
}

extension MutableMatrixView: MatrixOperand {
    var readOnly: MatrixView {
        @inline(__always) get { MatrixView(start, rows: rows, columns: columns, stride: stride) }
    }
}

extension MatrixOperand {
    /// The same storage read as its transpose by a product: `xᵀ` is `x.transposed`.
    @inline(__always)
    var transposed: MatrixView {
        let m = readOnly
        return MatrixView(m.start, rows: m.rows, columns: m.columns, stride: m.stride, isTransposed: !m.isTransposed)
    }
}

extension Array where Element == Float {
    /// Runs `body` on this array as a `[rows, columns]` matrix (`rows · columns`
    /// ≤ `count`); the view must not leave `body`.
    @inline(__always)
    func withMatrix<R>(rows: Int, columns: Int, _ body: (MatrixView) throws -> R) rethrows -> R {
        precondition(rows * columns <= count, "[\(rows), \(columns)] matrix over \(count) floats")
        return try withUnsafeBufferPointer { buffer in
            try body(MatrixView(buffer.baseAddress ?? UnsafePointer(MatrixStorage.empty), rows: rows, columns: columns))
        }
    }

    /// Runs `body` on this array as a writable `[rows, columns]` matrix
    /// (`rows · columns` ≤ `count`); the view must not leave `body`.
    @inline(__always)
    mutating func withMutableMatrix<R>(rows: Int, columns: Int, _ body: (MutableMatrixView) throws -> R) rethrows -> R {
        precondition(rows * columns <= count, "[\(rows), \(columns)] matrix over \(count) floats")
        return try withUnsafeMutableBufferPointer { buffer in
            try body(MutableMatrixView(buffer.baseAddress ?? MatrixStorage.empty, rows: rows, columns: columns))
        }
    }
}

/// Where a view of an empty array points: nothing reads or writes it (every
/// product and kernel over zero elements returns first).
private enum MatrixStorage {
    nonisolated(unsafe) static let empty = UnsafeMutablePointer<Float>.allocate(capacity: 1)
}
