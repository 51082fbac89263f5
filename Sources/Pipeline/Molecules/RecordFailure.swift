import Foundation

/// A record that took its worker process down: where it is and how the worker ended.
struct RecordFailure: Equatable, Sendable, CustomStringConvertible {
    enum Cause: Equatable, Sendable {
        /// Killed by a signal (SIGSEGV in Open Babel, most often).
        case crashed(signal: Int32)
        /// Still running when its record timeout ran out.
        case timedOut(seconds: Double)
        /// An allocation failed under the worker's address-space cap.
        case outOfMemory(megabytes: Int)
        /// Exited with a failure status and this last message.
        case failed(status: Int32, message: String)
    }

    var position: RecordPosition
    var cause: Cause

    /// "in.smi: record 3: the worker crashed on this record (signal 11, SIGSEGV)"
    var description: String { "\(position.file): record \(position.record): \(reason)" }

    var reason: String {
        switch cause {
        case .crashed(let signal):
            return "the worker crashed on this record (signal \(signal)\(Self.signalName(signal).map { ", \($0)" } ?? ""))"
        case .timedOut(let seconds):
            return "took longer than \(Self.seconds(seconds)) (--record-timeout)"
        case .outOfMemory(let megabytes):
            return "needed more than the worker's \(megabytes) MiB of memory (--worker-memory)"
        case .failed(let status, let message):
            return "the worker failed on this record (exit status \(status))" + (message.isEmpty ? "" : ": \(message)")
        }
    }

    /// How a worker that ended with `status` (a signal number when `signaled`)
    /// and wrote `errorOutput` last came to end, under `isolation`.
    static func cause(status: Int32, signaled: Bool, errorOutput: String, isolation: RecordIsolation) -> Cause {
        let outOfMemory = ["failed to allocate", "bad_alloc", "Cannot allocate memory", "out of memory"].contains { errorOutput.contains($0) }
        if let megabytes = isolation.memoryMegabytes, outOfMemory { return .outOfMemory(megabytes: megabytes) }
        if signaled {
            if status == SIGALRM, let seconds = isolation.timeout { return .timedOut(seconds: seconds) }
            return .crashed(signal: status)
        }
        return .failed(status: status, message: lastLine(of: errorOutput))
    }

    /// The last non-empty line of a worker's error output, "Error: " dropped.
    static func lastLine(of text: String) -> String {
        let line = text.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) }.map(String.init) ?? ""
        return line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private static func signalName(_ signal: Int32) -> String? {
        switch signal {
        case SIGILL: return "SIGILL"
        case SIGTRAP: return "SIGTRAP"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGKILL: return "SIGKILL"
        case SIGSEGV: return "SIGSEGV"
        case SIGALRM: return "SIGALRM"
        case SIGXCPU: return "SIGXCPU"
        default: return nil
        }
    }
}
