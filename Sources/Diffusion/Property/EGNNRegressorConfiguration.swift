/// How a regressor turns node embeddings into one vector per graph.
public enum NodePooling: String, Sendable, Codable, CaseIterable {
    /// Σ_{i∈g} e_i: extensive properties (polarisability, heat capacity) grow with the graph,
    /// as in Satorras et al. 2021's QM9 property network and EDM's property classifiers.
    case sum
    /// (1/N_g) Σ_{i∈g} e_i: intensive properties.
    case mean
}

/// Hyper-parameters of `EGNNRegressor`, an E(3)-invariant model of one scalar per graph:
/// EDM's EGNN as the backbone, its feature head widened into a node read-out, a pooled MLP on top.
public struct EGNNRegressorConfiguration: Sendable, Codable, Equatable, Hashable {
    /// Width F of the node features the regressor reads (the data's, in diffusion space).
    public var featureWidth: Int
    /// Equivariant blocks of the backbone.
    public var layers: Int
    /// Hidden width H of the backbone.
    public var hidden: Int
    /// Extra node read-out channels K: the node embedding e_i has F + K columns.
    public var readoutWidth: Int
    /// Hidden width of the pooled head's MLP.
    public var headHidden: Int
    public var pooling: NodePooling
    /// Messages are summed and divided by this (EDM: 1 for QM9).
    public var normalizationFactor: Float

    public init(featureWidth: Int, layers: Int = 4, hidden: Int = 64, readoutWidth: Int = 32, headHidden: Int = 64,
                pooling: NodePooling = .sum, normalizationFactor: Float = 1) {
        precondition(featureWidth >= 1 && readoutWidth >= 0 && headHidden >= 1,
                     "feature width \(featureWidth), read-out width \(readoutWidth), head hidden \(headHidden)")
        self.featureWidth = featureWidth
        self.layers = layers
        self.hidden = hidden
        self.readoutWidth = readoutWidth
        self.headHidden = headHidden
        self.pooling = pooling
        self.normalizationFactor = normalizationFactor
    }

    /// Width W = F + K of the node embeddings that are pooled.
    public var embeddingWidth: Int { featureWidth + readoutWidth }

    /// The backbone: EDM's EGNN, fully connected, E(3), on features padded with K zero columns,
    /// so that its feature output Linear(H, F + K + 1)[:, :F + K] is the node read-out.
    public var backbone: EGNNConfiguration {
        EGNNConfiguration(featureWidth: embeddingWidth, layers: layers, hidden: hidden,
                          normalizationFactor: normalizationFactor)
    }

    /// Parameters of the pooled head: W1 `[W, Hh]`, b1 `[Hh]`, w2 `[Hh]`, the skip w_s `[W]`, b2.
    public var headParameterCount: Int { embeddingWidth * headHidden + 2 * headHidden + embeddingWidth + 1 }

    /// E.g. "EGNN regressor, 4 layers × 64, read-out 32, sum pooling, head 64".
    public var summary: String {
        "EGNN regressor, \(layers) layers × \(hidden), read-out \(embeddingWidth), \(pooling.rawValue) pooling, head \(headHidden)"
    }
}
