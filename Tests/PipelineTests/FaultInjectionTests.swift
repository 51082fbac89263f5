import Diffusion
import Foundation
import HDF5
import Testing
import TestSupport
@testable import Pipeline

/// What an unattended run meets: a kill -9 in the middle (the run resumes and ends where an
/// uninterrupted one ends, no record lost or twice), a full disk while a checkpoint or a dataset
/// is written (a clear error, the previous file intact), an output folder that cannot be
/// written, a damaged checkpoint (an error naming the file). `train`'s kill -9 is in
/// KillResumeTests.
@Suite(.serialized, .temporaryDirectories) struct FaultInjectionTests {
    private func executable() throws -> String {
        try #require(RGDMExecutable.path, "the rgdm executable is built with the tests")
    }

    /// Polls `condition` every 50 ms while `process` runs, for up to `bound` seconds.
    private func wait(for process: Process, bound: TimeInterval, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(bound)
        while Date() < deadline && process.isRunning {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Kills `process` with SIGKILL and waits for it.
    private func killHard(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    // MARK: kill -9

    @Test func preprocessKilledMidwayResumesWithoutLosingOrDuplicatingARecord() throws {
        let rgdm = try executable()
        let dir = try TemporaryDirectory.create("preprocess-kill").path
        // 120 small molecules, each built in 3D (OBBuilder + MMFF94): long enough to be killed.
        let smiles = (1 ... 30).flatMap { n in
            let chain = String(repeating: "C", count: n)
            return [chain + "O", "N" + chain, chain + "F", "O" + chain + "N"]
        }
        try (smiles.joined(separator: "\n") + "\n").write(toFile: dir + "/in.smi", atomically: true, encoding: .utf8)
        let common = ["preprocess", "molecules", dir + "/in.smi", "--threads", "2", "--seed", "4"]
        let parts = dir + "/killed.h5.parts"
        let done: () -> Int = {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: parts)) ?? []
            return files.reduce(0) { $0 + PreprocessJob.completedIndices(parts + "/" + $1).count }
        }
        let victim = try RGDMExecutable.launch(rgdm, common + ["-o", dir + "/killed.h5"])
        let progressed = wait(for: victim, bound: 120) { done() >= 6 }
        if victim.isRunning { killHard(victim) }
        try #require(progressed, "no 6 prepared records within 120 s, or the run ended first")
        #expect(victim.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: dir + "/killed.h5"))
        let before = done()
        #expect(before < smiles.count, "killed before the end")
        // Its workers stop too, after at most the record each was on.
        Thread.sleep(forTimeInterval: 2)
        #expect(done() <= before + 2, "workers went on after their supervisor was killed: \(before) → \(done()) records")

        let resumed = try RGDMExecutable.run(rgdm, common + ["-o", dir + "/killed.h5"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let straight = try RGDMExecutable.run(rgdm, common + ["-o", dir + "/straight.h5"])
        #expect(straight.status == 0, "\(straight.stderr)")
        #expect(!FileManager.default.fileExists(atPath: parts), "the parts are merged and removed")

        let a = try HDF5File(readingFrom: dir + "/killed.h5"), b = try HDF5File(readingFrom: dir + "/straight.h5")
        let smilesA = try a.dataset("smiles").readStrings(), smilesB = try b.dataset("smiles").readStrings()
        #expect(smilesA.count == smiles.count && Set(smilesA).count == smiles.count, "every record once")
        #expect(smilesA == smilesB)
        #expect(try a.dataset("positions").read(Float.self).values == b.dataset("positions").read(Float.self).values)
        #expect(try a.dataset("atom_offsets").read(Int.self).values == b.dataset("atom_offsets").read(Int.self).values)
    }

    @Test func fineTuneKilledMidwayResumesToTheWeightsOfAnUninterruptedRun() throws {
        let rgdm = try executable()
        let dir = try TemporaryDirectory.create("finetune-kill").path
        let dataset = dir + "/tiny.h5"
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let base = try RGDMExecutable.run(rgdm, ["train", dataset, "--output", dir + "/base", "--steps", "3", "--layers", "1",
                                                 "--hidden", "8", "--batch", "3", "--timesteps", "20", "--threads", "1"])
        try #require(base.status == 0, "\(base.stderr)")
        let rounds = 200
        let common = ["finetune", "--model", dir + "/base/checkpoint.rgdm", "--method", "rgdm", "--reward", "atom-stability",
                      "--rounds", "\(rounds)", "--pool", "6", "--steps-per-round", "2", "--batch", "3", "--steps", "5",
                      "--threads", "1", "--seed", "2"]
        let killed = dir + "/killed"
        let roundsLogged: () -> Int = {
            ((try? String(contentsOfFile: killed + "/log.jsonl", encoding: .utf8)) ?? "")
                .split(separator: "\n").filter { $0.contains("\"event\":\"round\"") }.count
        }
        let victim = try RGDMExecutable.launch(rgdm, common + ["--output", killed])
        let progressed = wait(for: victim, bound: 120) {
            roundsLogged() >= 3 && (try? Checkpoint(contentsOf: URL(fileURLWithPath: killed + "/checkpoint.rgdm"))) != nil
        }
        let stillRunning = victim.isRunning
        if stillRunning { killHard(victim) }
        try #require(progressed, "no 3 rounds and a checkpoint within 120 s, or the run ended first")
        #expect(stillRunning, "the run must still be going when it is killed (raise --rounds)")
        let saved = try Checkpoint(contentsOf: URL(fileURLWithPath: killed + "/checkpoint.rgdm"))
        #expect(saved.state.step < 2 * rounds)

        let resumed = try RGDMExecutable.run(rgdm, common + ["--output", killed])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let straight = try RGDMExecutable.run(rgdm, common + ["--output", dir + "/straight"])
        #expect(straight.status == 0, "\(straight.stderr)")
        let a = try Checkpoint(contentsOf: URL(fileURLWithPath: killed + "/checkpoint.rgdm"))
        let b = try Checkpoint(contentsOf: URL(fileURLWithPath: dir + "/straight/checkpoint.rgdm"))
        #expect(a.state.step == b.state.step && a.state.step == 2 * rounds)
        #expect(a.state.parameters == b.state.parameters)
        #expect(a.state.ema?.weights == b.state.ema?.weights)
        let report: (String) throws -> [String: Any] = { run in
            try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/report.json"))) as? [String: Any])
        }
        #expect(try report(killed)["reward_evaluations"] as? Int == 6 * rounds, "no pool scored twice or lost")
        #expect(try report(killed)["reward_evaluations"] as? Int == report(dir + "/straight")["reward_evaluations"] as? Int)
    }

    // MARK: A full disk

    @Test func aFullDiskWhileCheckpointingIsAClearErrorAndKeepsThePreviousCheckpoint() throws {
        let rgdm = try executable()
        let dir = try TemporaryDirectory.create("full-checkpoint").path
        let dataset = dir + "/tiny.h5"
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let train = ["train", dataset, "--layers", "2", "--hidden", "32", "--batch", "3", "--timesteps", "20", "--threads", "1",
                     "--seed", "3", "--checkpoint-every", "5"]
        try FullDisk.withSmallFilesystem(at: dir + "/disk") { disk in
            let run = disk.path + "/run"
            let first = try RGDMExecutable.run(rgdm, train + ["--steps", "5", "--output", run])
            try #require(first.status == 0, "\(first.stderr)")
            let checkpoint = run + "/checkpoint.rgdm"
            let before = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
            try disk.fill(leaving: before.count / 2)

            let full = try disk.run(rgdm, train + ["--steps", "10", "--output", run])
            #expect(full.status != 0 && full.signal == nil, "a clear error, not a crash: \(full)")
            #expect(full.stderr.contains(run), "the error names the run or its checkpoint: \(full.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == before, "the previous checkpoint is intact")
            #expect(try Checkpoint(contentsOf: URL(fileURLWithPath: checkpoint)).state.step == 5)
        }
    }

    @Test func aFullDiskWhileWritingADatasetIsAClearErrorAndKeepsThePreviousFile() throws {
        let rgdm = try executable()
        let dir = try TemporaryDirectory.create("full-dataset").path
        let preprocess = ["preprocess", "shapes", "--procedural", "--category", "chair", "--per-category", "10", "--points", "256"]
        try FullDisk.withSmallFilesystem(at: dir + "/disk") { disk in
            let output = disk.path + "/shapes.h5"
            let first = try RGDMExecutable.run(rgdm, preprocess + ["--seed", "1", "-o", output])
            try #require(first.status == 0, "\(first.stderr)")
            let before = try Data(contentsOf: URL(fileURLWithPath: output))
            try disk.fill(leaving: before.count / 2)

            let full = try disk.run(rgdm, preprocess + ["--seed", "2", "-o", output])
            #expect(full.status != 0 && full.signal == nil, "a clear error, not a crash: \(full)")
            #expect(full.stderr.contains(output), "the error names the file: \(full.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before, "the previous file is intact")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: disk.path).filter { $0.contains(".tmp") }
            #expect(leftovers.isEmpty, "no temporary file left behind: \(leftovers)")
        }
    }

    // MARK: An output folder that cannot be written

    @Test func anOutputThatCannotBeWrittenIsAClearError() throws {
        let rgdm = try executable()
        let dir = try TemporaryDirectory.create("unwritable").path
        let dataset = dir + "/tiny.h5", shapes = dir + "/shapes.h5"
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let made = try RGDMExecutable.run(rgdm, ["preprocess", "shapes", "--procedural", "--category", "mug", "--per-category", "3",
                                                 "--points", "16", "-o", shapes])
        try #require(made.status == 0, "\(made.stderr)")
        // A regular file where a folder must be: unwritable for every user, root included.
        try "not a folder".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        var blocked = [dir + "/file/sub"]
        if geteuid() != 0 {
            try FileManager.default.createDirectory(atPath: dir + "/locked", withIntermediateDirectories: true)
            chmod(dir + "/locked", 0o555)
            blocked.append(dir + "/locked")
        }
        defer { chmod(dir + "/locked", 0o755) }
        for folder in blocked {
            let runs = [
                ["train", dataset, "--steps", "1", "--layers", "1", "--hidden", "4", "--batch", "2", "--timesteps", "10",
                 "--threads", "1", "--output", folder + "/run"],
                ["preprocess", "shapes", "--procedural", "--category", "mug", "--per-category", "3", "--points", "16", "-o", folder + "/s.h5"],
                ["convert", shapes, folder + "/copy.h5"],
            ]
            for arguments in runs {
                let run = try RGDMExecutable.run(rgdm, arguments)
                #expect(run.status != 0, "\(arguments[0]) into \(folder) fails")
                #expect(run.stderr.contains(folder), "\(arguments[0]): the error names the path: \(run.stderr)")
                #expect(!run.stderr.contains("Fatal error"), "\(run.stderr)")
            }
        }
    }

    // MARK: A damaged checkpoint

    @Test func aTruncatedOrBitFlippedCheckpointIsAnErrorNamingTheFile() throws {
        let rgdm = try executable()
        let dir = try TemporaryDirectory.create("damaged").path
        let dataset = dir + "/tiny.h5"
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        let train = try RGDMExecutable.run(rgdm, ["train", dataset, "--steps", "2", "--layers", "1", "--hidden", "4", "--batch", "2",
                                                  "--timesteps", "10", "--threads", "1", "--output", dir + "/run"])
        try #require(train.status == 0, "\(train.stderr)")
        let good = try Data(contentsOf: URL(fileURLWithPath: dir + "/run/checkpoint.rgdm"))
        var damaged: [(String, Data)] = [0, 7, 16, good.count / 2, good.count - 1].map { ("truncated-\($0)", good.prefix($0)) }
        for offset in [9, 20, good.count / 2, good.count - 3] {
            var bytes = good
            bytes[offset] ^= 0x10
            damaged.append(("flipped-\(offset)", bytes))
        }
        for (name, bytes) in damaged {
            let path = dir + "/\(name).rgdm"
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(throws: DiffusionError.self) { try Checkpoint(contentsOf: URL(fileURLWithPath: path)) }
            for command in [["info", path], ["sample", "--model", path, "-c", "1", "-o", dir + "/out.sdf"]] {
                let run = try RGDMExecutable.run(rgdm, command)
                #expect(run.status != 0, "\(command[0]) \(name)")
                #expect(run.stderr.contains(path), "\(command[0]) \(name): the error names the file: \(run.stderr)")
            }
        }
    }
}
