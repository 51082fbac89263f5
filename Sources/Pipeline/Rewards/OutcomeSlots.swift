import Foundation

/// One slot per sample, filled from several threads.
final class OutcomeSlots<Value>: @unchecked Sendable {
    private var slots: [Value]
    private let lock = NSLock()

    init(count: Int, initial: Value) {
        slots = Array(repeating: initial, count: count)
    }

    subscript(index: Int) -> Value {
        get { lock.withLock { slots[index] } }
        set { lock.withLock { slots[index] = newValue } }
    }

    var values: [Value] { lock.withLock { slots } }
}

extension OutcomeSlots<RewardOutcome> {
    convenience init(count: Int) {
        self.init(count: count, initial: .failure(.failed("not scored")))
    }
}

/// `body(i)` for i in 0..<count, `threads` at a time, each on a thread of its own (the work
/// mostly waits for external programs, which must not hold up a shared thread pool).
func concurrentMap<Value>(count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> Value) -> [Value] {
    guard count > 0 else { return [] }
    let slots = OutcomeSlots<Value?>(count: count, initial: nil)
    let next = NSLock()
    nonisolated(unsafe) var taken = 0
    let group = DispatchGroup()
    for _ in 0..<min(max(1, threads), count) {
        group.enter()
        Thread {
            while true {
                let i: Int = next.withLock { defer { taken += 1 }; return taken }
                guard i < count else { break }
                slots[i] = body(i)
            }
            group.leave()
        }.start()
    }
    group.wait()
    return slots.values.map { $0! }
}
