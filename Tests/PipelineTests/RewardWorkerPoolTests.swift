import Chem
import Foundation
import Testing
@testable import Pipeline

/// Open Babel rewards over persistent worker processes: the same numbers as in this
/// process, and a worker that hangs, crashes or talks nonsense fails only the molecule it
/// was on and is replaced.
@Suite struct RewardWorkerPoolTests {
    /// A stand-in worker: answers each request with the molecule's atom count, but hangs on
    /// 5 atoms, dies on 6 and prints garbage on 4 (water has 3).
    static let fakeWorker = """
    #!/usr/bin/env python3
    import json, os, sys, time
    for line in sys.stdin:
        request = json.loads(line)
        n = len(request["molecule"]["elements"])
        if n == 5: time.sleep(30)
        if n == 6: os._exit(3)
        print("garbage" if n == 4 else json.dumps({"index": request["molecule"]["index"], "value": n}), flush=True)
    """

    @Test func aHangACrashAndGarbageFailOnlyTheirMolecules() throws {
        try RewardTestSupport.withScratch { directory in
            let worker = try RewardTestSupport.script("worker.py", in: directory, Self.fakeWorker)
            let pool = RewardWorkerPool(executable: worker, arguments: [], workers: 2, timeout: 1)
            let water = RewardTestSupport.water, methane = RewardTestSupport.methane
            let carbon5 = RewardTestSupport.pentavalentCarbon
            var ammonia = methane
            ammonia.atoms.removeLast()
            let outcomes = pool.score([water, methane, water, carbon5, ammonia, water], term: "qed")
            #expect(try outcomes[0].get() == 3 && outcomes[1] == .failure(.timedOut(program: "rgdm reward-worker", seconds: 1)))
            #expect(try outcomes[2].get() == 3, "the rest of a hung worker's chunk goes on on a new worker")
            #expect(outcomes[3] == .failure(.crashed(program: "rgdm reward-worker", reason: "exited with status 3")))
            #expect(outcomes[4] == .failure(.unreadableAnswer(program: "rgdm reward-worker", answer: "garbage")))
            #expect(try outcomes[5].get() == 3)
            // The replaced workers serve the next batch.
            #expect(pool.score([water, water, water], term: "qed").map { try? $0.get() } == [3, 3, 3])
        }
    }

    @Test func aWorkerThatCannotStartFailsItsMolecules() {
        let pool = RewardWorkerPool(executable: "/nonexistent/rgdm", workers: 2, timeout: 1)
        let outcomes = pool.score([RewardTestSupport.water, RewardTestSupport.water, RewardTestSupport.water], term: "qed")
        #expect(outcomes.allSatisfy { $0.failureKind == .unavailable })
    }

    /// The rgdm executable built beside the tests serves `rgdm reward-worker`: graph-only
    /// rewards of QM9 molecules come out exactly as in this process; MMFF94 energies to the
    /// last bits only (Open Babel's sums run in an order that varies between processes).
    @Test func rgdmWorkersGiveTheSameNumbersAsThisProcess() throws {
        let executable = try #require(Self.rgdmExecutable, "the rgdm executable is built with the tests")
        let molecules = try RewardTestSupport.qm9(Array(0..<40)) + [RewardTestSupport.pentavalentCarbon]
        let settings = RewardSettings(parallelism: 2, workerExecutable: executable, minimumWorkerBatch: 8)
        for text in ["qed", "mmff94", "0.5*logp + tpsa"] {
            let spec = try RewardSpecification(parsing: text)
            let parallel = try spec.makeReward(settings).score(molecules)
            let local = try spec.makeReward(.inProcess).score(molecules)
            for (p, l) in zip(parallel, local) {
                switch (p, l) {
                case let (.success(a), .success(b)): #expect(spec.terms == [.mmff94] ? abs(a - b) <= 1e-12 * abs(b) : a == b, "\(text)")
                default: #expect(p == l, "\(text)")
                }
            }
            #expect(parallel.last?.failureKind == .invalidMolecule)
        }
    }

    /// A molecule with NaN coordinates (a diverged chain) cannot be sent as JSON: it fails as an
    /// invalid molecule, as in this process, and the workers score the rest without being replaced.
    @Test func aMoleculeWithNaNCoordinatesIsInvalidAndStaysHere() throws {
        let executable = try #require(Self.rgdmExecutable, "the rgdm executable is built with the tests")
        var diverged = RewardTestSupport.methane
        diverged.atoms[0].position.x = .nan
        let molecules = try RewardTestSupport.qm9(Array(0..<8)) + [diverged]
        let settings = RewardSettings(parallelism: 2, workerExecutable: executable, minimumWorkerBatch: 8)
        let spec = try RewardSpecification(parsing: "qed")
        let parallel = try spec.makeReward(settings).score(molecules), local = try spec.makeReward(.inProcess).score(molecules)
        #expect(parallel.last == .failure(.invalidMolecule("a coordinate is not finite (the sampling chain diverged)")))
        #expect(local.last == parallel.last)
        #expect(parallel.dropLast().map { try? $0.get() } == local.dropLast().map { try? $0.get() })
        #expect(parallel.dropLast().allSatisfy { (try? $0.get()) != nil })
    }

    static var rgdmExecutable: String? {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: me).deletingLastPathComponent()
        for _ in 0 ..< 4 {
            let candidate = directory.appendingPathComponent("rgdm").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }
}
