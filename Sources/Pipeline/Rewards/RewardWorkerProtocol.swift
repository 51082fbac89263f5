import Foundation

/// What the parent and an `rgdm reward-worker` say to each other, one JSON object a line:
/// the parent sends `{"reward": TERM, "molecule": MoleculeLine}`, the worker answers each
/// request in order with `{"index": i, "value": x}` or `{"index": i, "failure": …}`.
enum RewardWorkerProtocol {
    struct Request: Codable {
        var reward: String
        var molecule: MoleculeLine
    }

    struct Answer: Codable {
        var index: Int
        var value: Double?
        var failure: RewardFailure?

        init(index: Int, outcome: RewardOutcome) {
            self.index = index
            switch outcome {
            case let .success(value): self.value = value
            case let .failure(failure): self.failure = failure
            }
        }

        var outcome: RewardOutcome? {
            if let failure { return .failure(failure) }
            return value.map { .success($0) }
        }
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }

    /// Serves requests from standard input until it closes (the worker's side).
    static func serve(readLine: () -> String?, write: (String) -> Void) {
        var rewards: [String: any MoleculeReward] = [:]
        let decoder = JSONDecoder()
        while let line = readLine() {
            guard let request = try? decoder.decode(Request.self, from: Data(line.utf8)) else {
                write(encode(Answer(index: -1, outcome: .failure(.failed("unreadable request")))))
                continue
            }
            let index = request.molecule.index
            let outcome: RewardOutcome
            do {
                if rewards[request.reward] == nil {
                    guard let term = RewardTerm(rawValue: request.reward) else {
                        throw PipelineError.unknownReward(term: request.reward, known: RewardSpecification.knownNames)
                    }
                    rewards[request.reward] = try term.makeReward(.inProcess)
                }
                let molecule = try request.molecule.molecule()
                outcome = rewards[request.reward]?.score([molecule]).first ?? .failure(.failed("no outcome"))
            } catch {
                outcome = .failure(.failed("reward worker: \(error)"))
            }
            write(encode(Answer(index: index, outcome: outcome)))
        }
    }
}
