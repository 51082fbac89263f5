import HDF5
import PointCloud

/// Describes an HDF5 dataset for `rgdm info` by asking the owner of its layout: the molecule
/// set (`MoleculeDataset`), else the point-cloud layouts (`PointCloudHDF5`: ShapeNet, ModelNet40,
/// rgdm).
enum DatasetDescription {
    /// A JSON-ready description of the HDF5 file at `path`.
    static func describe(_ path: String) throws -> [String: Any] {
        let file = try HDF5File(readingFrom: path)
        if MoleculeDataset.isMoleculeSet(file) { return try MoleculeDataset.describe(file).json }
        guard (try? PointCloudHDF5.layout(of: file)) != nil else {
            throw PipelineError.invalidDataset(
                path: path, reason: "neither an rgdm molecule set nor a point-cloud set (ShapeNet, ModelNet40 or rgdm layout)")
        }
        return try PointCloudHDF5.describe(file).json
    }
}
