import Diffusion
import Foundation

/// Invariant descriptors of a molecule's 3D graph, the inputs of the ridge baseline: with V
/// elements and P = V(V + 1)/2 unordered element pairs,
///
///     n_e                                    V        atoms of each element
///     Σ_{i<j ∈ pair} exp(−(d_ij − c_k)² / 2w²)  P × K    a Gaussian-smeared histogram of the
///                                                     pair's distances at centres c_k (Å)
///     Σ_{i<j ∈ pair} 1 / d_ij                P        a Coulomb-like sum per pair
///
/// Distances only, so the descriptors are invariant to rotations, reflections, translations
/// and the order of the atoms. A property that is a sum of per-element constants is linear in
/// n_e; bonded distances (1.0–1.6 Å) fall in the histogram's first bins.
public struct MoleculeDescriptors: Sendable, Codable, Equatable {
    /// V: the one-hot block's width.
    public var elements: Int
    /// c_k, Å.
    public var centres: [Double]
    /// w, Å.
    public var width: Double

    /// V elements, centres 0.9 … 5.0 Å every 0.25 Å (17), width 0.15 Å.
    public init(elements: Int, centres: [Double] = stride(from: 0.9, through: 5.0, by: 0.25).map { $0 }, width: Double = 0.15) {
        self.elements = elements
        self.centres = centres
        self.width = width
    }

    var pairs: Int { elements * (elements + 1) / 2 }

    /// Descriptors per molecule: V + P (K + 1).
    public var count: Int { elements + pairs * (centres.count + 1) }

    /// E.g. "element counts, 17-bin distance histograms and 1/d sums of 15 element pairs".
    public var summary: String {
        "element counts, \(centres.count)-bin distance histograms and 1/d sums of \(pairs) element pairs"
    }

    /// Index of the unordered pair (a, b) among the P pairs.
    func pair(_ a: Int, _ b: Int) -> Int {
        let (lo, hi) = a <= b ? (a, b) : (b, a)
        return lo * elements - lo * (lo - 1) / 2 + (hi - lo)
    }

    /// The descriptors of every graph of `batch` (features: one-hot over the V elements first,
    /// `featureWidth` columns per node): `[graphs][count]`.
    public func describe(_ batch: GraphBatch, featureWidth: Int) -> [[Double]] {
        precondition(featureWidth >= elements && batch.features.count == batch.layout.nodeCount * featureWidth,
                     "features: \(batch.features.count) values for \(batch.layout.nodeCount) nodes × \(featureWidth), \(elements) elements")
        let k = centres.count, histograms = elements, coulomb = elements + pairs * k
        let element = (0 ..< batch.layout.nodeCount).map { i in
            (0 ..< elements).max { batch.features[i * featureWidth + $0] < batch.features[i * featureWidth + $1] } ?? 0
        }
        return (0 ..< batch.layout.graphCount).map { g in
            var row = [Double](repeating: 0, count: count)
            let nodes = batch.layout.nodes(ofGraph: g)
            for i in nodes {
                row[element[i]] += 1
                for j in nodes where j > i {
                    var squared = 0.0
                    for d in 0 ..< 3 {
                        let delta = Double(batch.positions[3 * i + d] - batch.positions[3 * j + d])
                        squared += delta * delta
                    }
                    let distance = squared.squareRoot(), p = pair(element[i], element[j])
                    for (c, centre) in centres.enumerated() {
                        let u = (distance - centre) / width
                        if abs(u) < 6 { row[histograms + p * k + c] += Foundation.exp(-0.5 * u * u) }   // beyond: < 10⁻⁷
                    }
                    row[coulomb + p] += 1 / max(distance, 1e-3)
                }
            }
            return row
        }
    }
}
