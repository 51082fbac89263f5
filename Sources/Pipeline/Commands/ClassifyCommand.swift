import ArgumentParser
import Diffusion
import Foundation
import PointCloud

/// `rgdm classify --model CLS FILE…`: a shape classifier's class probabilities (or a shape
/// regressor's value) for point clouds and meshes.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify point clouds and meshes with a shape model from rgdm train-property.",
        discussion: """
        FILE is a point-cloud or mesh file (ply, xyz, pts, off, obj, stl; meshes are sampled on their \
        surface with --mesh-points points), a folder of them, or an HDF5 shape set (every cloud, or \
        those of --split). Each cloud is normalised as the model's training set was and thinned to the \
        model's point count. Prints one tab-separated line per cloud: its name, the most probable class \
        and the probability of every class (a regressor: the predicted value); with a set's categories \
        it ends with the accuracy against them. --reward SPEC adds a column: a shape reward of each cloud \
        (class(C) by this model, chamfer(FILE), aspect(X:Y:Z), symmetry(x|y|z), and weighted sums, targets \
        and windows of them).
        """)

    @Option(help: "The shape model (rgdm train-property on a shape set).") var model: String
    @Argument(help: "Shape files, folders or HDF5 shape sets.") var files: [String]
    @Option(help: "The split of HDF5 shape sets to read (default: all).") var split: String?
    @Option(help: "Points sampled on a mesh's surface.") var meshPoints = 2048
    @Option(help: ArgumentHelp("Rotate every cloud by this many degrees about the up axis y first.",
                               discussion: "To check how the model's answers hold at other azimuths."))
    var azimuth: Double?
    @Option(help: ArgumentHelp("Also print a shape reward of every cloud, e.g. \"class(chair)\" (of --model), \"symmetry(x)\" or \"aspect(2:1:1)\".",
                               valueName: "spec"),
            transform: { try RewardSpecification(parsing: $0) })
    var reward: RewardSpecification?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if meshPoints < 1 { throw ValidationError("--mesh-points must be at least 1") }
    }

    func run() throws {
        let model = try ShapeModel.open(self.model)
        var clouds = try ShapeModel.readClouds(files, split: split, meshPoints: meshPoints, seed: global.seed,
                                               reject: { FileHandle.standardError.write(Data("classify: skipped \($0)\n".utf8)) })
        guard !clouds.isEmpty else { throw ValidationError("no clouds read from \(files.joined(separator: ", "))") }
        if let azimuth {
            for i in clouds.indices {
                clouds[i].cloud = PointCloud(flatPositions: CloudAugmentation.rotatedAboutUpAxis(clouds[i].cloud.flatPositions,
                                                                                                angle: azimuth * .pi / 180))
            }
        }
        var rewards: [String] = []
        if let reward {
            var settings = RewardSettings.inProcess
            settings.classifier = self.model
            rewards = try reward.makeShapeReward(settings).score(clouds.map(\.cloud)).map { outcome in
                switch outcome {
                case let .success(value): String(format: "%.6g", value)
                case let .failure(failure): "failed: \(failure)"
                }
            }
        }
        func rewardColumn(_ i: Int) -> [String] { rewards.isEmpty ? [] : [rewards[i]] }
        let rewardHeader = reward.map { ["reward \($0)"] } ?? []
        guard let categories = model.card.categories else {
            print((["name", model.card.task.propertyName] + rewardHeader).joined(separator: "\t"))
            for (i, (named, value)) in zip(clouds, try model.values(clouds.map(\.cloud))).enumerated() {
                print(([named.name, String(format: "%.6g", value)] + rewardColumn(i)).joined(separator: "\t"))
            }
            return
        }
        print((["name", "class"] + categories.map { "p(\($0))" } + rewardHeader).joined(separator: "\t"))
        var right = 0, labelled = 0
        for (i, (named, logP)) in zip(clouds, try model.logProbabilities(clouds.map(\.cloud))).enumerated() {
            let best = logP.indices.max { logP[$0] < logP[$1] } ?? 0
            print(([named.name, categories[best]] + logP.map { String(format: "%.4f", Foundation.exp($0)) } + rewardColumn(i))
                .joined(separator: "\t"))
            if let category = named.category, categories.contains(category) {
                labelled += 1
                if category == categories[best] { right += 1 }
            }
        }
        if labelled > 0 {
            FileHandle.standardError.write(Data(String(format: "classify: accuracy %.1f %% (%d of %d clouds of known categories)\n",
                                                       100 * Double(right) / Double(labelled), right, labelled).utf8))
        }
    }
}
