import Chem
import Foundation

/// Why a sample got no reward. Each case says what failed in words a user can act on;
/// a failure is one sample's, never the run's.
public enum RewardFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The sample is not a valid molecule (the evaluator's sanitisation refused it).
    case invalidMolecule(String)
    /// The scorer gave no finite number.
    case notFinite(Double)
    /// An external program (xTB, a reward command) took longer than its limit.
    case timedOut(program: String, seconds: Double)
    /// An external program died by a signal or exited with an error.
    case crashed(program: String, reason: String)
    /// An external program could not be started (not found, not executable).
    case unavailable(program: String, reason: String)
    /// An external program's answer for this sample could not be read.
    case unreadableAnswer(program: String, answer: String)
    /// An external program answered fewer lines than samples.
    case missingAnswer(program: String)
    /// The scorer refused the sample for another reason.
    case failed(String)

    public var description: String {
        switch self {
        case let .invalidMolecule(reason): "invalid molecule: \(reason)"
        case let .notFinite(value): "reward is \(value)"
        case let .timedOut(program, seconds): "\(program) took longer than \(seconds) s"
        case let .crashed(program, reason): "\(program) failed: \(reason)"
        case let .unavailable(program, reason): "\(program) could not be started: \(reason)"
        case let .unreadableAnswer(program, answer): "\(program) answered '\(answer)', not a number"
        case let .missingAnswer(program): "\(program) gave no answer for this sample"
        case let .failed(reason): reason
        }
    }

    /// What kind of failure this is, for counting failures by kind.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case invalidMolecule = "invalid-molecule", notFinite = "not-finite", timedOut = "timed-out", crashed
        case unavailable, unreadableAnswer = "unreadable-answer", missingAnswer = "missing-answer", failed
    }

    public var kind: Kind {
        switch self {
        case .invalidMolecule: .invalidMolecule
        case .notFinite: .notFinite
        case .timedOut: .timedOut
        case .crashed: .crashed
        case .unavailable: .unavailable
        case .unreadableAnswer: .unreadableAnswer
        case .missingAnswer: .missingAnswer
        case .failed: .failed
        }
    }
}

/// A score per sample, or why there is none.
public typealias RewardOutcome = Result<Double, RewardFailure>

/// A reward on generated samples (molecules or shapes): a batch in, one outcome per
/// sample out, in order. Higher is better. Implementations use both cores where the
/// work allows (worker processes where Open Babel is involved) and never throw for
/// one bad sample: that sample's outcome is a `RewardFailure`.
public protocol Reward<Sample>: Sendable {
    associatedtype Sample
    /// A short name for logs and reports ("qed", "0.5·qed + 0.5·validity").
    var name: String { get }
    /// Whether the score depends only on the molecular graph (QED, logP, TPSA), so it can
    /// be cached by canonical SMILES; geometry-dependent rewards (xTB, MMFF94) are not.
    var dependsOnGraphOnly: Bool { get }
    func score(_ samples: [Sample]) -> [RewardOutcome]
}

/// A reward on molecules decoded from samples (`MoleculeCodec`).
public typealias MoleculeReward = Reward<Molecule>
