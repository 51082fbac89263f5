import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// `mpirun -np 2 rgdm train` on loopback: the losses of one process at the same seed and
/// global batch, resumes across rank counts, and a killed rank ends the job cleanly.
@Suite(.serialized, .temporaryDirectories,
       .enabled(if: MPIRun.isAvailable, "mpirun or the rgdm executable is missing: install Open MPI (bash scripts/setup.sh) to run the data-parallel tests"))
struct DataParallelCommandTests {
    /// A tiny molecule set and the options of a tiny, fast run.
    private func setUp(_ name: String) throws -> (directory: URL, common: [String]) {
        let directory = try TemporaryDirectory.create(name)
        let dataset = directory.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset, copies: 3)
        return (directory, [
            "train", dataset, "--layers", "1", "--hidden", "8", "--batch", "5", "--timesteps", "20",
            "--threads", "1", "--seed", "7", "--log-every", "1", "--checkpoint-every", "5",
        ])
    }

    /// The loss of every logged step, in order.
    private func losses(in run: URL) throws -> [Double] {
        let text = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return record["event"] == nil ? record["loss"] as? Double : nil
        }
    }

    private func trainAlone(_ arguments: [String]) throws {
        let output = try RGDMExecutable.run(RGDMExecutable.path!, arguments)
        #expect(output.status == 0, "\(output.stderr)")
    }

    @Test func twoRanksGiveTheLossesOfOneProcess() throws {
        let (directory, common) = try setUp("mpi-losses")
        let alone = directory.appendingPathComponent("alone"), spread = directory.appendingPathComponent("spread")
        try trainAlone(common + ["--steps", "20", "--output", alone.path])
        let job = try MPIRun.run(ranks: 2, common + ["--steps", "20", "--output", spread.path],
                                 output: directory.appendingPathComponent("job").path)
        #expect(job.status == 0, "\(job.stderr)")
        #expect(job.stderr.contains("2 ranks × 1 thread(s)"))

        let reference = try losses(in: alone), distributed = try losses(in: spread)
        #expect(reference.count == 20 && distributed.count == 20, "rank 0 alone writes the log")
        expectClose(distributed, reference, tolerance: 0, relative: 1e-5)
        let a = try RunDirectory(spread).loadCheckpoint(), b = try RunDirectory(alone).loadCheckpoint()
        #expect(a.state.step == 20 && a.state.generator == b.state.generator && a.state.batches == b.state.batches)
        expectClose(a.state.parameters, b.state.parameters, tolerance: 1e-6, relative: 1e-4)
        let files = try FileManager.default.contentsOfDirectory(atPath: spread.path).sorted()
        #expect(files.filter { $0.hasPrefix("run-") } == ["run-0.json"], "one invocation record: \(files)")
    }

    /// Started on 2 ranks and resumed on 1, or the other way round: the losses of a run on
    /// one process that was never stopped (the checkpoint holds nothing rank-specific).
    @Test func aRunResumesOnAnotherNumberOfRanks() throws {
        let (directory, common) = try setUp("mpi-resume")
        let straight = directory.appendingPathComponent("straight")
        try trainAlone(common + ["--steps", "20", "--output", straight.path])
        let reference = try losses(in: straight)

        let twoThenOne = directory.appendingPathComponent("two-then-one")
        let first = try MPIRun.run(ranks: 2, common + ["--steps", "10", "--output", twoThenOne.path],
                                   output: directory.appendingPathComponent("first").path)
        #expect(first.status == 0, "\(first.stderr)")
        try trainAlone(common + ["--steps", "20", "--output", twoThenOne.path])
        expectClose(try losses(in: twoThenOne), reference, tolerance: 0, relative: 1e-5)

        let oneThenTwo = directory.appendingPathComponent("one-then-two")
        try trainAlone(common + ["--steps", "10", "--output", oneThenTwo.path])
        let second = try MPIRun.run(ranks: 2, common + ["--steps", "20", "--output", oneThenTwo.path],
                                    output: directory.appendingPathComponent("second").path)
        #expect(second.status == 0, "\(second.stderr)")
        expectClose(try losses(in: oneThenTwo), reference, tolerance: 0, relative: 1e-5)
    }

    /// kill -9 of rank 1 mid-run: mpirun ends the whole job with a message naming the rank,
    /// and the checkpoint rank 0 last wrote reads back whole and resumes.
    @Test func killingOneRankEndsTheJobAndLeavesAWholeCheckpoint() throws {
        let (directory, common) = try setUp("mpi-kill")
        let run = directory.appendingPathComponent("run")
        let job = try MPIRun.launch(ranks: 2, common + ["--steps", "1000000", "--output", run.path],
                                    output: directory.appendingPathComponent("job").path)
        defer { if job.isRunning { kill(job.processIdentifier, SIGKILL); job.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(120)
        var victim: Int32?
        while Date() < deadline, job.isRunning, victim == nil {
            let logged = (try? losses(in: run).count) ?? 0
            if logged >= 12, (try? RunDirectory(run).loadCheckpoint()) != nil {
                victim = MPIRun.ranks(of: job.processIdentifier).first { $0.rank == 1 }?.pid
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let pid = try #require(victim, "the job logged no 12 steps with a checkpoint within 120 s, or rank 1 was not found")
        kill(pid, SIGKILL)
        let ended = Date().addingTimeInterval(60)
        while job.isRunning && Date() < ended { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!job.isRunning, "the job must end when a rank dies")
        #expect(job.isRunning || job.terminationStatus != 0)
        let stderr = try String(contentsOfFile: directory.appendingPathComponent("job").path + ".err", encoding: .utf8)
        #expect(stderr.contains("rank 1") && stderr.contains("signal 9"), "mpirun names the rank that died: \(stderr)")

        let saved = try RunDirectory(run).loadCheckpoint()
        #expect(saved.state.step >= 5 && saved.state.step % 5 == 0)
        try trainAlone(common + ["--steps", "\(saved.state.step + 3)", "--output", run.path])
        #expect(try RunDirectory(run).loadCheckpoint().state.step == saved.state.step + 3)
    }

    /// `rgdm bench data-parallel` on 2 ranks: rank 0 alone prints, the volume is the ring's
    /// 2(N − 1)/N × 4P bytes, and both ranks' parts are timed.
    @Test func theBenchmarkRunsOnTwoRanks() throws {
        let directory = try TemporaryDirectory.create("mpi-bench")
        let output = directory.appendingPathComponent("bench").path
        let job = try MPIRun.run(ranks: 2, ["bench", "data-parallel", "--layers", "1", "--hidden", "8", "--batch", "6",
                                            "--steps", "2", "--warmup", "1", "--threads", "1", "--json"], output: output)
        #expect(job.status == 0, "\(job.stderr)")
        let lines = try String(contentsOfFile: output + ".out", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1, "rank 0 alone prints: \(lines)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
        let parameters = try #require(result["parameters"] as? Int)
        #expect(result["all_reduce_bytes_per_step"] as? Double == Double(4 * parameters))
        #expect((result["part_cpu_seconds_by_rank"] as? [Double])?.count == 2)
    }

    /// Ranks that see different run folders (rank 0 a checkpoint at step 5, rank 1 none, as
    /// without a shared file system): every rank stops with the reason, the job ends (MPI_Abort)
    /// instead of waiting, and rank 0's checkpoint is untouched.
    @Test func ranksSeeingDifferentRunsEndTheJobWithTheReason() throws {
        let (directory, common) = try setUp("mpi-disagree")
        let shared = directory.appendingPathComponent("shared"), other = directory.appendingPathComponent("other")
        try trainAlone(common + ["--steps", "5", "--output", shared.path])
        let before = try Data(contentsOf: RunDirectory(shared).checkpointURL)
        // MPMD: one rank per command line, each with its own --output.
        let rgdm = RGDMExecutable.path!
        let output = directory.appendingPathComponent("job").path
        let job = try MPIRun.launch(ranks: 1, common + ["--steps", "10", "--output", shared.path, ":", "-np", "1", rgdm]
                                        + common + ["--steps", "10", "--output", other.path], output: output)
        let deadline = Date().addingTimeInterval(60)
        while job.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if job.isRunning { kill(job.processIdentifier, SIGKILL); job.waitUntilExit() }
        // Ending by itself, in error, is MPI_Abort's doing; Open MPI's own "MPI_ABORT was invoked"
        // notice is not asserted: when both ranks abort at once its help relay can garble it.
        #expect(job.terminationStatus != 0 && job.terminationReason == .exit, "the job must end by itself, in error")
        let stderr = try String(contentsOfFile: output + ".err", encoding: .utf8)
        // Whichever rank aborts first kills the other, which may not have printed yet.
        #expect(stderr.contains("rgdm train: rank 1 of 2: rank 1 of the data-parallel job: this rank holds step 0 but rank 0 step 5")
                    || stderr.contains("rgdm train: rank 0 of 2: rank 0 of the data-parallel job: another rank does not hold the run rank 0 holds (step 5)"),
                "\(stderr)")
        #expect(try Data(contentsOf: RunDirectory(shared).checkpointURL) == before)
    }
}
