import ArgumentParser
import Foundation

/// `rgdm reward-worker`: a worker process of `RewardWorkerPool`, not for users. It reads
/// requests as JSON lines on stdin and answers each on stdout (`RewardWorkerProtocol`)
/// until stdin closes.
struct RewardWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reward-worker",
        abstract: "Scores molecules for a parent rgdm process (JSON lines on stdin and stdout).",
        shouldDisplay: false
    )

    func run() throws {
        RewardWorkerProtocol.serve(readLine: { Swift.readLine(strippingNewline: true) }) { answer in
            print(answer)
            fflush(stdout)
        }
    }
}
