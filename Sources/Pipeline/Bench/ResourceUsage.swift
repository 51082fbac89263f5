import Foundation

/// Process-wide resource figures for benchmark reports (and the fuzz harness's per-input peak check).
public enum ResourceUsage {
    /// Peak resident set size of this process so far (getrusage ru_maxrss, KiB on Linux), in bytes.
    public static var peakResidentBytes: Int {
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

    /// CPU seconds of this process and its children: its own, those of children it has waited
    /// for (RUSAGE_CHILDREN, which holds what they waited for in turn: xtb runs, reward commands)
    /// and those of live children (`/proc/PID/stat` of each process whose parent is this one,
    /// with what they waited for: persistent reward workers). Grandchildren still running are not seen.
    static var cpuSecondsWithChildren: Double {
        cpuSeconds + reapedChildrenCPUSeconds + liveChildrenCPUSeconds
    }

    /// CPU seconds (user + system) of the children this process has waited for (RUSAGE_CHILDREN).
    static var reapedChildrenCPUSeconds: Double {
        var usage = rusage()
        guard getrusage(RUSAGE_CHILDREN.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
    }

    /// CPU seconds (user + system, with their waited-for children's) of this process's live children.
    static var liveChildrenCPUSeconds: Double { liveChildrenCPU.values.reduce(0, +) }

    /// Each live child's CPU seconds (user + system, with its waited-for children's), by process id.
    static var liveChildrenCPU: [Int32: Double] {
        let me = getpid()
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var seconds: [Int32: Double] = [:]
        for entry in entries where entry.first?.isNumber == true {
            // The fields after the command's closing parenthesis: state ppid … utime stime cutime cstime (fields 3…17).
            guard let pid = Int32(entry), let text = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = text.lastIndex(of: ")") else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 14, Int32(fields[1]) == me else { continue }
            seconds[pid] = fields[11 ... 14].compactMap { Double($0) }.reduce(0, +) / hz
        }
        return seconds
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
