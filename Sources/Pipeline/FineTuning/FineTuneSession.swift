import Diffusion
import Foundation

/// The domain side of a fine-tuning run, whatever the samples are (`MoleculeRewardSession`,
/// `ShapeRewardSession`): it scores drawn pools into training batches, summarises each round for
/// the log and the report, and saves what a resumed run needs of it.
protocol FineTuneSession: AnyObject {
    associatedtype Saved: Codable
    var saved: Saved { get }
    func restore(_ saved: Saved) throws
    /// Every sample's reward (failures at the floor) from the last `scoreSamples`.
    var lastRewards: [Double] { get }
    /// Each finished round's summary, in order.
    var rounds: [[String: Double]] { get }
    /// Rewards of drawn graphs and the graphs the pool trains on as a batch.
    func scoreSamples(_ results: [SampleResult]) throws -> SampleLevelRGDM.Scored
    /// Records a finished round's pool and returns its summary.
    @discardableResult
    func finishRound(_ index: Int, samples: [SampleResult], rewards: [Double], distance: Double,
                     timing: [String: Double]) -> [String: Double]
}

extension MoleculeRewardSession: FineTuneSession {}
