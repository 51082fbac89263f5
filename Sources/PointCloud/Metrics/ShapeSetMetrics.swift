/// The generative-model metrics over a generated set and a reference set of point clouds, as
/// PointFlow (Yang et al. 2019) and Luo & Hu (2021) compute them
/// (diffusion-point-cloud evaluation/evaluation_metrics.py: `lgan_mmd_cov`, `knn`,
/// `compute_all_metrics`), each with Chamfer (CD) and earth mover's (EMD) distances:
///
/// - MMD (minimum matching distance): for each reference cloud the distance to its nearest
///   generated cloud, averaged over the reference set. Lower is better.
/// - COV (coverage): the fraction of reference clouds that are the nearest reference of at least
///   one generated cloud. Higher is better.
/// - 1-NNA (1-nearest-neighbour accuracy): leave-one-out 1-NN classification of the union of both
///   sets into "generated" and "reference"; 50% is ideal, 100% means the sets are told apart.
public struct ShapeSetMetrics: Sendable, Equatable, Codable {
    public var mmdCD: Double
    public var covCD: Double
    public var nnaCD: Double
    /// nil when EMD was not computed.
    public var mmdEMD: Double?
    public var covEMD: Double?
    public var nnaEMD: Double?
    public var countGenerated: Int
    public var countReference: Int

    public init(mmdCD: Double, covCD: Double, nnaCD: Double, mmdEMD: Double? = nil, covEMD: Double? = nil, nnaEMD: Double? = nil,
                countGenerated: Int, countReference: Int) {
        self.mmdCD = mmdCD
        self.covCD = covCD
        self.nnaCD = nnaCD
        self.mmdEMD = mmdEMD
        self.covEMD = covEMD
        self.nnaEMD = nnaEMD
        self.countGenerated = countGenerated
        self.countReference = countReference
    }

    enum CodingKeys: String, CodingKey {
        case mmdCD = "mmd_cd", covCD = "cov_cd", nnaCD = "nna_cd"
        case mmdEMD = "mmd_emd", covEMD = "cov_emd", nnaEMD = "nna_emd"
        case countGenerated = "count_generated", countReference = "count_reference"
    }

    public func encode(to encoder: Encoder) throws {   // EMD keys always present (null when skipped)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mmdCD, forKey: .mmdCD)
        try container.encode(covCD, forKey: .covCD)
        try container.encode(nnaCD, forKey: .nnaCD)
        try container.encode(mmdEMD, forKey: .mmdEMD)
        try container.encode(covEMD, forKey: .covEMD)
        try container.encode(nnaEMD, forKey: .nnaEMD)
        try container.encode(countGenerated, forKey: .countGenerated)
        try container.encode(countReference, forKey: .countReference)
    }
}

extension ShapeSetMetrics {
    /// Which pairwise matrix a progress report is about.
    public enum Stage: String, Sendable {
        case referenceGenerated = "reference×generated"
        case referenceReference = "reference×reference"
        case generatedGenerated = "generated×generated"
    }

    /// Computes every metric. Clouds must all have the same number of points when EMD is on.
    /// - Parameters:
    ///   - includeEMD: EMD matrices cost far more than Chamfer (the auction's O(N²) per pair against Chamfer's SIMD pass).
    ///   - threads: workers for the pairwise matrices.
    ///   - progress: called from worker threads with (distance, stage, pairs done, pairs in stage).
    public static func evaluate(
        generated: [PointCloud], reference: [PointCloud], includeEMD: Bool = true,
        emdSolver: EarthMoversDistance.Solver = .standard, threads: Int = 2,
        progress: (@Sendable (CloudDistance, Stage, Int, Int) -> Void)? = nil
    ) -> ShapeSetMetrics {
        precondition(!generated.isEmpty && !reference.isEmpty, "ShapeSetMetrics: empty set (\(generated.count) generated, \(reference.count) reference)")
        let g = generated.map(PackedPoints.init), r = reference.map(PackedPoints.init)
        func matrices(_ distance: CloudDistance) -> (rs: DistanceMatrix, rr: DistanceMatrix, ss: DistanceMatrix) {
            func run(_ a: [PackedPoints], _ b: [PackedPoints], symmetric: Bool, stage: Stage) -> DistanceMatrix {
                let total = symmetric ? a.count * (a.count - 1) / 2 : a.count * b.count
                return DistanceMatrix.pairwise(a, b, distance: distance, emdSolver: emdSolver, symmetric: symmetric,
                                               threads: threads, progress: progress.map { report in { @Sendable done in report(distance, stage, done, total) } })
            }
            return (run(r, g, symmetric: false, stage: .referenceGenerated),
                    run(r, r, symmetric: true, stage: .referenceReference),
                    run(g, g, symmetric: true, stage: .generatedGenerated))
        }
        let cd = matrices(.chamfer)
        let (mmdCD, covCD) = minimumMatchingDistanceAndCoverage(cd.rs.transposed)
        var result = ShapeSetMetrics(mmdCD: mmdCD, covCD: covCD, nnaCD: oneNearestNeighbourAccuracy(rr: cd.rr, rs: cd.rs, ss: cd.ss),
                                     mmdEMD: nil, covEMD: nil, nnaEMD: nil,
                                     countGenerated: generated.count, countReference: reference.count)
        if includeEMD {
            let emd = matrices(.emd)
            let (mmd, cov) = minimumMatchingDistanceAndCoverage(emd.rs.transposed)
            result.mmdEMD = mmd
            result.covEMD = cov
            result.nnaEMD = oneNearestNeighbourAccuracy(rr: emd.rr, rs: emd.rs, ss: emd.ss)
        }
        return result
    }

    /// MMD and COV from distances [generated, reference] (`lgan_mmd_cov`): MMD = mean over
    /// reference of the min over generated; COV = distinct nearest references of the generated
    /// clouds / reference count. Ties go to the lowest index.
    public static func minimumMatchingDistanceAndCoverage(_ sampleToReference: DistanceMatrix) -> (mmd: Double, coverage: Double) {
        let s = sampleToReference.rows, r = sampleToReference.columns
        var mmd = 0.0
        for j in 0 ..< r {
            var best = Double.infinity
            for i in 0 ..< s { best = min(best, sampleToReference[i, j]) }
            mmd += best
        }
        var covered = Set<Int>()
        for i in 0 ..< s {
            var best = Double.infinity, bestIndex = 0
            for j in 0 ..< r where sampleToReference[i, j] < best { best = sampleToReference[i, j]; bestIndex = j }
            covered.insert(bestIndex)
        }
        return (mmd / Double(r), Double(covered.count) / Double(r))
    }

    /// Leave-one-out 1-NN accuracy (`knn(Mxx, Mxy, Myy, 1)`): the union of reference (label 1)
    /// and generated (label 0) clouds, each classified by the label of its nearest other cloud.
    /// `rs` is [reference, generated]. Ties go to the lowest index in the order reference, generated.
    public static func oneNearestNeighbourAccuracy(rr: DistanceMatrix, rs: DistanceMatrix, ss: DistanceMatrix) -> Double {
        let n0 = rr.rows, n1 = ss.rows
        precondition(rs.rows == n0 && rs.columns == n1, "1-NNA: rs is \(rs.rows) × \(rs.columns), expected \(n0) × \(n1)")
        func distance(_ a: Int, _ b: Int) -> Double {   // indices into the union
            switch (a < n0, b < n0) {
            case (true, true): return rr[a, b]
            case (true, false): return rs[a, b - n0]
            case (false, true): return rs[b, a - n0]
            case (false, false): return ss[a - n0, b - n0]
            }
        }
        var correct = 0
        for j in 0 ..< n0 + n1 {
            var best = Double.infinity, bestIndex = -1
            for i in 0 ..< n0 + n1 where i != j {
                let d = distance(i, j)
                if d < best { best = d; bestIndex = i }
            }
            let predictedReference = bestIndex >= 0 && bestIndex < n0
            if predictedReference == (j < n0) { correct += 1 }
        }
        return Double(correct) / Double(n0 + n1)
    }
}
