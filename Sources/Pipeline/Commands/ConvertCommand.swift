import ArgumentParser
import Diffusion
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

    @Option(help: "Points per cloud (meshes: default 2048; clouds: kept whole unless given).")
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

    func write(_ cloud: PointCloud, to path: String, format: ShapeFileFormat) throws {
        if format == .ply { try PLYFile.write(cloud, to: path, encoding: plyEncoding) } else { try ShapeFile.write(cloud, to: path, format: format) }
    }

    func run() throws {
        var generator = Xoshiro256StarStar(seed: options.seed)
        var isDirectory: ObjCBool = false
        let outputIsFolder = output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) && isDirectory.boolValue)
        if ShapeFileFormat(path: input) == .hdf5 {
            let set = try PointCloudHDF5.read(input, split: split)
            let clouds = try set.clouds.enumerated().map { index, cloud in
                try Shape.cloud(cloud).pointCloud(count: points, subsampling: subsampling, file: "\(input)[\(index)]", using: &generator)
                    .normalized(normalization)
            }
            if outputIsFolder {
                let format = self.format ?? .ply
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                for (index, cloud) in clouds.enumerated() {
                    let name = "\(set.categories[index].isEmpty ? "cloud" : set.categories[index])_\(String(format: "%05d", index)).\(format == .hdf5 ? "h5" : format.rawValue)"
                    try write(cloud, to: URL(fileURLWithPath: output).appendingPathComponent(name).path, format: format)
                }
                print("convert: \(clouds.count) clouds → \(output) (\(format.rawValue))")
            } else {
                guard ShapeFileFormat(path: output) == .hdf5 else {
                    throw ValidationError("an HDF5 set converts to an .h5 file or to a folder (give OUTPUT/ and --format)")
                }
                try PointCloudHDF5.write(clouds, categories: set.categories, to: output)
                print("convert: \(clouds.count) clouds → \(output)")
            }
            return
        }
        guard let format = ShapeFileFormat(path: output) ?? self.format else { throw ValidationError("unknown output extension: \(output)") }
        let shape = try ShapeFile.read(input)
        let cloud = try shape.pointCloud(count: points, meshPoints: points ?? 2048, subsampling: subsampling, file: input, using: &generator)
            .normalized(normalization)
        try write(cloud, to: output, format: format)
        let kind: String
        if case .mesh = shape { kind = "mesh sampled to" } else { kind = "cloud of" }
        print("convert: \(input) (\(kind) \(cloud.count) points) → \(output)")
    }
}
