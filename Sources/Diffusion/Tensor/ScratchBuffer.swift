/// Contiguous, 64-byte aligned `Float` storage that grows but never shrinks:
/// the hot loop asks for `reserve(n)` every step and allocates only when a
/// batch is larger than every batch before it.
///
/// A class because a workspace owns many of them and hands out raw pointers
/// into them for BLAS and the element-wise kernels; nothing outside the
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
    @discardableResult
    func reserve(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > capacity {
            pointer.deallocate()
            capacity = count + count / 4
            pointer = ScratchBuffer.allocate(capacity)
        }
        return pointer
    }

    /// Bytes held (for the benchmark's memory accounting).
    var byteCount: Int { capacity * MemoryLayout<Element>.stride }
}

extension UnsafeMutablePointer where Pointee == Float {
    /// Sets `count` values to zero.
    @inline(__always)
    func zero(_ count: Int) {
        update(repeating: 0, count: count)
    }
}
