import CMPI
import Diffusion

/// A `Communicator` over MPI's world (Open MPI, loaded at run time): one per process,
/// created once MPI is initialised; `finish()` ends MPI when the work is done, `abort(code:)`
/// ends every rank of the job when this one cannot go on.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int

    /// Loads libmpi (`library`, or libmpi.so.40 from the loader's path), initialises MPI and
    /// checks its world against what `launcher` announced.
    public init(launcher: Launcher, library: String? = nil) throws {
        var message = [CChar](repeating: 0, count: 512)
        guard cmpi_load(library, &message, message.count) == 0 else {
            throw ClusterError.libraryUnavailable(reason: String(cString: message))
        }
        try Self.check(cmpi_init(), "MPI_Init", rank: -1)
        var rank: Int32 = 0, size: Int32 = 0
        try Self.check(cmpi_rank(&rank), "MPI_Comm_rank", rank: -1)
        try Self.check(cmpi_size(&size), "MPI_Comm_size", rank: Int(rank))
        guard Int(size) == launcher.size else {
            throw ClusterError.worldMismatch(launcher: launcher.name ?? "the launcher", expectedSize: launcher.size,
                                             actualSize: Int(size))
        }
        self.rank = Int(rank)
        self.size = Int(size)
    }

    public func allReduceSum(_ values: inout [Float], in range: Range<Int>) throws {
        precondition(range.clamped(to: 0 ..< values.count) == range, "range \(range) outside \(values.count) values")
        let code = values.withUnsafeMutableBufferPointer { buffer in
            cmpi_allreduce_sum_float(buffer.baseAddress! + range.lowerBound, Int32(range.count))
        }
        try Self.check(code, "MPI_Allreduce", rank: rank)
    }

    public func allReduceSum(_ values: inout [Double]) throws {
        let code = values.withUnsafeMutableBufferPointer { cmpi_allreduce_sum_double($0.baseAddress, Int32($0.count)) }
        try Self.check(code, "MPI_Allreduce", rank: rank)
    }

    public func broadcast(_ values: inout [Double], from root: Int) throws {
        precondition((0 ..< size).contains(root), "root \(root) outside 0 ..< \(size)")
        let code = values.withUnsafeMutableBytes { cmpi_broadcast($0.baseAddress, Int32($0.count), Int32(root)) }
        try Self.check(code, "MPI_Bcast", rank: rank)
    }

    public func barrier() throws { try Self.check(cmpi_barrier(), "MPI_Barrier", rank: rank) }

    /// MPI_Finalize: every rank calls it once its work is done (a rank that returns without
    /// it makes mpirun report the job as failed).
    public func finish() throws { try Self.check(cmpi_finalize(), "MPI_Finalize", rank: rank) }

    /// MPI_Abort: ends every rank of the job with `code` (a rank that fails alone would leave
    /// the others waiting in the next collective).
    public func abort(code: Int32) -> Never {
        _ = cmpi_abort(code)
        fatalError("MPI_Abort returned")
    }

    private static func check(_ code: Int32, _ call: String, rank: Int) throws {
        guard code != 0 else { return }
        var text = [CChar](repeating: 0, count: 512)
        cmpi_error_string(code, &text, text.count)
        throw ClusterError.mpiFailure(call: call, rank: rank, code: code, message: String(cString: text))
    }
}
