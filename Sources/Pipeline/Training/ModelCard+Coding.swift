import Diffusion
import Foundation

/// The card as JSON text in a checkpoint. Version 2 stores the network as
/// `"network": {"architecture": …, "configuration": …}`; version 1 cards (an
/// `egnn` configuration, and `latentPoints` for a latent point model) still read.
extension ModelCard: Codable, CheckpointCard {
    private enum CodingKeys: String, CodingKey {
        case version, domain, network, scaling, schedule, timesteps, schedulePrecision, nodeCounts, atomicNumbers,
             includesAtomicNumber, dataset, split, codeVersion, initializedFrom, condition, classCondition, policyChain
        /// Version 1's network keys.
        case egnn, latentPoints
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        domain = try c.decode(ModelDomain.self, forKey: .domain)
        if version >= 2 {
            network = try c.decode(AnyModelConfiguration.self, forKey: .network)
        } else if let latent = try c.decodeIfPresent(LatentPointConfiguration.self, forKey: .latentPoints) {
            network = AnyModelConfiguration(latent)
        } else {
            network = AnyModelConfiguration(try c.decode(EGNNConfiguration.self, forKey: .egnn))
        }
        scaling = try c.decode(FeatureScaling.self, forKey: .scaling)
        schedule = try c.decode(ScheduleKind.self, forKey: .schedule)
        timesteps = try c.decode(Int.self, forKey: .timesteps)
        schedulePrecision = try c.decode(Double.self, forKey: .schedulePrecision)
        nodeCounts = try c.decode(NodeCountDistribution.self, forKey: .nodeCounts)
        atomicNumbers = try c.decode([Int].self, forKey: .atomicNumbers)
        includesAtomicNumber = try c.decode(Bool.self, forKey: .includesAtomicNumber)
        dataset = try c.decode(String.self, forKey: .dataset)
        split = try c.decode(String.self, forKey: .split)
        codeVersion = try c.decode(String.self, forKey: .codeVersion)
        initializedFrom = try c.decodeIfPresent(String.self, forKey: .initializedFrom)
        condition = try c.decodeIfPresent(ConditionCard.self, forKey: .condition)
        classCondition = try c.decodeIfPresent(ClassConditionCard.self, forKey: .classCondition)
        policyChain = try c.decodeIfPresent(PolicyChain.self, forKey: .policyChain)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ModelCard.currentVersion, forKey: .version)
        try c.encode(domain, forKey: .domain)
        try c.encode(network, forKey: .network)
        try c.encode(scaling, forKey: .scaling)
        try c.encode(schedule, forKey: .schedule)
        try c.encode(timesteps, forKey: .timesteps)
        try c.encode(schedulePrecision, forKey: .schedulePrecision)
        try c.encode(nodeCounts, forKey: .nodeCounts)
        try c.encode(atomicNumbers, forKey: .atomicNumbers)
        try c.encode(includesAtomicNumber, forKey: .includesAtomicNumber)
        try c.encode(dataset, forKey: .dataset)
        try c.encode(split, forKey: .split)
        try c.encode(codeVersion, forKey: .codeVersion)
        try c.encodeIfPresent(initializedFrom, forKey: .initializedFrom)
        try c.encodeIfPresent(condition, forKey: .condition)
        try c.encodeIfPresent(classCondition, forKey: .classCondition)
        try c.encodeIfPresent(policyChain, forKey: .policyChain)
    }

    /// Reads the card stored in a checkpoint (`path` names it in errors).
    public init(checkpoint: Checkpoint, path: String) throws {
        struct Version: Decodable { var version: Int }
        let json = Data(checkpoint.modelConfiguration.utf8)
        do {
            let version = try JSONDecoder().decode(Version.self, from: json).version
            guard version <= ModelCard.currentVersion else {
                throw PipelineError.invalidModel(
                    path: path, reason: "model card version \(version) is newer than this rgdm (\(ModelCard.currentVersion))")
            }
            self = try JSONDecoder().decode(ModelCard.self, from: json)
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.invalidModel(path: path, reason: "its model card is unreadable: \(error)")
        }
    }
}
