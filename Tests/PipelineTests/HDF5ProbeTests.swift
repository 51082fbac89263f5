import Foundation
import HDF5
import Testing
import TestSupport
@testable import Pipeline

/// The HDF5 probe: every HDF5 file the rgdm executable opens is read first in a child process,
/// so a file that crashes, hangs or blows up libhdf5 ends in an error naming it. The fixtures are
/// files the `hdf5-modelnet40` fuzzer found (Fuzz/README.md), each crashing libhdf5 1.10.8 itself.
@Suite(.temporaryDirectories) struct HDF5ProbeTests {
    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/fuzz/" + name, withExtension: "h5")).path
    }

    /// A segfault in a name lookup (`H5Lexists` → `H5HL_protect` → `H5F__accum_read`) that
    /// `rgdm info` reaches, and a stack overrun in a float conversion (`H5T__bit_get_d`, glibc's
    /// "stack smashing detected") that `rgdm convert` reaches. With the probe off each command dies
    /// by the signal, which shows the fixture still crashes the library; with it on, the command
    /// ends with status 1 and an error naming the file and the signal.
    @Test(arguments: [("libhdf5-segfault-in-lookup", ["info"], SIGSEGV),
                      ("libhdf5-stack-smash-in-conversion", ["convert"], SIGABRT)])
    func aFileThatCrashesLibHDF5IsAnErrorNamingIt(name: String, command: [String], signal: Int32) throws {
        let rgdm = try #require(RGDMExecutable.path, "the rgdm executable was not built")
        let input = try Self.fixture(name)
        var arguments = command + [input]
        if command == ["convert"] { arguments.append(try TemporaryDirectory.create("probe").appendingPathComponent("out.h5").path) }

        let unprobed = try RGDMExecutable.run(rgdm, arguments, environment: ["RGDM_HDF5_PROBE": "off", "SWIFT_BACKTRACE": "enable=no"])
        #expect(unprobed.signalled && unprobed.status == signal, "without the probe: status \(unprobed.status), \(unprobed.stderr.suffix(300))")

        let probed = try RGDMExecutable.run(rgdm, arguments)
        #expect(!probed.signalled && probed.status == 1)
        #expect(probed.stderr.contains("\(input): cannot open as HDF5: reading it in a separate process failed: killed by signal \(signal)"),
                "\(probed.stderr.suffix(500))")
    }

    /// A group lookup that makes libhdf5 allocate without end (1.8 GB in 55 million blocks of its
    /// free lists under AddressSanitizer): the child is killed at the memory limit.
    @Test func aRunawayAllocationIsStoppedAtTheMemoryLimit() throws {
        let rgdm = try #require(RGDMExecutable.path, "the rgdm executable was not built")
        let probe = HDF5Probe(executable: rgdm, memoryLimit: 256 << 20)
        let input = try Self.fixture("libhdf5-endless-allocation")
        #expect(throws: HDF5Error.self) { try probe.check(input) }
        do {
            try probe.check(input)
        } catch let HDF5Error.cannotOpen(file, reason) {
            #expect(file == input)
            #expect(reason.contains("used more than 256 MiB of memory"), "\(reason)")
        }
    }

    /// A child still running at the time limit is killed: an endless loop inside libhdf5 (one
    /// of the fuzzers' finds, `H5HG__protect`) stands in as a program that sleeps.
    @Test func aHangIsStoppedAtTheTimeLimit() throws {
        let directory = try TemporaryDirectory.create("probe")
        let sleeper = directory.appendingPathComponent("sleeper").path
        try "#!/bin/sh\nexec sleep 30\n".write(toFile: sleeper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sleeper)
        let probe = HDF5Probe(executable: sleeper, baseTimeout: 1, secondsPerGigabyte: 0)
        let start = Date()
        #expect(throws: HDF5Error.cannotOpen(file: sleeper, reason: "reading it in a separate process failed: still reading after 1 s "
                                                 + "(an endless loop in libhdf5?); libhdf5 cannot read this file safely (corrupt?) "
                                                 + "(RGDM_HDF5_PROBE=off skips this check)")) {
            try probe.check(sleeper)
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    /// A sound file passes the probe (the child reads every dataset and attribute and exits 0) and
    /// is described by `rgdm info` with the probe on.
    @Test func aSoundFileIsProbedAndOpened() throws {
        let rgdm = try #require(RGDMExecutable.path, "the rgdm executable was not built")
        let path = try TemporaryDirectory.create("probe").appendingPathComponent("clouds.h5").path
        let file = try HDF5File(creating: path)
        try file.root.createDataset("data", values: (0 ..< 2 * 8 * 3).map { Float($0) }, shape: [2, 8, 3], storage: .compressed())
        try file.root.createDataset("label", values: [UInt8(3), 7], shape: [2, 1])
        try file.root.setAttribute("source", .string("test"))
        try file.commit()

        try HDF5Probe(executable: rgdm).check(path)
        let info = try RGDMExecutable.run(rgdm, ["info", path])
        #expect(info.status == 0 && info.stdout.contains("ModelNet40 layout"), "\(info.stdout) \(info.stderr)")
    }

    /// A file is probed once per process while its inode, size and modification time stay, and a
    /// file that failed fails again without a second probe.
    @Test func aFileIsProbedAgainOnlyWhenItChanges() throws {
        let path = try TemporaryDirectory.create("probe").appendingPathComponent("file.h5").path
        try Data("first".utf8).write(to: URL(fileURLWithPath: path))
        let probed = ProbedFiles()
        var runs = 0
        for _ in 0 ..< 3 { try probed.once(path) { runs += 1 } }
        #expect(runs == 1)
        try Data("second, longer".utf8).write(to: URL(fileURLWithPath: path))
        try probed.once(path) { runs += 1 }
        #expect(runs == 2)
        let other = path + ".other"
        try Data("other".utf8).write(to: URL(fileURLWithPath: other))
        for _ in 0 ..< 2 {
            #expect(throws: HDF5Error.closed(file: other)) {
                try probed.once(other) {
                    runs += 1
                    throw HDF5Error.closed(file: other)
                }
            }
        }
        #expect(runs == 3)
    }

    @Test func theEnvironmentTurnsTheProbeOff() {
        #expect(HDF5Probe.isEnabled([:]))
        #expect(HDF5Probe.isEnabled(["RGDM_HDF5_PROBE": "on"]))
        for off in ["off", "OFF", "0", "no", "false"] { #expect(!HDF5Probe.isEnabled(["RGDM_HDF5_PROBE": off])) }
    }
}
