import Chem
import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// `rgdm evaluate conditional` and `rgdm sweep` end to end on the committed QM9 subset, with tiny
/// conditional models trained here and EDM's #Atoms predictor as the oracle: the oracle sees the
/// atom count only, so each figure is known from the molecules' sizes and targets whatever the
/// model learnt.
@Suite(.serialized, .temporaryDirectories) struct ConditionalSweepCommandTests {
    private func run(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    private func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The subset preprocessed, and a tiny model conditioned on α trained on 300 molecules for 3
    /// steps with labelled fraction `fraction`, in `dir`.
    private func conditionalModel(_ dir: URL, data: String, name: String, fraction: Double = 1) throws -> String {
        let runPath = dir.appendingPathComponent(name).path
        var arguments = ["train", data, "--output", runPath, "--limit", "300", "--condition", "alpha", "--steps", "3"]
        if fraction < 1 { arguments += ["--labelled-fraction", String(fraction), "--property-model", "atom-count"] }
        try run(arguments + ConditionalCommandTests.tiny)
        return runPath + "/checkpoint.rgdm"
    }

    private func dataset(_ dir: URL) throws -> String {
        let output = dir.appendingPathComponent("qm9.h5").path
        let job = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", ConditionalCommandTests.subset, "-o", output])
            as? PreprocessMoleculesCommand).job
        _ = try job.run(workers: 1)
        return output
    }

    @Test func evaluatesTheMAEBesideTheBoundsWithKnownAnswers() throws {
        let dir = try TemporaryDirectory.create("evaluate-conditional")
        let data = try dataset(dir)
        let model = try conditionalModel(dir, data: data, name: "run")
        let base = dir.appendingPathComponent("eval").path
        try run(["evaluate", "conditional", "--model", model, "--oracle", "atom-count", "--data", data, "--targets-from", "split",
                 "-c", "12", "--steps", "5", "--threads", "1", "-o", base])
        let report = try json(base + ".json")
        let molecules = try MoleculeReader(contentsOf: base + ".sdf").readAll()
        #expect(molecules.count == 12 && report["molecules"] as? Int == 12 && report["read"] as? Int == 12)

        // The atom-count oracle g (fitted on train) predicts from the size alone, and each molecule has
        // the size of its (size, target) pair: the MAE is the mean of |g(atoms) − target|.
        let train = try LabelledSplit(path: data, split: "train", properties: ["alpha"])
        let g = try AtomCountPredictor(property: "alpha", vocabulary: [1, 6, 7, 8, 9], sizes: train.source.nodeCounts, values: train.values)
        var expected = 0.0
        for molecule in molecules {
            let target = try #require(molecule.property("target_Polarizability_bohr3").flatMap(Double.init))
            let predicted = try #require(molecule.property("oracle_Polarizability_bohr3").flatMap(Double.init))
            #expect(predicted == g.prediction(forSize: molecule.atoms.count))
            expected += abs(g.prediction(forSize: molecule.atoms.count) - target) / 12
        }
        expectClose(try #require(report["mae"] as? Double), expected, tolerance: 1e-9)

        // The bounds on the test split: #Atoms and the oracle's own error are both g's error there.
        let test = try LabelledSplit(path: data, split: "test", properties: ["alpha"])
        let atomsError = zip(test.source.nodeCounts, test.values).reduce(0.0) { $0 + abs(g.prediction(forSize: $1.0) - $1.1) } / Double(test.count)
        let bounds = try #require(report["bounds"] as? [String: Any])
        expectClose(try #require(bounds["atoms"] as? Double), atomsError, tolerance: 1e-9)
        expectClose(try #require(bounds["oracle"] as? Double), atomsError, tolerance: 1e-9)
        let naive = ConditionalBaselines.shuffledError(predictions: test.source.nodeCounts.map(g.prediction(forSize:)), labels: test.values)
        expectClose(try #require(bounds["naive"] as? Double), naive, tolerance: 1e-9)
        #expect(bounds["held_out"] as? Int == test.count && naive > atomsError)
        #expect((report["edm"] as? [String: Any])?["atoms"] as? Double == 3.86)
        let html = try String(contentsOfFile: base + ".html", encoding: .utf8)
        #expect(html.contains("Naive (shuffled labels)") && html.contains("EDM 3.86"))

        // Targets from the card's pairs and at a fixed target also run.
        try run(["evaluate", "conditional", "--model", model, "--oracle", "atom-count", "--data", data, "-c", "4", "--steps", "3",
                 "--threads", "1", "-o", base + "-card"])
        #expect(try json(base + "-card.json")["targets"] as? String == "targets drawn from the model's (size, label) pairs")
        try run(["evaluate", "conditional", "--model", model, "--oracle", "atom-count", "--data", data, "--target", "80", "-c", "4",
                 "--steps", "3", "--threads", "1", "-o", base + "-80"])
        #expect(try MoleculeReader(contentsOf: base + "-80.sdf").readAll().allSatisfy { $0.property("target_Polarizability_bohr3") == "80.0" })
    }

    @Test func sweepsModelsAndTargetsAndResumesWhereItStopped() throws {
        let dir = try TemporaryDirectory.create("sweep")
        let data = try dataset(dir)
        let full = try conditionalModel(dir, data: data, name: "full")
        let few = try conditionalModel(dir, data: data, name: "few", fraction: 0.1)
        let base = dir.appendingPathComponent("sweep").path
        let common = ["sweep", "-m", full, "-m", few, "--oracle", "atom-count", "--data", data, "-c", "6", "--steps", "3",
                      "--threads", "1", "-o", base]
        try run(common + ["--targets", "70,90"])
        let first = try json(base + ".json")
        let points = try #require(first["points"] as? [[String: Any]])
        #expect(points.count == 4 && first["complete"] as? Bool == true && first["property"] as? String == "Polarizability_bohr3")
        let models = try #require(first["models"] as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["full", "few"] && models.map { $0["labelled_fraction"] as? Double } == [1, 0.1])
        for point in points {
            #expect(point["count"] as? Int == 6 && point["read"] as? Int == 6)
            #expect((0 ... 1).contains(point["validity"] as? Double ?? -1) && (0 ... 1).contains(point["molecule_stability"] as? Double ?? -1))
            // The oracle's mean lies within the per-size means of the training split.
            #expect((20 ... 110).contains(point["mean"] as? Double ?? 0))
        }
        let ninety = try #require(points.first { $0["target"] as? Double == 90 && $0["model"] as? String == full })
        #expect((0.9 ... 1).contains(ninety["quantile"] as? Double ?? 0), "α = 90 lies high in QM9's α")
        let html = try String(contentsOfFile: base + ".html", encoding: .utf8)
        #expect(html.contains("y = target") && html.contains("data 99 %") && html.contains("molecule stability"))

        // Rerun with one more target: the four finished points are kept as they were (their times too).
        try run(common + ["--targets", "70:110:20"])
        let second = try #require(try json(base + ".json")["points"] as? [[String: Any]])
        #expect(second.count == 6)
        for point in points {
            let again = second.first { $0["model"] as? String == point["model"] as? String && $0["target"] as? Double == point["target"] as? Double }
            #expect(again?["seconds"] as? Double == point["seconds"] as? Double)
        }

        // A stop after some targets: the missing one is redrawn as the uninterrupted run drew it.
        var partial = try json(base + ".json")
        partial["points"] = second.filter { !($0["model"] as? String == few && $0["target"] as? Double == 90) }
        partial["complete"] = false
        try JSONSerialization.data(withJSONObject: partial).write(to: URL(fileURLWithPath: base + ".json"))
        try run(common + ["--targets", "70:110:20"])
        let resumed = try #require(try json(base + ".json")["points"] as? [[String: Any]])
        let redrawn = try #require(resumed.first { $0["model"] as? String == few && $0["target"] as? Double == 90 })
        let original = try #require(second.first { $0["model"] as? String == few && $0["target"] as? Double == 90 })
        for key in ["mean", "spread", "mae", "atom_stability", "molecule_stability", "validity", "uniqueness", "quantile"] {
            #expect(redrawn[key] as? Double == original[key] as? Double, "\(key)")
        }
        #expect(resumed.count == 6)

        // Other settings do not mix with the finished points.
        #expect(throws: PipelineError.invalidRun(path: base + ".json",
                                                 reason: "its sweep ran with count 6, this one with 7; rerun with the same settings to go on, or choose another --output")) {
            try run(["sweep", "-m", full, "--oracle", "atom-count", "--data", data, "-c", "7", "--steps", "3", "--threads", "1",
                     "-o", base, "--targets", "70"])
        }
    }

    @Test func badInputGetsClearErrors() throws {
        let dir = try TemporaryDirectory.create("sweep-errors")
        let data = try dataset(dir)
        let model = try conditionalModel(dir, data: data, name: "run")
        // An unconditional model.
        let plain = dir.appendingPathComponent("plain").path
        try run(["train", data, "--output", plain, "--limit", "100", "--steps", "1"] + ConditionalCommandTests.tiny)
        let reason = "it is unconditional: the sweep needs models trained with --condition"
        #expect(throws: PipelineError.invalidModel(path: plain + "/checkpoint.rgdm", reason: reason)) {
            try run(["sweep", "-m", plain + "/checkpoint.rgdm", "--oracle", "atom-count", "--data", data, "--targets", "70",
                     "-o", dir.appendingPathComponent("s").path])
        }
        #expect(throws: PipelineError.invalidModel(path: plain + "/checkpoint.rgdm",
                                                   reason: "it is unconditional: the conditional evaluation needs a model trained with --condition")) {
            try run(["evaluate", "conditional", "-m", plain + "/checkpoint.rgdm", "--oracle", "atom-count", "--data", data])
        }
        // An oracle of another property.
        let muOracle = dir.appendingPathComponent("mu.json").path
        try AtomCountPredictor(property: "Dipole_debye", vocabulary: [1, 6, 7, 8, 9], sizes: [5], values: [1]).write(to: muOracle)
        let otherProperty = "it predicts Dipole_debye; model \(model) is conditioned on Polarizability_bohr3"
        #expect(throws: PipelineError.invalidModel(path: muOracle, reason: otherProperty)) {
            try run(["evaluate", "conditional", "-m", model, "--oracle", muOracle, "-c", "2", "--steps", "2"])
        }
        #expect(throws: PipelineError.invalidModel(path: muOracle, reason: otherProperty)) {
            try run(["sweep", "-m", model, "--oracle", muOracle, "--targets", "70", "-o", dir.appendingPathComponent("s").path])
        }
        // A report of something else at the sweep's output.
        let other = dir.appendingPathComponent("other").path
        try Data(#"{"kind": "finetune"}"#.utf8).write(to: URL(fileURLWithPath: other + ".json"))
        #expect(throws: PipelineError.invalidRun(path: other + ".json", reason: "not the report of an rgdm sweep; choose another --output or remove it")) {
            try run(["sweep", "-m", model, "--oracle", "atom-count", "--data", data, "--targets", "70", "-o", other])
        }
        // Options.
        expectParseError(RGDMCommand.self, ["sweep", "-m", "m", "--oracle", "p", "--targets", "nan", "-o", "s"], "'nan' is not a finite number")
        expectParseError(RGDMCommand.self, ["sweep", "-m", "m", "--oracle", "p", "--targets", "5:1:1", "-o", "s"], "needs HI ≥ LO")
        expectParseError(RGDMCommand.self, ["sweep", "-m", "m", "--oracle", "p", "-o", "s"], "give --targets")
        expectParseError(RGDMCommand.self, ["sweep", "--oracle", "p", "--targets", "1", "-o", "s"], "give at least one --model")
        expectParseError(RGDMCommand.self, ["sweep", "-m", "m", "-m", "m", "--oracle", "p", "--targets", "1", "-o", "s"], "a --model is given twice")
        expectParseError(RGDMCommand.self, ["sweep", "-m", "m", "--oracle", "atom-count", "--targets", "1", "-o", "s"], "--oracle atom-count needs --data")
        expectParseError(RGDMCommand.self, ["evaluate", "conditional", "-m", "m", "--oracle", "p", "--target", "nan"], "--target must be a finite number")
        expectParseError(RGDMCommand.self, ["evaluate", "conditional", "-m", "m", "--oracle", "p", "--targets-from", "split"], "--targets-from split needs --data")
        expectParseError(RGDMCommand.self, ["evaluate", "conditional", "-m", "m", "--oracle", "p", "--guidance=-1"], "--guidance must be ≥ 0")
    }
}
