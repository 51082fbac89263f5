import Foundation

/// Process-wide resource figures for benchmark reports.
enum ResourceUsage {
    /// Peak resident set size of this process so far (getrusage ru_maxrss, KiB on Linux), in bytes.
    static var peakResidentBytes: Int {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024
    }

    /// Peak resident set size of the largest waited-for child process so far (RUSAGE_CHILDREN), in bytes.
    static var peakChildResidentBytes: Int {
        var usage = rusage()
        guard getrusage(RUSAGE_CHILDREN.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024
    }

    /// CPU seconds (user + system) used by this process so far.
    static var cpuSeconds: Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// CPU seconds the whole machine spent busy (all processes), from /proc/stat; nil where unreadable.
    static var machineBusySeconds: Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let ticks = line.split(separator: " ").dropFirst().prefix(8).compactMap { Double($0) }
        guard ticks.count == 8 else { return nil }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (ticks.reduce(0, +) - ticks[3] - ticks[4]) / hz
    }

    /// Monotonic wall-clock seconds.
    static var now: Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
}

/// The share of the machine's CPU time that *other* processes used while a
/// block ran, as the peers' `OtherLoad` measures it: ~0 means undisturbed.
struct OtherLoad {
    private let busy0: Double?, own0: Double, wall0: Double

    init() {
        busy0 = ResourceUsage.machineBusySeconds
        own0 = ResourceUsage.cpuSeconds
        wall0 = ResourceUsage.now
    }

    var fraction: Double? {
        guard let busy0, let busy1 = ResourceUsage.machineBusySeconds else { return nil }
        let wall = ResourceUsage.now - wall0, own = ResourceUsage.cpuSeconds - own0
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        return max(0, busy1 - busy0 - own) / (wall * cores)
    }
}

extension Array where Element == Double {
    /// The median (mean of the two middle values for an even count); 0 when empty.
    var median: Double {
        guard !isEmpty else { return 0 }
        let s = sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
