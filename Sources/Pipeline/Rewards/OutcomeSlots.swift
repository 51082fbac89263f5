import Foundation

/// One outcome slot per sample, filled from several threads.
final class OutcomeSlots: @unchecked Sendable {
    private var slots: [RewardOutcome]
    private let lock = NSLock()

    init(count: Int, initial: RewardOutcome = .failure(.failed("not scored"))) {
        slots = Array(repeating: initial, count: count)
    }

    subscript(index: Int) -> RewardOutcome {
        get { lock.withLock { slots[index] } }
        set { lock.withLock { slots[index] = newValue } }
    }

    var values: [RewardOutcome] { lock.withLock { slots } }
}
