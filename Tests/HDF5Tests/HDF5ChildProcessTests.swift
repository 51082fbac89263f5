import Foundation
import Testing
import TestSupport
@testable import HDF5

/// A child process started while a file is being written (another thread spawning a worker, a
/// test running a subprocess) must not keep that file from being read once it is committed.
///
/// HDF5 1.10 locks every file it opens with `flock` (exclusive for a writer) and opens it without
/// `O_CLOEXEC`. A `flock` belongs to the open file description, which a forked child shares until
/// it closes its copy of the descriptor (at `exec`, or when it exits), so a child forked at the
/// wrong moment held the writer's lock past `commit()`, and the committed file failed to open:
/// "cannot open as HDF5: H5Fopen failed" (seen once in `ShapesCommandTests.evaluatesAndConverts`
/// on a loaded machine).
@Suite(.temporaryDirectories) struct HDF5ChildProcessTests {
    /// The descriptors of this process open on `path` (from /proc/self/fd).
    private func descriptors(openOn path: String) throws -> [Int32] {
        let names = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        return names.compactMap { name in
            guard let fd = Int32(name),
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name),
                  target == path else { return nil }
            return fd
        }
    }

    /// Starts `/bin/sleep` holding a duplicate of `fd` as its descriptor 3: the same open file
    /// description a child forked at that moment would have inherited.
    private func childHolding(_ fd: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fd, 3)
        var pid: pid_t = 0
        let arguments = ["/bin/sleep", "30"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawn(&pid, "/bin/sleep", &actions, nil, &argv, environ)
        try #require(status == 0, "posix_spawn: \(String(cString: strerror(status)))")
        return pid
    }

    @Test func aCommittedFileOpensWhileAChildHoldsTheWritersDescriptor() throws {
        let directory = try TemporaryDirectory.create("child").path
        let path = directory + "/copy.h5"
        let file = try HDF5File(creating: path)
        try file.root.createDataset("points", values: [Float](repeating: 1, count: 12), shape: [4, 3])
        let temporary = try #require(file.temporaryPath)
        let fd = try #require(try descriptors(openOn: temporary).first, "HDF5 holds \(temporary) open")
        let child = try childHolding(fd)
        defer {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        try file.commit()
        let read = try HDF5File(readingFrom: path)
        #expect(try read.dataset("points").shape() == [4, 3])
    }

    @Test func filesAreNotInheritedAcrossExec() throws {
        let directory = try TemporaryDirectory.create("cloexec").path
        let path = directory + "/a.h5"
        let writer = try HDF5File(creating: path)
        let temporary = try #require(writer.temporaryPath)
        for fd in try descriptors(openOn: temporary) {
            #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0, "the writer's descriptor \(fd) closes on exec")
        }
        try writer.root.createDataset("x", values: [Float(1)], shape: [1])
        try writer.commit()
        let reader = try HDF5File(readingFrom: path)
        let fds = try descriptors(openOn: path)
        #expect(!fds.isEmpty)
        for fd in fds {
            #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0, "the reader's descriptor \(fd) closes on exec")
        }
        reader.close()
    }
}
