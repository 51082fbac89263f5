import Diffusion

/// A model of one scalar property of a molecule from its 3D graph: the reward model of
/// reward-directed conditional diffusion (it pseudo-labels the unlabelled share of a training set)
/// and the oracle that scores generated molecules in the conditional evaluation.
///
/// `batch` holds graphs in data units as `MoleculeGraphSource` and `MoleculeCodec` give them:
/// positions in Å, node features one-hot over `vocabulary` (then the atomic number, when the
/// source includes it); the
/// predictor reads only those, never `batch.condition` or `batch.weights`.
public protocol PropertyPredictor {
    /// The dataset property predicted: a name `MoleculeDataset` stores under `/properties` (for
    /// example "alpha" or "mu").
    var property: String { get }
    /// The atomic numbers the one-hot features of `predict`'s graphs are over, in order.
    var vocabulary: [Int] { get }
    /// One prediction per graph of `batch`: `[graphs]`, in the property's dataset units.
    func predict(_ batch: GraphBatch) throws -> [Double]
}
