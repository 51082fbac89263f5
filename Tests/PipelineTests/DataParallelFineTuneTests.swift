import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// `mpirun -np 2 rgdm finetune` on loopback: every method draws the same pools, scores them to the
/// same rewards and evaluation counts and takes the same steps as one process, and a run started
/// on 2 ranks resumes on 1 as if it had never stopped.
@Suite(.serialized, .temporaryDirectories,
       .enabled(if: MPIRun.isAvailable, "mpirun or the rgdm executable is missing: install Open MPI (bash scripts/setup.sh) to run the data-parallel tests"))
struct DataParallelFineTuneTests {
    /// A tiny molecule set, a base model trained on it for 3 steps, and the options of a tiny run:
    /// pools of 8 in chunks of 2 (so 2 ranks draw 2 chunks each), a cheap reward.
    private func setUp(_ name: String) throws -> (directory: URL, common: [String]) {
        let directory = try TemporaryDirectory.create(name)
        let dataset = directory.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        try alone(["train", dataset, "--output", directory.path + "/base", "--steps", "3", "--layers", "1", "--hidden", "8",
                   "--batch", "3", "--timesteps", "20", "--threads", "1"])
        return (directory, [
            "finetune", "--model", directory.path + "/base/checkpoint.rgdm", "--reward", "0.5*atom-stability+0.5*validity",
            "--data", dataset, "--pool", "8", "--pool-batch", "2", "--batch", "4", "--steps-per-round", "2",
            "--threads", "1", "--seed", "5", "--log-every", "1", "--checkpoint-every", "2",
        ])
    }

    private func alone(_ arguments: [String]) throws {
        let output = try RGDMExecutable.run(RGDMExecutable.path!, arguments)
        #expect(output.status == 0, "\(output.stderr)")
    }

    private func onTwoRanks(_ arguments: [String], _ directory: URL, _ name: String) throws {
        let job = try MPIRun.run(ranks: 2, arguments, output: directory.appendingPathComponent(name).path)
        #expect(job.status == 0, "\(job.stderr)")
        #expect(job.stderr.contains("rgdm finetune: 2 ranks × 1 thread(s)"), "\(job.stderr)")
    }

    /// The log's step losses and its rounds' figures (timings left out: they are the clock's).
    private func record(of run: URL) throws -> (losses: [Double], rounds: [[String: Double]]) {
        let text = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8)
        var losses: [Double] = [], rounds: [[String: Double]] = []
        for line in text.split(separator: "\n") {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            switch record["event"] as? String {
            case nil: losses.append(try #require(record["loss"] as? Double))
            case "round":
                rounds.append(record.compactMapValues { $0 as? Double }.filter { !$0.key.hasSuffix("_seconds") })
            default: break
            }
        }
        return (losses, rounds)
    }

    private func expectSameRun(_ run: URL, as reference: URL) throws {
        let a = try record(of: run), b = try record(of: reference)
        #expect(a.losses.count == b.losses.count && a.rounds.count == b.rounds.count, "rank 0 alone writes the log")
        #expect(!b.rounds.isEmpty)
        // The first pool is drawn from the same weights: bit for bit the pool of one process.
        #expect(a.rounds.first == b.rounds.first)
        expectClose(a.losses, b.losses, tolerance: 0, relative: 1e-5)
        for (x, y) in zip(a.rounds, b.rounds) {
            #expect(Set(x.keys) == Set(y.keys))
            for key in y.keys.sorted() {
                expectClose([x[key] ?? .nan], [y[key]!], tolerance: 1e-12, relative: 1e-5, "\(key)")
            }
            #expect(x["reward_evaluations"] == y["reward_evaluations"], "the budget counts as one process's")
        }
    }

    @Test(arguments: [
        ["--method", "rgdm", "--rounds", "2", "--replay", "2"],
        ["--method", "rgdm", "--rounds", "2", "--relax-pool", "5"],
        ["--method", "raft", "--rounds", "2", "--keep-fraction", "0.5"],
        ["--method", "ddpo", "--rounds", "2", "--steps", "5"],
        ["--method", "best-of-n", "--rounds", "2"],
        ["--method", "rgdm-step", "--training-steps", "4", "--evaluate-every", "2", "--explorations", "2"],
    ])
    func twoRanksGiveTheRunOfOneProcess(_ method: [String]) throws {
        let (directory, common) = try setUp("mpi-finetune-\(method[1])")
        let single = directory.appendingPathComponent("alone"), spread = directory.appendingPathComponent("spread")
        try alone(common + method + ["--output", single.path])
        try onTwoRanks(common + method + ["--output", spread.path], directory, "job")
        try expectSameRun(spread, as: single)
        if method.contains("--relax-pool") {
            let rounds = try record(of: spread).rounds
            #expect(rounds.allSatisfy { ($0["relaxed_rmsd"] ?? .nan) > 0 }, "the ranks relaxed a share each: \(rounds)")
        }
        let best = try String(contentsOf: single.appendingPathComponent("best.sdf"), encoding: .utf8)
        let spreadBest = try String(contentsOf: spread.appendingPathComponent("best.sdf"), encoding: .utf8)
        #expect(best.split(separator: "\n").count == spreadBest.split(separator: "\n").count)
        let files = try FileManager.default.contentsOfDirectory(atPath: spread.path).sorted()
        #expect(files.filter { $0.hasPrefix("run-") } == ["run-0.json"], "one invocation record: \(files)")
    }

    /// DDPO and step-level RGDM started on 2 ranks, then continued on 1 with more rounds or steps:
    /// the run of one process that never stopped (pools, rewards, ledger and steps).
    @Test func aRunStartedOnTwoRanksResumesOnOne() throws {
        let (directory, common) = try setUp("mpi-finetune-resume")
        for (first, whole) in [(["--method", "ddpo", "--steps", "5", "--rounds", "1"], ["--method", "ddpo", "--steps", "5", "--rounds", "2"]),
                               (["--method", "rgdm-step", "--evaluate-every", "2", "--explorations", "2", "--training-steps", "2"],
                                ["--method", "rgdm-step", "--evaluate-every", "2", "--explorations", "2", "--training-steps", "4"])] {
            let straight = directory.appendingPathComponent("straight-\(first[1])")
            let resumed = directory.appendingPathComponent("resumed-\(first[1])")
            try alone(common + whole + ["--output", straight.path])
            try onTwoRanks(common + first + ["--output", resumed.path], directory, "first-\(first[1])")
            try alone(common + whole + ["--output", resumed.path])
            try expectSameRun(resumed, as: straight)
        }
    }

    /// A rank that fails (here rank 1, whose model file is missing) ends the whole job through
    /// MPI_Abort with its reason, rather than leaving rank 0 waiting in the next collective.
    @Test func anErrorOnOneRankEndsTheJobWithTheReason() throws {
        let (directory, common) = try setUp("mpi-finetune-error")
        let run = directory.appendingPathComponent("run").path
        let broken = common.map { $0.hasSuffix("checkpoint.rgdm") ? directory.path + "/missing.rgdm" : $0 }
        let output = directory.appendingPathComponent("job").path
        let job = try MPIRun.launch(ranks: 1, common + ["--output", run, ":", "-np", "1", RGDMExecutable.path!]
                                        + broken + ["--output", run], output: output)
        let deadline = Date().addingTimeInterval(60)
        while job.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if job.isRunning { kill(job.processIdentifier, SIGKILL); job.waitUntilExit() }
        #expect(job.terminationStatus != 0 && job.terminationReason == .exit, "the job must end by itself, in error")
        let stderr = try String(contentsOfFile: output + ".err", encoding: .utf8)
        #expect(stderr.contains("rgdm finetune: rank 1 of 2:") && stderr.contains("missing.rgdm"), "\(stderr)")
    }
}
