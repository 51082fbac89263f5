import Foundation
import HDF5
import PointCloud

/// Tiny datasets written in the layouts `rgdm preprocess` produces, for
/// end-to-end command tests.
enum TrainingFixtures {
    /// Methane, ammonia, water and hydrogen fluoride with QM9's DFT geometries
    /// (QM9 molecules 1–3 and 5), repeated to `copies` × 4 molecules.
    static func writeMoleculeSet(to path: String, copies: Int = 2) throws {
        let molecules: [[(Int, Float, Float, Float)]] = [
            [(6, -0.0127, 1.0858, 0.0080), (1, 0.0022, -0.0060, 0.0020), (1, 1.0117, 1.4638, 0.0003),
             (1, -0.5408, 1.4475, -0.8766), (1, -0.5238, 1.4379, 0.9064)],
            [(7, -0.0404, 1.0241, 0.0626), (1, 0.0173, 0.0125, -0.0274), (1, 0.9158, 1.3587, -0.0288),
             (1, -0.5203, 1.3435, -0.7755)],
            [(8, -0.0344, 0.9775, 0.0076), (1, 0.0647, 0.0206, 0.0015), (1, 0.8717, 1.3008, 0.0007)],
            [(9, 0.0, 0.0, 0.0), (1, 0.0, 0.0, 0.9170)],
        ]
        var positions: [Float] = [], numbers: [UInt8] = [], offsets: [Int64] = [0], smiles: [String] = []
        for _ in 0 ..< copies {
            for (m, atoms) in molecules.enumerated() {
                for (z, x, y, w) in atoms {
                    positions += [x, y, w]
                    numbers.append(UInt8(z))
                }
                offsets.append(Int64(numbers.count))
                smiles.append(["C", "N", "O", "F"][m])
            }
        }
        let count = offsets.count - 1
        let file = try HDF5File(creating: path)
        try file.root.setAttribute("format", .string("rgdm-molecules"))
        try file.root.setAttribute("version", .int(1))
        try file.root.createDataset("positions", values: positions, shape: [numbers.count, 3])
        try file.root.createDataset("atomic_numbers", values: numbers, shape: [numbers.count])
        try file.root.createDataset("charges", values: [Int8](repeating: 0, count: numbers.count), shape: [numbers.count])
        try file.root.createDataset("atom_offsets", values: offsets, shape: [offsets.count])
        try file.root.createDataset("smiles", strings: smiles)
        let train = (0 ..< count - 2).map { Int64($0) }
        try file.root.createDataset("splits/train", values: train, shape: [train.count])
        try file.root.createDataset("splits/valid", values: [Int64(count - 2)], shape: [1])
        try file.root.createDataset("splits/test", values: [Int64(count - 1)], shape: [1])
        try file.commit()
    }

    /// `shapes` noisy unit-circle clouds of `points` points in the ShapeNet layout.
    static func writeShapeSet(to path: String, shapes: Int = 6, points: Int = 32) throws {
        var values: [Float] = []
        for s in 0 ..< shapes {
            for p in 0 ..< points {
                let angle = Float(p) / Float(points) * 2 * .pi
                values += [cos(angle), sin(angle), 0.1 * Float(s % 3) - 0.1]
            }
        }
        let file = try HDF5File(creating: path)
        try file.root.createDataset("circles/train", values: values, shape: [shapes, points, 3])
        try file.root.createDataset("circles/test", values: Array(values.prefix(points * 3)), shape: [1, points, 3])
        try file.commit()
    }
}
