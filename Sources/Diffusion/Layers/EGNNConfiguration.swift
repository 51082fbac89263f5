/// Hyper-parameters of the EGNN denoiser, as EDM's `EGNN_dynamics_QM9` with
/// `egnn_new.EGNN` (inv_sublayers = 1, attention, tanh, norm_constant = 1,
/// sum aggregation). EDM's QM9 model: 9 layers, hidden 256,
/// normalization_factor 1, coords_range 15. `globalPooling` (default `.none`)
/// adds a per-graph mean to the node MLP's input for point clouds.
public struct EGNNConfiguration: Sendable, Codable, Equatable, Hashable {
    /// Width F of the node features z_h.
    public var featureWidth: Int
    /// Width C of the per-graph condition (0: unconditional).
    public var conditionWidth: Int
    /// Number of equivariant blocks (one GCL and one coordinate update each).
    public var layers: Int
    /// Hidden width H.
    public var hidden: Int
    public var symmetry: Symmetry
    public var connectivity: Connectivity
    /// Messages are summed and divided by this (EDM: 1 for QM9, 100 for GEOM).
    public var normalizationFactor: Float
    /// The coordinate update's tanh(φ_x) is scaled by this (EDM: 15).
    public var coordinatesRange: Float
    /// Whether the node MLP also sees its graph's mean feature (`.none`: EDM's model).
    public var globalPooling: GlobalPooling

    public init(
        featureWidth: Int, conditionWidth: Int = 0, layers: Int, hidden: Int,
        symmetry: Symmetry = .euclidean, connectivity: Connectivity = .fullyConnected,
        normalizationFactor: Float = 1, coordinatesRange: Float = 15, globalPooling: GlobalPooling = .none
    ) {
        precondition(featureWidth >= 0 && conditionWidth >= 0, "widths must be non-negative")
        precondition(layers >= 1 && hidden >= 1, "need at least one layer and one hidden unit (layers \(layers), hidden \(hidden))")
        precondition(normalizationFactor > 0, "normalizationFactor must be positive")
        if case .nearestNeighbours(let k) = connectivity { precondition(k >= 1, "k must be at least 1") }
        self.featureWidth = featureWidth
        self.conditionWidth = conditionWidth
        self.layers = layers
        self.hidden = hidden
        self.symmetry = symmetry
        self.connectivity = connectivity
        self.normalizationFactor = normalizationFactor
        self.coordinatesRange = coordinatesRange
        self.globalPooling = globalPooling
    }

    /// Width of the embedding's input: [z_h, (centred x if .translation), t, c].
    public var embeddingInputWidth: Int {
        featureWidth + (symmetry == .translation ? 3 : 0) + 1 + conditionWidth
    }

    /// Width of the output layer: [ε̂_h, t, c] as in EDM, whose last 1 + C
    /// columns are dropped (they exist so parameter counts match EDM's).
    public var embeddingOutputWidth: Int { featureWidth + 1 + conditionWidth }
}

extension EGNNConfiguration {
    /// Decodes every field; a configuration saved before `globalPooling`
    /// existed has no such key and is EDM's model, `.none`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        featureWidth = try container.decode(Int.self, forKey: .featureWidth)
        conditionWidth = try container.decode(Int.self, forKey: .conditionWidth)
        layers = try container.decode(Int.self, forKey: .layers)
        hidden = try container.decode(Int.self, forKey: .hidden)
        symmetry = try container.decode(Symmetry.self, forKey: .symmetry)
        connectivity = try container.decode(Connectivity.self, forKey: .connectivity)
        normalizationFactor = try container.decode(Float.self, forKey: .normalizationFactor)
        coordinatesRange = try container.decode(Float.self, forKey: .coordinatesRange)
        globalPooling = try container.decodeIfPresent(GlobalPooling.self, forKey: .globalPooling) ?? GlobalPooling.none
        // What `init` requires, checked here with a thrown error: a card read from a file is
        // user input (a damaged or hand-edited one once trapped in the parameter layout).
        func refuse(_ key: CodingKeys, _ reason: String) -> DecodingError {
            .dataCorruptedError(forKey: key, in: container, debugDescription: reason)
        }
        guard (0 ... Self.maximumWidth).contains(featureWidth) else { throw refuse(.featureWidth, "featureWidth \(featureWidth) is outside 0…\(Self.maximumWidth)") }
        guard (0 ... Self.maximumWidth).contains(conditionWidth) else { throw refuse(.conditionWidth, "conditionWidth \(conditionWidth) is outside 0…\(Self.maximumWidth)") }
        guard (1 ... Self.maximumLayers).contains(layers) else { throw refuse(.layers, "layers \(layers) is outside 1…\(Self.maximumLayers)") }
        guard (1 ... Self.maximumWidth).contains(hidden) else { throw refuse(.hidden, "hidden \(hidden) is outside 1…\(Self.maximumWidth)") }
        guard normalizationFactor.isFinite, normalizationFactor > 0 else {
            throw refuse(.normalizationFactor, "normalizationFactor \(normalizationFactor) must be finite and positive")
        }
        guard coordinatesRange.isFinite, coordinatesRange > 0 else {
            throw refuse(.coordinatesRange, "coordinatesRange \(coordinatesRange) must be finite and positive")
        }
        if case let .nearestNeighbours(k) = connectivity, k < 1 {
            throw refuse(.connectivity, "nearest-neighbour connectivity needs k ≥ 1 (got \(k))")
        }
    }

    /// The widest layer a saved configuration may declare (featureWidth, conditionWidth,
    /// hidden): far beyond any model rgdm trains, and small enough that no parameter count
    /// overflows.
    public static let maximumWidth = 1 << 16
    /// The most layers a saved configuration may declare.
    public static let maximumLayers = 1 << 12
}
