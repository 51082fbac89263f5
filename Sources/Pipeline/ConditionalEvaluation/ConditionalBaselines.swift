/// The bounds EDM sets beside a conditional model's MAE (Hoogeboom et al. 2022, Table 3),
/// computed on a held-out split with the oracle that scores the model:
///
/// - Naive: the oracle's MAE when the labels are shuffled against the molecules, so that
///   molecule and label have nothing to do with each other. EDM shuffles once; this is the
///   exact mean over every pair of a molecule and another molecule's label,
///   (1/(n(n − 1))) Σ_{i≠j} |f(x_i) − y_j|, what a shuffle gives on average, without its noise.
/// - #Atoms: a predictor from the atom count alone (`AtomCountPredictor`: the mean label of
///   each size), fitted on the training split, scored against the held-out split's true labels.
///   A model that beats it uses more of the structure than its size. It needs no oracle, so
///   it is scored on every held-out molecule, read or not.
/// - Oracle: the oracle's own MAE on the held-out split (EDM's "QM9*" row), the floor no
///   generator can go below by this oracle.
public struct ConditionalBaselines: Sendable, Equatable {
    public var naive: Double
    public var atoms: Double
    public var oracle: Double
    /// Held-out molecules the oracle read (Naive and the oracle's own error are over these).
    public var heldOut: Int
    /// Held-out molecules the oracle could not read (left out).
    public var unread: Int
    /// Training molecules the #Atoms predictor was fitted on.
    public var fitted: Int

    public init(naive: Double, atoms: Double, oracle: Double, heldOut: Int, unread: Int, fitted: Int) {
        self.naive = naive
        self.atoms = atoms
        self.oracle = oracle
        self.heldOut = heldOut
        self.unread = unread
        self.fitted = fitted
    }

    /// The bounds from the held-out molecules' oracle predictions `predictions` (nil: not
    /// read), their sizes and true labels (`[n]` each), and the #Atoms predictor `atomCount`.
    public init(predictions: [Double?], sizes: [Int], labels: [Double], atomCount: AtomCountPredictor, fitted: Int) throws {
        precondition(predictions.count == sizes.count && sizes.count == labels.count,
                     "\(predictions.count) predictions, \(sizes.count) sizes, \(labels.count) labels")
        let read = zip(predictions, labels).compactMap { p, y in p.map { (prediction: $0, label: y) } }
        guard read.count >= 2 else {
            throw PipelineError.invalidCondition(reason: "the bounds need at least 2 held-out molecules the oracle reads; it read \(read.count)")
        }
        let p = read.map(\.prediction), y = read.map(\.label)
        self.init(naive: Self.shuffledError(predictions: p, labels: y),
                  atoms: zip(sizes, labels).reduce(0.0) { $0 + abs(atomCount.prediction(forSize: $1.0) - $1.1) } / Double(labels.count),
                  oracle: zip(p, y).reduce(0.0) { $0 + abs($1.0 - $1.1) } / Double(p.count),
                  heldOut: read.count, unread: predictions.count - read.count, fitted: fitted)
    }

    /// (1/(n(n − 1))) Σ_{i≠j} |p_i − y_j| for `predictions` p and `labels` y (`[n]`, n ≥ 2), in
    /// O(n log n): with y sorted and its prefix sums S, Σ_j |p − y_j| = p·k − S_k + (S_n − S_k) − p·(n − k)
    /// where k counts the y_j ≤ p; the pair j = i is then taken off.
    public static func shuffledError(predictions p: [Double], labels y: [Double]) -> Double {
        precondition(p.count == y.count && p.count >= 2, "\(p.count) predictions, \(y.count) labels (need ≥ 2)")
        let sorted = y.sorted(), n = sorted.count
        var prefix = [0.0]
        prefix.reserveCapacity(n + 1)
        for value in sorted { prefix.append(prefix[prefix.count - 1] + value) }
        var total = 0.0
        for (i, value) in p.enumerated() {
            var lo = 0, hi = n  // k = first index with sorted[k] > value
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] <= value { lo = mid + 1 } else { hi = mid }
            }
            let k = Double(lo)
            total += value * k - prefix[lo] + (prefix[n] - prefix[lo]) - value * (Double(n) - k) - abs(value - y[i])
        }
        return total / Double(n * (n - 1))
    }
}

extension ConditionalBaselines {
    /// The bounds of `oracle`'s property on `heldOut`, with #Atoms fitted on `training`'s true
    /// labels (both splits must hold the property).
    public init(oracle: PropertyOracle, heldOut: LabelledSplit, training: LabelledSplit) throws {
        func column(_ split: LabelledSplit) throws -> Int {
            guard let c = split.columns.firstIndex(where: { MoleculeDataset.sameProperty($0, oracle.property) }) else {
                throw PipelineError.unknownProperty(path: split.path, property: oracle.property, available: split.columns)
            }
            return c
        }
        let fitColumn = try column(training), heldOutColumn = try column(heldOut)
        let atomCount = try AtomCountPredictor(property: training.columns[fitColumn], vocabulary: training.source.atomicNumbers,
                                               sizes: training.source.nodeCounts, values: training.values(ofColumn: fitColumn))
        try self.init(predictions: try oracle.predictions(of: heldOut.source), sizes: heldOut.source.nodeCounts,
                      labels: heldOut.values(ofColumn: heldOutColumn), atomCount: atomCount, fitted: training.count)
    }
}
