import Foundation

/// A progress line several worker threads advance.
final class SharedProgress: @unchecked Sendable {
    private var line: ProgressLine
    private let lock = NSLock()

    init(label: String, total: Int?) { line = ProgressLine(label: label, total: total) }

    func advance(extra: String = "") {
        lock.lock()
        defer { lock.unlock() }
        line.advance(extra: extra)
    }

    func update(done: Int, extra: String = "") {
        lock.lock()
        defer { lock.unlock() }
        line.update(done: done, extra: extra)
    }

    func finish(extra: String = "") {
        lock.lock()
        defer { lock.unlock() }
        line.finish(extra: extra)
    }

    func show(_ progress: JobProgress) {
        lock.lock()
        defer { lock.unlock() }
        line.show(progress)
    }
}
