import Chem
import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm train --condition` and `rgdm sample --target` end to end on the committed QM9
/// subset (tiny models, a few steps: the plumbing, not the quality), and their refusals.
@Suite(.serialized, .temporaryDirectories) struct ConditionalCommandTests {
    static let subset = MoleculesCommandTests.subset

    private func run(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// The subset preprocessed once per test (one worker, a few seconds).
    private func dataset(_ dir: URL) throws -> String {
        let output = dir.appendingPathComponent("qm9.h5").path
        let job = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", Self.subset, "-o", output])
            as? PreprocessMoleculesCommand).job
        _ = try job.run(workers: 1)
        return output
    }

    static let tiny = ["--layers", "2", "--hidden", "8", "--batch", "8", "--timesteps", "50", "--threads", "1", "--seed", "3"]

    private func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func trainsOnPseudoLabelsAndSamplesAtATargetFromDataAndUnconditionally() throws {
        let dir = try TemporaryDirectory.create("conditional")
        let data = try dataset(dir)
        let runPath = dir.appendingPathComponent("run").path
        let training = [data, "--output", runPath, "--limit", "300", "--condition", "alpha",
                        "--labelled-fraction", "0.05", "--property-model", "atom-count", "--pseudo-label-noise", "0.5",
                        "--t0", "4", "--condition-dropout", "0.2"] + Self.tiny
        try run(["train"] + training + ["--steps", "3"])
        let checkpoint = runPath + "/checkpoint.rgdm"
        let card = try ModelCard(checkpoint: Checkpoint(contentsOf: URL(fileURLWithPath: checkpoint)), path: checkpoint)
        let condition = try #require(card.condition)
        #expect(condition.properties == ["Polarizability_bohr3"] && condition.width == 2 && card.egnn?.conditionWidth == 2)
        #expect(condition.training == (try ConditionalTraining(dropout: 0.2, earlyStop: 4)))
        #expect(condition.labels.labelledFraction == 0.05 && condition.labels.noise == [0.5])
        #expect(condition.labels.labelledMolecules.count == 15 && condition.labels.trainingMolecules == 300)
        #expect(condition.labels.propertyModels == ["atom-count (fitted on the labelled share)"])
        #expect(condition.reference.count == 300)
        let info = try #require(try TrainedModel.describe(checkpointAt: checkpoint)["condition"] as? [String: Any])
        #expect(info["labelled_molecules"] as? Int == 15 && info["early_stop"] as? Int == 4)
        // QM9's α: mean about 75 Bohr³, MAD about 6.
        #expect((60 ... 90).contains(condition.normalization.means[0]) && (2 ... 12).contains(condition.normalization.deviations[0]))

        // The labelled molecules keep their true α in the reference pairs, by the split's order.
        guard case let .molecules(source) = try TrainingData.open(data, split: "train", limit: 300) else {
            Issue.record("not a molecule set"); return
        }
        let truth = try MoleculeDataset.readProperties(["alpha"], molecules: source.members, from: .init(readingFrom: data)).values
        let labelled = Set(condition.labels.labelledMolecules)
        let kept = source.members.indices.filter { condition.reference.values[$0] == truth[$0] }
        #expect(Set(kept.map { source.members[$0] }) == labelled)

        // The same command resumes; another condition does not.
        try run(["train"] + training + ["--steps", "4"])
        #expect { try run(["train", data, "--output", runPath, "--limit", "300", "--steps", "5", "--condition", "mu"] + Self.tiny) } throws: { error in
            String(describing: error).contains("conditioned on Polarizability_bohr3")
        }

        // At a target, with guidance: every molecule carries the target; the report states it all.
        let atTarget = dir.appendingPathComponent("target.sdf").path
        try run(["sample", "--model", checkpoint, "--target", "80", "--guidance", "1.5", "-c", "6", "--steps", "10", "-o", atTarget])
        let molecules = try MoleculeReader(contentsOf: atTarget).readAll()
        #expect(molecules.count == 6 && molecules.allSatisfy { $0.property("target_Polarizability_bohr3") == "80.0" })
        let report = try json(dir.appendingPathComponent("target.report.json").path)
        let reported = try #require(report["condition"] as? [String: Any])
        #expect(reported["target"] as? [Double] == [80] && reported["guidance"] as? Double == 1.5)
        #expect(reported["labelled_fraction"] as? Double == 0.05 && reported["early_stop"] as? Int == 4)
        #expect((report["sampling"] as? [String: Any])?["stop"] as? Int == 4)
        #expect((report["sampling"] as? [String: Any])?["network_calls_per_sample"] as? Int == 22, "11 calls, twice with guidance")
        let html = try String(contentsOfFile: dir.appendingPathComponent("target.report.html").path, encoding: .utf8)
        #expect(html.contains("guidance scale w") && html.contains("labelled fraction F"))

        // Targets and sizes drawn from the data; and an unconditional request.
        let fromData = dir.appendingPathComponent("data.sdf").path
        try run(["sample", "--model", checkpoint, "--condition-from-data", "-c", "5", "--steps", "10", "-o", fromData])
        #expect(try MoleculeReader(contentsOf: fromData).readAll().allSatisfy { $0.property("target_Polarizability_bohr3") != nil })
        let free = dir.appendingPathComponent("free.sdf").path
        try run(["sample", "--model", checkpoint, "-c", "5", "--steps", "10", "-o", free])
        #expect(try MoleculeReader(contentsOf: free).readAll().allSatisfy { $0.property("target_Polarizability_bohr3") == nil })
        let freeReport = try json(dir.appendingPathComponent("free.report.json").path)
        #expect((freeReport["condition"] as? [String: Any])?["target"] as? String == "unconditional")
    }

    @Test func anUnconditionalCheckpointStartsAConditionalRun() throws {
        let dir = try TemporaryDirectory.create("conditional-from-unconditional")
        let data = try dataset(dir)
        let plain = dir.appendingPathComponent("plain").path
        try run(["train", data, "--output", plain, "--limit", "100", "--steps", "2"] + Self.tiny)
        let conditional = dir.appendingPathComponent("conditional").path
        try run(["train", data, "--output", conditional, "--limit", "100", "--steps", "2", "--condition", "mu",
                 "--initialize-from", plain + "/checkpoint.rgdm"] + Self.tiny)
        let path = conditional + "/checkpoint.rgdm"
        let card = try ModelCard(checkpoint: Checkpoint(contentsOf: URL(fileURLWithPath: path)), path: path)
        #expect(card.initializedFrom?.contains("condition inputs 0 → 2 (new ones zero)") == true, "\(card.initializedFrom ?? "nil")")
    }

    @Test func badInputGetsTypedErrors() throws {
        let dir = try TemporaryDirectory.create("conditional-errors")
        let data = try dataset(dir)
        #expect(throws: PipelineError.unknownProperty(path: data, property: "logP", available: QM9Record.propertyNames)) {
            try run(["train", data, "--output", dir.appendingPathComponent("r").path, "--condition", "logP", "--steps", "1"] + Self.tiny)
        }
        #expect(throws: PipelineError.invalidCondition(reason: ConditionalSampling.unconditionalModel("unconditional.rgdm"))) {
            try ConditionOptions.parse(["--target", "3"]).sampling(for: try Self.unconditionalModel(source: "unconditional.rgdm"))
        }
        #expect(throws: PipelineError.invalidCondition(reason: "a target must be a finite number, not nan")) {
            try ConditionalSampling(request: .target([.nan]))
        }
        expectParseError(RGDMCommand.self, ["train", data, "--condition", "alpha", "--labelled-fraction", "0"], "--labelled-fraction must be in (0, 1], got 0.0")
        expectParseError(RGDMCommand.self, ["train", data, "--condition", "alpha", "--labelled-fraction", "1.5"], "--labelled-fraction must be in (0, 1], got 1.5")
        expectParseError(RGDMCommand.self, ["train", data, "--condition", "alpha", "--labelled-fraction", "0.1"], "needs --property-model")
        expectParseError(RGDMCommand.self, ["train", data, "--labelled-fraction", "0.1", "--property-model", "atom-count"], "add --condition PROPERTY")
        expectParseError(RGDMCommand.self, ["train", data, "--condition", "alpha", "--condition-dropout", "1"], "--condition-dropout must be in [0, 1)")
        expectParseError(RGDMCommand.self, ["sample", "--model", "m", "-o", "s.sdf", "--target", "nan"], "--target must be a finite number")
        expectParseError(RGDMCommand.self, ["sample", "--model", "m", "-o", "s.sdf", "--guidance=-1"], "--guidance must be ≥ 0")
        expectParseError(RGDMCommand.self, ["sample", "--model", "m", "-o", "s.sdf", "--target", "1", "--condition-from-data"], "not both")
    }

    /// A small unconditional molecule model in memory.
    static func unconditionalModel(source: String) throws -> TrainedModel {
        let card = ModelCard(domain: .molecules, network: EGNNConfiguration(featureWidth: 3, layers: 1, hidden: 4),
                             scaling: try FeatureScaling(blocks: [.init(width: 2, divisor: 4), .init(width: 1, divisor: 10)]),
                             schedule: .polynomial2, timesteps: 10, schedulePrecision: 1e-5,
                             nodeCounts: try NodeCountDistribution(observedCounts: [3]), atomicNumbers: [1, 6],
                             includesAtomicNumber: true, dataset: "none", split: "train")
        let model = try card.makeModel(threads: 1)
        var rng = Xoshiro256StarStar(seed: 1)
        return try TrainedModel(card: card, parameters: model.initialParameters(using: &rng), threads: 1, source: source)
    }
}
