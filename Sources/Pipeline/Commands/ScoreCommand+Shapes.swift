import Diffusion
import Foundation
import PointCloud

extension ScoreCommand {
    /// Whether FILE… are scored as shapes: the reward has a shape term (class, chamfer, aspect,
    /// symmetry), or it is the command alone and every file is a shape file Open Babel does not
    /// read (.h5, .ply, .pts, .off, .stl).
    var scoresShapes: Bool {
        guard let reward = rewards.reward else { return false }
        if !reward.shapeTerms.isEmpty { return true }
        let shapeOnly: Set<ShapeFileFormat> = [.hdf5, .ply, .pts, .off, .stl]
        return reward.terms == [.command] && !files.isEmpty
            && files.allSatisfy { ShapeFileFormat(path: $0).map(shapeOnly.contains) ?? false }
    }

    /// Scores every cloud of the files (all of an HDF5 set; a mesh sampled with 2,048 points,
    /// seeded by --seed), prints the summary, and with -o writes `file, index, reward` per
    /// cloud as TSV (the failure's reason in place of a reward).
    func runShapes() throws {
        guard let spec = rewards.reward else { return }
        let reward = try spec.makeShapeReward(rewards.settings(workers: options.workerCount))
        var scorer = RewardScorer(reward: reward, floor: rewards.rewardFloor, caching: false) { _ in nil }
        var generator = Xoshiro256StarStar(seed: options.seed)
        var names: [String] = [], clouds: [PointCloud] = []
        for file in files {
            let set = try ShapeFile.readClouds(file, using: &generator)
            for (index, cloud) in set.clouds.enumerated() {
                names.append(set.clouds.count == 1 ? file : "\(file)[\(index)]")
                clouds.append(cloud)
            }
        }
        let batch = scorer.score(clouds)
        let scored = batch.outcomes.indices.filter { !batch.outcomes[$0].isFailure }
        let values = scored.map { batch.rewards[$0] }.sorted(by: >)
        let top = values.prefix(max(1, values.count / 10))
        let number = { (value: Double?) in value.map { String(format: "%.4f", $0) } ?? "n/a" }
        print("reward       \(scorer.reward.name)")
        print("shapes       \(clouds.count)")
        print("mean         \(number(values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)))  (over \(values.count) scored)")
        print("top 10 %     \(number(values.isEmpty ? nil : top.reduce(0, +) / Double(top.count)))")
        if let best = scored.max(by: { batch.rewards[$0] < batch.rewards[$1] }) {
            print("best         \(number(batch.rewards[best]))  \(names[best])")
        }
        print("failures     \(scorer.ledger.failureCount) (\(scorer.ledger.failureSummary))")
        guard let output else { return }
        let rows = clouds.indices.map { i -> String in
            switch batch.outcomes[i] {
            case let .success(value): "\(names[i])\t\(String(format: "%.6g", value))"
            case let .failure(failure): "\(names[i])\t\(failure)"
            }
        }
        try (["shape\treward"] + rows).joined(separator: "\n").appending("\n")
            .write(to: URL(fileURLWithPath: output), atomically: true, encoding: .utf8)
        print("wrote        \(output)")
    }
}
