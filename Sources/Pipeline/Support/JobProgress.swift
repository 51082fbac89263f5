/// What a long job tells the command running it about its progress; the command draws it
/// (`ProgressLine.show`, `SharedProgress.show`), so that jobs themselves print nothing.
enum JobProgress: Sendable, Equatable {
    /// Items done so far, over all workers.
    case done(Int)
    /// One more item done; `rejected` of all those done so far were rejected.
    case advanced(rejected: Int)
    /// The counted work is over (merging and writing may follow); `rejected` when the job counts them.
    case finished(rejected: Int?)
}

extension ProgressLine {
    /// Draws a job's progress: the count, and the rejects when the job counts them.
    mutating func show(_ progress: JobProgress) {
        switch progress {
        case let .done(count): update(done: count)
        case let .advanced(rejected): advance(extra: "rejected \(rejected)")
        case let .finished(rejected): finish(extra: rejected.map { "rejected \($0)" } ?? "")
        }
    }
}
