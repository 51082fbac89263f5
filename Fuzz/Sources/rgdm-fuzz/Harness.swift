import Foundation

/// One fuzz target per reader rgdm exposes to files and programs it does not control. Each
/// `run` feeds the bytes to the reader the way rgdm does and ignores the outcome: a thrown error
/// is the expected answer to bad input; a trap, a sanitizer report, a hang past libFuzzer's
/// `-timeout` or memory past `-rss_limit_mb` is a bug.
enum Harness: String, CaseIterable {
    // Molecules (Chem): rgdm's record checks, then Open Babel on each record that passes.
    case sdf, xyz, mol2, pdb, smiles
    // Shapes (PointCloud): PLY, OFF, OBJ, STL meshes and XYZ/PTS clouds.
    case ply, off, obj, stl, cloudXYZ = "cloud-xyz"
    // HDF5 layouts: the bytes written to a file and opened as each layout's owner reads it.
    case modelNet40 = "hdf5-modelnet40", shapeNet = "hdf5-shapenet", rgdmClouds = "hdf5-rgdm-clouds"
    case molecules = "hdf5-molecules"
    // Pipeline: checkpoints (with the model card and model they describe), config files, model
    // cards, and what external reward programs print.
    case checkpoint, config, modelCard = "model-card", commandReward = "command-reward", xtbOutput = "xtb-output"

    func run(_ data: Data) {
        switch self {
        case .sdf: Self.readMolecules(data, format: .sdf)
        case .xyz: Self.readMolecules(data, format: .xyz)
        case .mol2: Self.readMolecules(data, format: .mol2)
        case .pdb: Self.readMolecules(data, format: .pdb)
        case .smiles: Self.readSMILES(data)
        case .ply, .off, .obj, .stl, .cloudXYZ: Self.readShape(data, harness: self)
        case .modelNet40, .shapeNet, .rgdmClouds, .molecules: Self.readHDF5(data, harness: self)
        case .checkpoint: Self.readCheckpoint(data)
        case .config: Self.readConfig(data)
        case .modelCard: Self.readModelCard(data)
        case .commandReward: Self.parseCommandAnswers(data)
        case .xtbOutput: Self.parseXTBOutput(data)
        }
    }
}

/// A file holding the current input, for readers that take a path. One per process (libFuzzer
/// runs inputs one at a time), in /dev/shm when there is one: no disk writes per execution.
enum ScratchFile {
    static let directory: String = {
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = base + "/rgdm-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: ScratchFile.directory) }
        return path
    }()

    /// `data` written to `input.<ext>` in the scratch directory; its path.
    static func write(_ data: Data, extension ext: String) -> String {
        let path = directory + "/input." + ext
        FileManager.default.createFile(atPath: path, contents: data)
        return path
    }
}
