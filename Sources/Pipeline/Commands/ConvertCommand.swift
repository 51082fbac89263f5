import ArgumentParser
import Foundation
import PointCloud

/// `rgdm convert INPUT OUTPUT`: point clouds and meshes between PLY, XYZ/PTS, OBJ, OFF/STL
/// (read only) and HDF5.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert point clouds and meshes between PLY, XYZ, PTS, OBJ, OFF, STL and HDF5.",
        discussion: """
        Formats follow the extensions (.ply .xyz .pts .obj .off .stl .h5). Meshes are sampled on their \
        surface with --points points (area-weighted, seeded); clouds are kept whole unless --points is \
        given. An HDF5 set (ModelNet40, ShapeNet or rgdm layout) converts to another HDF5 file (rgdm \
        layout, categories kept) or, with OUTPUT a folder, to one file per cloud (--format). Writes are \
        atomic.
        """
    )

    @Argument(help: "Input file.")
    var input: String

    @Argument(help: "Output file, or a folder when the input is an HDF5 set.")
    var output: String

    @Option(help: "Points per cloud (meshes: default \(ShapeConversion.defaultMeshPoints); clouds: kept whole unless given).")
    var points: Int?

    @Option(help: "Normalisation: none, shape_unit, shape_bbox, unit_sphere.")
    var normalization: PointCloudNormalization = .none

    @Option(help: "How clouds larger than --points are thinned: random or fps.")
    var subsampling: CloudSubsampling = .random

    @Option(help: "Output format for one-file-per-cloud folders (and when OUTPUT has no known extension).")
    var format: ShapeFileFormat?

    @Option(help: "PLY encoding: ascii, binary_little_endian, binary_big_endian.")
    var plyEncoding: PLYFile.Encoding = .binaryLittleEndian

    @Option(help: "Split to read from ShapeNet-layout inputs (default: all).")
    var split: String?

    @OptionGroup var options: GlobalOptions

    func validate() throws {
        if let points, points < 1 { throw ValidationError("--points must be at least 1") }
        guard ShapeFileFormat(path: input) != nil else { throw ValidationError("unknown input extension: \(input)") }
    }

    var conversion: ShapeConversion {
        ShapeConversion(points: points, normalization: normalization, subsampling: subsampling, format: format,
                        plyEncoding: plyEncoding, split: split, seed: options.seed)
    }

    func run() throws {
        let outcome = try conversion.run(from: input, to: output)
        switch outcome.route {
        case let .setToFolder(format): print("convert: \(outcome.clouds) clouds → \(output) (\(format.rawValue))")
        case .setToSet: print("convert: \(outcome.clouds) clouds → \(output)")
        case .fileToFile:
            print("convert: \(input) (\(outcome.sampledMesh ? "mesh sampled to" : "cloud of") \(outcome.points ?? 0) points) → \(output)")
        }
    }
}
