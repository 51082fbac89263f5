import Foundation
import HDF5
import PointCloud
@testable import Pipeline

extension Harness {
    /// A shape file through its format's reader, as `rgdm convert` and `preprocess shapes` read it.
    static func readShape(_ data: Data, harness: Harness) {
        switch harness {
        case .ply: _ = try? PLYFile.read(ScratchFile.write(data, extension: "ply"))
        case .off: _ = try? OFFFile.read(ScratchFile.write(data, extension: "off"))
        case .obj: _ = try? OBJFile.read(ScratchFile.write(data, extension: "obj"))
        case .stl: _ = try? STLFile.read(ScratchFile.write(data, extension: "stl"))
        case .cloudXYZ:
            _ = try? XYZFile.read(ScratchFile.write(data, extension: "xyz"), flavour: .xyz)
            _ = try? XYZFile.read(ScratchFile.write(data, extension: "pts"), flavour: .pts)
        default: preconditionFailure("\(harness) is not a shape format")
        }
    }

    /// The bytes as an HDF5 file, read and described by the layout's owner.
    static func readHDF5(_ data: Data, harness: Harness) {
        let path = ScratchFile.write(data, extension: "h5")
        guard let file = try? HDF5File(readingFrom: path) else { return }
        switch harness {
        case .modelNet40:
            _ = try? ModelNet40Layout.describe(file)
            _ = try? ModelNet40Layout.read(file)
        case .shapeNet:
            _ = try? ShapeNetLayout.describe(file)
            _ = try? ShapeNetLayout.read(file)
            _ = try? ShapeNetLayout.read(file, split: "train")
        case .rgdmClouds:
            _ = try? RGDMCloudLayout.describe(file)
            _ = try? RGDMCloudLayout.read(file)
        case .molecules:
            _ = try? MoleculeDataset.describe(file)
            _ = try? MoleculeDataset.read(file, split: "train")
            _ = try? MoleculeDataset.readSMILES(path)
        default: preconditionFailure("\(harness) is not an HDF5 layout")
        }
        file.close()
    }
}
