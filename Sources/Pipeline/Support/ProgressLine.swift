import Foundation

/// A live progress line on stderr — count, rate, time left — redrawn at most
/// a few times a second, and silent when stderr is not a terminal (piped or
/// redirected), so logs stay clean.
///
///     var progress = ProgressLine(label: "3D", total: smiles.count)
///     for … { …; progress.advance(extra: "rejects \(n)") }
///     progress.finish()
public struct ProgressLine {
    public let label: String
    public let total: Int?
    public private(set) var done = 0
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    /// - Parameter enabled: defaults to "stderr is a terminal".
    public init(label: String, total: Int?, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        self.total = total
        self.enabled = enabled
    }

    /// Records `count` more items done and redraws if enough time has passed.
    public mutating func advance(by count: Int = 1, extra: String = "") {
        done += count
        let now = Date()
        guard enabled, now.timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = now
        draw(now: now, extra: extra)
    }

    /// Sets the absolute count (for work reported by other processes).
    public mutating func update(done newDone: Int, extra: String = "") {
        advance(by: newDone - done, extra: extra)
    }

    /// Draws the final state and ends the line.
    public mutating func finish(extra: String = "") {
        guard enabled else { return }
        draw(now: Date(), extra: extra)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw(now: Date, extra: String) {
        let elapsed = max(now.timeIntervalSince(start), 1e-9)
        let rate = Double(done) / elapsed
        var line = "\r\u{1B}[K\(label) \(done)"
        if let total, total > 0 {
            let percent = 100 * Double(done) / Double(total)
            line += "/\(total) (\(String(format: "%.1f", percent))%)"
            if rate > 0, done < total {
                line += " eta \(Self.format(seconds: Double(total - done) / rate))"
            }
        }
        line += " \(String(format: "%.1f", rate))/s elapsed \(Self.format(seconds: elapsed))"
        if !extra.isEmpty { line += " \(extra)" }
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// "1h02m", "3m07s", "12s".
    public static func format(seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
