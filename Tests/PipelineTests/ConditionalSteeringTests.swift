import Chem
import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// A noise-aware property model guiding a conditional model toward each molecule's own target
/// (`rgdm sample` and `rgdm evaluate conditional` with `--property-model`) on the committed QM9
/// subset: tiny models, a few steps (the plumbing and the map of targets, not the quality).
@Suite(.serialized, .temporaryDirectories) struct ConditionalSteeringTests {
    private func run(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    private func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test func aPropertyModelSteersAConditionalModelTowardEachMoleculesTarget() throws {
        let dir = try TemporaryDirectory.create("conditional-steering")
        let data = dir.appendingPathComponent("qm9.h5").path
        _ = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", ConditionalCommandTests.subset, "-o", data])
            as? PreprocessMoleculesCommand).job.run(workers: 1)
        let runPath = dir.appendingPathComponent("run").path
        try run(["train", data, "--output", runPath, "--limit", "300", "--condition", "alpha", "--steps", "2"] + ConditionalCommandTests.tiny)
        let checkpoint = runPath + "/checkpoint.rgdm"
        let small = ["--noise-aware", "--guides", checkpoint, "--steps", "2", "--layers", "1", "--hidden", "8", "--readout", "4",
                     "--head-hidden", "8", "--batch", "16", "--threads", "1"]
        let guide = dir.appendingPathComponent("alpha-guide.rgdm").path
        try run(["train-property", data, "--property", "alpha", "-o", guide] + small)

        // The map: the network reads ĉ = (y − m)/MAD, the property model a′ = (y − mean)/scale.
        let model = try TrainedModel(path: checkpoint, threads: 1, useEMA: true)
        let condition = try #require(model.card.condition)
        let property = try #require(try PropertyModelFile.load(guide) as? EGNNPropertyModel)
        let steering = try property.guidance(towardConditionOf: condition, weight: 1)
        let targets = try steering.targets(graphs: 2, condition: condition.encode([70]) + condition.encode([85]))
        let expected = [70.0, 85].map { ($0 - property.card.labelMean) / property.card.labelScale }
        #expect(zip(targets, expected).allSatisfy { abs($0 - $1) < 1e-5 * max(1, abs($1)) }, "\(targets) vs \(expected)")

        // rgdm sample: weight 0 draws what the unsteered chain draws; weight 3 moves the chain.
        let sampling = ["--model", checkpoint, "--count", "3", "--batch", "3", "--sampler", "ancestral", "--steps", "10",
                        "--corrector-steps", "0", "--threads", "1", "--seed", "4", "--target", "80"]
        func positions(_ name: String, _ extra: [String]) throws -> [[Double]] {
            let path = dir.appendingPathComponent(name).path
            try run(["sample"] + sampling + ["-o", path] + extra)
            return try Molecule.readAll(contentsOf: path).map { $0.atoms.flatMap { [$0.position.x, $0.position.y, $0.position.z] } }
        }
        let plain = try positions("plain.sdf", [])
        #expect(try positions("zero.sdf", ["--property-model", guide, "--property-weight", "0"]) == plain)
        #expect(try positions("steered.sdf", ["--property-model", guide, "--property-weight", "3"]) != plain)
        let report = try #require(try json(dir.appendingPathComponent("steered.report.json").path)["property_guidance"] as? [String: Any])
        #expect(report["property_model"] as? String == guide && report["weight"] as? Double == 3 && report["clip"] as? Double == 1)

        // rgdm evaluate conditional: each molecule toward its own target drawn from the data.
        let evaluation = dir.appendingPathComponent("evaluation").path
        try run(["evaluate", "conditional", "--model", checkpoint, "--oracle", "atom-count", "--data", data, "-c", "4", "--steps", "3",
                 "--property-model", guide, "--property-weight", "2", "--threads", "1", "-o", evaluation])
        let html = try String(contentsOfFile: evaluation + ".html", encoding: .utf8)
        #expect(html.contains("each guided toward its target by \(guide) (w = 2)"))

        // Guidance far too strong: chains that diverge even when drawn again are not written.
        let wild = dir.appendingPathComponent("wild").path
        try run(["evaluate", "conditional", "--model", checkpoint, "--oracle", "atom-count", "--data", data, "-c", "3", "--steps", "3",
                 "--property-model", guide, "--property-weight", "1e9", "--guidance-clip", "0", "--threads", "1", "-o", wild])
        #expect(try String(contentsOfFile: wild + ".sdf", encoding: .utf8).isEmpty, "no record with NaN coordinates is written")

        // rgdm sweep: every point steered; the settings a rerun must match name the property model.
        let sweep = dir.appendingPathComponent("sweep").path
        try run(["sweep", "-m", checkpoint, "--oracle", "atom-count", "--data", data, "--targets", "70,90", "-c", "2", "--steps", "3",
                 "--property-model", guide, "--property-weight", "2", "--threads", "1", "-o", sweep])
        let settings = try #require(try json(sweep + ".json")["settings"] as? [String: String])
        #expect(settings["property_guidance"] == "\(guide), w = 2, clip 1")

        // Refusals: a model of another property; an unconditional draw has no target to steer to.
        let mu = dir.appendingPathComponent("mu-guide.rgdm").path
        try run(["train-property", data, "--property", "mu", "-o", mu] + small)
        #expect(throws: PipelineError.invalidModel(path: mu, reason: "it predicts Dipole_debye; the model is conditioned on Polarizability_bohr3")) {
            try run(["sample"] + sampling + ["-o", dir.appendingPathComponent("mu.sdf").path, "--property-model", mu])
        }
        #expect(throws: PipelineError.invalidCondition(
            reason: "property guidance of a conditional model steers toward its condition; an unconditional draw has none")) {
            var generator = Xoshiro256StarStar(seed: 1)
            _ = try ConditionalSampling(request: .unconditional).sample(from: model, count: 1, batchSize: 1, sampling: SamplingSettings(kind: .ancestral, steps: 2),
                                                                        steering: steering, using: &generator)
        }
    }
}
