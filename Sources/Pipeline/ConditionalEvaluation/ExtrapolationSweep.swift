import Chem
import Diffusion
import Foundation

/// The extrapolation trade-off of reward-directed conditional diffusion (Yuan et al. 2023, §5):
/// conditional models sampled at targets from inside the data's range to beyond it; at each
/// target the oracle's mean and spread of the property, its MAE to the target, and EDM's
/// quality metrics. Several models (for example trained at labelled fractions 1 %, 5 %, 100 %)
/// share the targets and, at each target, the random numbers (common random numbers: their
/// differences are the models', not the draws').
///
/// The sweep is a list of finished points; `ExtrapolationSweep+Report` writes it after each
/// point, and a sweep restored from that file skips the points it holds.
public struct ExtrapolationSweep {
    /// One conditional model of the sweep.
    public struct Model: Equatable {
        /// Its checkpoint, as given.
        public var path: String
        /// Its name in tables: the run folder (or file) name.
        public var name: String
        public var labelledFraction: Double
        /// The card's labels of the oracle's property at `Self.quantileLevels`: where the data ends.
        public var quantiles: [Double]
    }

    /// One model at one target.
    public struct Point: Equatable {
        public var model: String
        public var target: Double
        /// The share of the model's training labels below the target (0 … 1; 0 or 1 beyond them all).
        public var quantile: Double
        public var adherence: PropertyAdherence
        public var metrics: EDMMetrics
        public var seconds: Double
    }

    /// The quantile levels of the data's range the report marks.
    public static let quantileLevels = [0.0, 0.01, 0.05, 0.5, 0.95, 0.99, 1.0]

    /// The options that must match for finished points to be reused (count, guidance, seed,
    /// sampler, oracle, novelty reference), as strings.
    public var settings: [String: String]
    public var property: String
    public var models: [Model]
    public var targets: [Double]
    /// Finished points, in the order they were run.
    public var points: [Point] = []

    public init(settings: [String: String], property: String, models: [Model], targets: [Double]) {
        self.settings = settings
        self.property = property
        self.models = models
        self.targets = targets
    }

    /// Whether `model` (a path) at `target` is finished.
    public func isFinished(model: String, target: Double) -> Bool {
        points.contains { $0.model == model && $0.target == target }
    }

    /// The (model, target) pairs still to run, model by model, targets ascending.
    public var remaining: [(model: Model, target: Double)] {
        models.flatMap { model in targets.sorted().filter { !isFinished(model: model.path, target: $0) }.map { (model, $0) } }
    }

    /// The seed of every model's draw at `target` under `seed`.
    public static func seed(_ seed: UInt64, target: Double) -> UInt64 {
        seed ^ (target.bitPattern &* 0x9E37_79B9_7F4A_7C15)
    }

    /// Describes `trained` for the sweep: its name, labelled fraction and the data's quantiles
    /// of property `column` (an unconditional model has none).
    public static func model(_ trained: TrainedModel, column: Int, name: String) -> Model {
        let labels = trained.card.condition.map { c in (0 ..< c.reference.count).map { c.reference.values(of: $0)[column] } } ?? []
        return Model(path: trained.source, name: name, labelledFraction: trained.card.condition?.labels.labelledFraction ?? .nan,
                     quantiles: quantileLevels.map { quantile($0, of: labels) })
    }

    /// The q-quantile of `values` by linear interpolation between order statistics (NaN for none).
    public static func quantile(_ q: Double, of values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted(), position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// Draws `count` molecules of `trained` at `target` (the oracle's property, column `column`;
    /// other properties at their training mean), guided by `steering` when given, and scores them.
    public static func point(_ trained: TrainedModel, column: Int, target: Double, oracle: PropertyOracle, count: Int,
                             guidance: Double, steering: (any SamplingGuidance)? = nil, batchSize: Int, sampling: SamplingSettings, reference: Set<String>?,
                             seed: UInt64, progress: (Int) -> Void = { _ in }) throws -> (point: Point, molecules: [Molecule]) {
        guard let condition = trained.card.condition else {
            throw PipelineError.invalidModel(path: trained.source, reason: "it is unconditional: the sweep needs models trained with --condition")
        }
        var values = condition.normalization.means
        values[column] = target
        var generator = Xoshiro256StarStar(seed: Self.seed(seed, target: target))
        let start = Date()
        let outcome = try ConditionalEvaluation(targets: .fixed(values), guidance: guidance, steering: steering, count: count, batchSize: batchSize)
            .run(model: trained, oracle: oracle, sampling: sampling, reference: reference, using: &generator, progress: progress)
        let labels = (0 ..< condition.reference.count).map { condition.reference.values(of: $0)[column] }
        let point = Point(model: trained.source, target: target,
                          quantile: Double(labels.filter { $0 < target }.count) / Double(max(labels.count, 1)),
                          adherence: outcome.adherence, metrics: outcome.metrics, seconds: Date().timeIntervalSince(start))
        return (point, outcome.molecules)
    }
}
