/// Contiguous, 64-byte aligned storage that grows but never shrinks: the hot
/// loop asks for `reserve(n)` every step and allocates only when a batch is
/// larger than every batch before it.
///
/// A class because a workspace owns many of them and lends out views of
/// them (`matrix(rows:columns:)`, or `pointer` for the C kernels) that stay
/// valid until the next `reserve` that grows it; nothing outside the
/// Diffusion module sees one.
final class ScratchBuffer<Element: BitwiseCopyable> {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private(set) var capacity: Int

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = ScratchBuffer.allocate(self.capacity)
    }

    deinit { pointer.deallocate() }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Element> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Element>.stride, alignment: 64)
        return raw.bindMemory(to: Element.self, capacity: count)
    }

    /// Makes room for `count` elements; the contents are undefined afterwards
    /// when it had to grow. Growth leaves 25% headroom, so batches of varying
    /// size settle after one allocation instead of reallocating (and
    /// fragmenting the heap) whenever a slightly larger batch comes; pages
    /// never touched cost no memory.
    func reserve(_ count: Int) {
        if count > capacity {
            pointer.deallocate()
            capacity = count + count / 4
            pointer = ScratchBuffer.allocate(capacity)
        }
    }

    /// Bytes held (for the benchmark's memory accounting).
    var byteCount: Int { capacity * MemoryLayout<Element>.stride }
}

extension ScratchBuffer where Element == Float {
    /// The first `rows · columns` floats as a row-major `[rows, columns]`
    /// matrix; `reserve` must have made room for them.
    @inline(__always)
    func matrix(rows: Int, columns: Int) -> MutableMatrixView {
        precondition(rows * columns <= capacity, "[\(rows), \(columns)] matrix in a buffer of \(capacity)")
        return MutableMatrixView(pointer, rows: rows, columns: columns)
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Sets `count` values to zero.
    @inline(__always)
    func zero(_ count: Int) {
        update(repeating: 0, count: count)
    }
}
