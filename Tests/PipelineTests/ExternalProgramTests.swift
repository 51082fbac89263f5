import Foundation
import Testing
import TestSupport
@testable import Pipeline

@Suite(.temporaryDirectories) struct ExternalProgramTests {
    /// `tail` on an endless file without line breaks keeps all of it: its resident memory passes
    /// a 64 MiB limit within a second, and it is killed there.
    @Test func aProgramPastItsMemoryLimitIsKilled() throws {
        let directory = try TemporaryDirectory.create("program").path
        let start = Date()
        let ending = try ExternalProgram("tail").run(["/dev/zero"], output: directory + "/out", error: directory + "/err",
                                                    timeout: 60, memoryLimit: 64 << 20)
        #expect(ending == .exceededMemory(64 << 20))
        #expect(Date().timeIntervalSince(start) < 30)
    }

    /// Without a limit the same watch does not stop a small program, which ends by itself.
    @Test func aProgramUnderItsLimitsEndsByItself() throws {
        let directory = try TemporaryDirectory.create("program").path
        let ending = try ExternalProgram("sh").run(["-c", "exit 3"], output: directory + "/out", error: directory + "/err",
                                                  timeout: 60, memoryLimit: 64 << 20)
        #expect(ending == .exited(3))
    }
}
