import Foundation
@testable import Diffusion

/// `size` ranks of a data-parallel job as threads of this process, for tests of the trainer's
/// data-parallel step without MPI. Every collective gathers the ranks' arrays and each rank
/// reduces them in rank order, so all ranks get the same bits.
final class LocalRanks: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var slots: [[Double]]
    private var gathered: [[Double]] = []
    private var arrived = 0, generation = 0

    init(size: Int) {
        self.size = size
        slots = [[Double]](repeating: [], count: size)
    }

    /// Every rank's `values`, once all ranks have called it.
    func allGather(rank: Int, _ values: [Double]) -> [[Double]] {
        condition.lock()
        defer { condition.unlock() }
        let mine = generation
        slots[rank] = values
        arrived += 1
        if arrived == size {
            gathered = slots
            arrived = 0
            generation += 1
            condition.broadcast()
        } else {
            while generation == mine { condition.wait() }
        }
        return gathered
    }

    /// Runs `body(communicator)` for every rank on its own thread; the results in rank order.
    func run<T>(_ body: @escaping (Rank) throws -> T) -> [Result<T, Error>] {
        let results = Results<T>(size)
        let group = DispatchGroup()
        for rank in 0 ..< size {
            let thread = Thread {
                let result = Result { try body(Rank(rank: rank, group: self)) }
                results.lock.lock(); results.values[rank] = result; results.lock.unlock()
                group.leave()
            }
            thread.stackSize = 8 << 20
            group.enter()
            thread.start()
        }
        group.wait()
        return results.values.map { $0! }
    }

    /// One rank's view of the group.
    final class Rank: Communicator {
        let rank: Int
        let group: LocalRanks
        var size: Int { group.size }

        init(rank: Int, group: LocalRanks) {
            self.rank = rank
            self.group = group
        }

        func allReduceSum(_ values: inout [Float], in range: Range<Int>) throws {
            let all = group.allGather(rank: rank, values[range].map(Double.init))
            for (k, index) in range.enumerated() {
                var sum = Float(all[0][k])
                for r in 1 ..< all.count { sum += Float(all[r][k]) }
                values[index] = sum
            }
        }

        func allReduceSum(_ values: inout [Double]) throws {
            let all = group.allGather(rank: rank, values)
            values = (0 ..< values.count).map { k in all.dropFirst().reduce(all[0][k]) { $0 + $1[k] } }
        }

        func broadcast(_ values: inout [Double], from root: Int) throws {
            values = group.allGather(rank: rank, values)[root]
        }

        func barrier() throws { _ = group.allGather(rank: rank, []) }
    }

    /// The ranks' results, filled in by their threads.
    private final class Results<T>: @unchecked Sendable {
        let lock = NSLock()
        var values: [Result<T, Error>?]
        init(_ count: Int) { values = [Result<T, Error>?](repeating: nil, count: count) }
    }
}
