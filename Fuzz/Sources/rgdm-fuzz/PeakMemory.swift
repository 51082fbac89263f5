import Foundation
import Pipeline

/// The process's peak resident memory, checked around each input. libFuzzer compares the peak
/// with `-rss_limit_mb` once a second on a thread of its own, so the input it reports is whichever
/// was running when it looked; an input whose own run raises the peak by more than `limit` ends
/// the process here instead, and libFuzzer keeps that input. scripts/fuzz-triage.sh replays it
/// under AddressSanitizer's soft RSS limit, whose report has the stack of the allocation that
/// crossed it.
enum PeakMemory {
    /// The most one input may raise the peak, in megabytes (`RGDM_FUZZ_PEAK_MB`, default 1024).
    /// The largest inputs (32 KiB of HDF5) are read with allocations bounded to 1,100 times their size.
    static let limit = ProcessInfo.processInfo.environment["RGDM_FUZZ_PEAK_MB"].flatMap { Int($0) } ?? 1024

    /// The peak resident memory so far, in megabytes.
    static func megabytes() -> Int { ResourceUsage.peakResidentBytes >> 20 }

    /// Ends the process with a report when the peak rose by more than `limit` since `before`.
    /// When the peak is also past `-rss_limit_mb`, libFuzzer's own check (once a second) may
    /// already be writing its report, and a signal now would kill it before the input is saved;
    /// so this waits two seconds first, still inside the input, for libFuzzer to end the process
    /// with this input as its current one.
    static func check(since before: Int) {
        let after = megabytes()
        guard after - before > limit else { return }
        FileHandle.standardError.write(Data("rgdm-fuzz: this input raised peak resident memory from \(before) MB to \(after) MB\n".utf8))
        sleep(2)
        abort()
    }
}
