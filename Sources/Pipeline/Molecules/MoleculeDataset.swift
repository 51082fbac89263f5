import Chem
import Foundation

/// The rgdm molecule training set in HDF5 (layout in README.md beside this file).
enum MoleculeDataset {
    /// The `smiles` dataset of an rgdm HDF5 training set.
    static func readSMILES(_ path: String) throws -> [String] {
        throw PipelineFailure("\(path): reading HDF5 training sets is not built yet")
    }
}
