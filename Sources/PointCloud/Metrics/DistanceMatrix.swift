import Dispatch
import Foundation

/// A distance between two point clouds, for pairwise matrices over sets.
public enum CloudDistance: String, CaseIterable, Sendable {
    case chamfer, emd
}

/// A dense matrix of distances between the clouds of two sets: `values[i * columns + j]`.
public struct DistanceMatrix: Sendable, Equatable {
    public let rows: Int, columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "DistanceMatrix: \(values.count) values for \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }

    public var transposed: DistanceMatrix {
        var t = [Double](repeating: 0, count: values.count)
        for i in 0 ..< rows { for j in 0 ..< columns { t[j * rows + i] = values[i * columns + j] } }
        return DistanceMatrix(rows: columns, columns: rows, values: t)
    }

    /// Distances between every cloud of `rows` and every cloud of `columns`, the pairs spread over
    /// `threads` workers (Dispatch `concurrentPerform`). `symmetric`: the two sets are the same
    /// set, so only pairs i < j are computed and the diagonal is 0. `progress` is called (from a
    /// worker thread) with the number of pairs done so far.
    public static func pairwise(
        _ rows: [PackedPoints], _ columns: [PackedPoints], distance: CloudDistance,
        emdSolver: EarthMoversDistance.Solver = .standard, symmetric: Bool = false, threads: Int = 2,
        progress: (@Sendable (Int) -> Void)? = nil
    ) -> DistanceMatrix {
        precondition(!symmetric || rows.count == columns.count, "DistanceMatrix: symmetric needs equal sets")
        let r = rows.count, c = columns.count
        var pairs: [(Int32, Int32)] = []
        pairs.reserveCapacity(symmetric ? r * (r - 1) / 2 : r * c)
        for i in 0 ..< r { for j in (symmetric ? i + 1 : 0) ..< c { pairs.append((Int32(i), Int32(j))) } }
        let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: r * c)
        results.initialize(repeating: 0)
        defer { results.deallocate() }
        let next = PairCounter(), done = PairCounter()
        let workers = max(1, min(threads, pairs.count))
        let output = UncheckedSendable(results)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = next.increment() - 1   // dynamic scheduling: EMD pairs vary in cost
                guard index < pairs.count else { break }
                let (i, j) = (Int(pairs[index].0), Int(pairs[index].1))
                let value: Double
                switch distance {
                case .chamfer: value = ChamferDistance.distance(rows[i], columns[j])
                case .emd: value = EarthMoversDistance.compute(rows[i], columns[j], solver: emdSolver).value
                }
                output.value[i * c + j] = value
                if symmetric { output.value[j * c + i] = value }
                let finished = done.increment()
                progress?(finished)
            }
        }
        return DistanceMatrix(rows: r, columns: c, values: Array(results))
    }
}

/// A thread-safe counter (work distribution and progress reports).
final class PairCounter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}

/// Wraps a value that workers write to at disjoint indices.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
