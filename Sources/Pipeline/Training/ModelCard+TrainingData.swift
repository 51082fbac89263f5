import Diffusion

extension ModelCard {
    /// The card of a new model of `network` on `data` (the `split` of the set at
    /// `dataset`): the domain's encoding (molecules: EDM's one-hot + atomic-number
    /// features and their scaling, the atom vocabulary; shapes: positions only),
    /// p(M) from the split's graph sizes, and the noise schedule.
    public init(for data: TrainingData, network: AnyModelConfiguration, schedule: ScheduleKind, timesteps: Int,
                schedulePrecision: Double, dataset: String, split: String) throws {
        switch data {
        case let .molecules(source):
            self.init(domain: .molecules, network: network, scaling: try source.scaling, schedule: schedule,
                      timesteps: timesteps, schedulePrecision: schedulePrecision,
                      nodeCounts: try NodeCountDistribution(observedCounts: source.nodeCounts),
                      atomicNumbers: source.atomicNumbers, includesAtomicNumber: source.includesAtomicNumber,
                      dataset: dataset, split: split)
        case let .shapes(source):
            self.init(domain: .shapes, network: network, scaling: .identity(width: 0), schedule: schedule,
                      timesteps: timesteps, schedulePrecision: schedulePrecision,
                      nodeCounts: try NodeCountDistribution(observedCounts: [source.pointCount]),
                      dataset: dataset, split: split)
        }
    }
}
