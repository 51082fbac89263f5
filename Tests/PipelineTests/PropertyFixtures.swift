import Diffusion
import Foundation
import HDF5

/// A molecule set with properties whose answers are known, in `MoleculeDataset`'s layout.
enum PropertyFixtures {
    /// Per-element constants of the "additive" property: H, C, N, O.
    static let constants: [Int: Double] = [1: 0.5, 6: 3, 7: -1, 8: 2]

    /// `count` random molecules of 2–6 atoms over H, C, N, O (a random walk of 1.1–1.5 Å steps),
    /// splits train 0..<⌊0.7 count⌋, valid and test halves of the rest. Properties:
    /// "additive" = Σ_atoms c_element; "constant" = 1; "gappy" = "additive" but NaN for molecule
    /// `nanMolecule` (a training molecule).
    static func write(to path: String, count: Int = 60, nanMolecule: Int = 7, emptyValid: Bool = false, seed: UInt64 = 1) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        var positions: [Float] = [], numbers: [UInt8] = [], offsets: [Int64] = [0], properties: [Double] = []
        for m in 0 ..< count {
            let n = Int.random(in: 2 ... 6, using: &rng)
            var point = SIMD3<Float>(0, 0, 0), sum = 0.0
            for _ in 0 ..< n {
                let z = [1, 6, 7, 8][Int.random(in: 0 ..< 4, using: &rng)]
                numbers.append(UInt8(z))
                positions += [point.x, point.y, point.z]
                sum += constants[z] ?? 0
                var step = SIMD3<Float>(Float(rng.nextStandardNormal()), Float(rng.nextStandardNormal()), Float(rng.nextStandardNormal()))
                step *= Float.random(in: 1.1 ... 1.5, using: &rng) / max((step * step).sum().squareRoot(), 1e-3)
                point += step
            }
            offsets.append(Int64(numbers.count))
            properties += [sum, 1, m == nanMolecule ? .nan : sum]
        }
        let file = try HDF5File(creating: path)
        try file.root.setAttribute("format", .string("rgdm-molecules"))
        try file.root.setAttribute("version", .int(1))
        try file.root.createDataset("positions", values: positions, shape: [numbers.count, 3])
        try file.root.createDataset("atomic_numbers", values: numbers, shape: [numbers.count])
        try file.root.createDataset("charges", values: [Int8](repeating: 0, count: numbers.count), shape: [numbers.count])
        try file.root.createDataset("atom_offsets", values: offsets, shape: [offsets.count])
        try file.root.createDataset("smiles", strings: (0 ..< count).map { "M\($0)" })
        let table = try file.root.createDataset("properties", values: properties, shape: [count, 3])
        try table.setAttribute("names", .strings(["additive", "constant", "gappy"]))
        let train = count * 7 / 10, valid = (count - train) / 2
        let splits = [("train", 0 ..< train), ("valid", emptyValid ? train ..< train : train ..< train + valid),
                      ("test", train + valid ..< count)]
        for (name, range) in splits {
            try file.root.createDataset("splits/\(name)", values: range.map { Int64($0) }, shape: [range.count])
        }
        try file.commit()
    }
}
