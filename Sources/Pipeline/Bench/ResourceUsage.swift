import Foundation

/// Process-wide resource figures for benchmark reports.
enum ResourceUsage {
    /// Peak resident set size of this process so far (getrusage ru_maxrss, KiB on Linux), in bytes.
    static var peakResidentBytes: Int {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024
    }

    /// CPU seconds (user + system) used by this process so far.
    static var cpuSeconds: Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Monotonic wall-clock seconds.
    static var now: Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
}

extension Array where Element == Double {
    /// The median (mean of the two middle values for an even count); 0 when empty.
    var median: Double {
        guard !isEmpty else { return 0 }
        let s = sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
