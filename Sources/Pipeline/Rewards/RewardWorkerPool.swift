import Chem
import Foundation

/// Persistent `rgdm reward-worker` processes, one per core, for rewards that need Open
/// Babel (serial inside one process). A batch is split into one contiguous chunk per
/// worker; each worker answers molecule by molecule, so a worker that crashes or hangs
/// (no answer within `timeout` seconds) fails only the molecule it was on: it is
/// killed, a new one is started, and the rest of its chunk goes on there.
final class RewardWorkerPool: @unchecked Sendable {
    let executable: String
    let arguments: [String]
    let workers: Int
    let timeout: Double
    /// One slot per worker, each touched by one thread of a batch only.
    private final class Slot: @unchecked Sendable {
        var worker: RewardWorkerProcess?
    }
    private let slots: [Slot]
    private let lock = NSLock()

    /// Workers run `executable arguments…` (default: `rgdm reward-worker`).
    init(executable: String, arguments: [String] = ["reward-worker"], workers: Int, timeout: Double) {
        self.executable = executable
        self.arguments = arguments
        self.workers = max(1, workers)
        self.timeout = timeout
        slots = (0..<self.workers).map { _ in Slot() }
    }

    deinit { slots.forEach { $0.worker?.stop() } }

    /// The outcomes of reward `term` (a `RewardTerm` name) on `molecules`, in order.
    func score(_ molecules: [Molecule], term: String) -> [RewardOutcome] {
        lock.lock()
        defer { lock.unlock() }
        let requests = molecules.enumerated().map { i, molecule in
            RewardWorkerProtocol.encode(RewardWorkerProtocol.Request(
                reward: term, molecule: MoleculeLine(index: i, molecule: molecule, smiles: nil)))
        }
        let outcomes = OutcomeSlots(count: molecules.count)
        let chunk = (molecules.count + workers - 1) / workers
        // One thread per worker: each spends its time waiting for answers, which must not
        // hold up a shared thread pool.
        let group = DispatchGroup()
        for slot in 0..<workers {
            let range = min(slot * chunk, molecules.count)..<min((slot + 1) * chunk, molecules.count)
            guard !range.isEmpty else { continue }
            group.enter()
            Thread { [self] in
                run(Array(range), on: slot, requests: requests, outcomes: outcomes)
                group.leave()
            }.start()
        }
        group.wait()
        return outcomes.values
    }

    /// Scores `indices` on worker `slot`, replacing the worker each time one fails.
    private func run(_ indices: [Int], on slot: Int, requests: [String], outcomes: OutcomeSlots<RewardOutcome>) {
        let program = "rgdm reward-worker"
        var remaining = indices[...]
        while !remaining.isEmpty {
            let worker: RewardWorkerProcess
            if let running = slots[slot].worker {
                worker = running
            } else {
                do {
                    worker = try RewardWorkerProcess(executable: executable, arguments: arguments)
                } catch {
                    for i in remaining { outcomes[i] = .failure(error) }
                    return
                }
                slots[slot].worker = worker
            }
            let batch = remaining.map { requests[$0] }
            // A thread of its own: a full pipe blocks it until the worker reads, never the answers.
            Thread { worker.send(batch) }.start()
            var failed = false
            for i in remaining {
                let failure: RewardFailure
                switch worker.next(timeout: timeout) {
                case let .line(text):
                    if let answer = try? JSONDecoder().decode(RewardWorkerProtocol.Answer.self, from: Data(text.utf8)),
                       answer.index == i, let outcome = answer.outcome {
                        outcomes[i] = outcome
                        remaining = remaining.dropFirst()
                        continue
                    }
                    failure = .unreadableAnswer(program: program, answer: String(text.prefix(80)))
                case .end:
                    worker.stop()  // one that closed its output but lives on is not waited for
                    failure = .crashed(program: program, reason: worker.ending)
                case .timedOut:
                    failure = .timedOut(program: program, seconds: timeout)
                }
                outcomes[i] = .failure(failure)
                remaining = remaining.dropFirst()
                failed = true
                break
            }
            if failed {
                worker.stop()
                slots[slot].worker = nil
            }
        }
    }
}
