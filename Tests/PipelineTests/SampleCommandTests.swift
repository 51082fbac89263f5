import Diffusion
import Chem
import Foundation
import HDF5
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

@Suite(.serialized, .temporaryDirectories) struct SampleCommandTests {
    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    private func trainedMoleculeModel() throws -> (directory: URL, checkpoint: String) {
        let dir = try TemporaryDirectory.create("sample")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        try rgdm(["train", dataset, "--output", dir.path + "/run", "--steps", "3", "--layers", "1", "--hidden", "8",
                  "--batch", "3", "--timesteps", "20", "--threads", "1"])
        return (dir, dir.path + "/run/checkpoint.rgdm")
    }

    @Test(arguments: ["sdf", "xyz", "mol2"])
    func writesMoleculesInTheFormatOfTheExtension(_ ext: String) throws {
        let (dir, checkpoint) = try trainedMoleculeModel()
        let out = dir.path + "/samples.\(ext)"
        try rgdm(["sample", "--model", checkpoint, "--count", "5", "--output", out, "--seed", "1", "--batch", "2"])
        let molecules = try MoleculeReader(contentsOf: out).readAll()
        #expect(molecules.count == 5)
        // Node counts come from the training histogram (2…5 atoms), elements from the vocabulary.
        #expect(molecules.allSatisfy { (2 ... 5).contains($0.atoms.count) })
        #expect(molecules.allSatisfy { $0.atoms.allSatisfy { [1, 6, 7, 8, 9].contains($0.element.atomicNumber) } })
        #expect(FileManager.default.fileExists(atPath: out + ".run.json"))
        let html = try String(contentsOfFile: dir.path + "/samples.report.html", encoding: .utf8)
        #expect(html.contains("atom stability"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/samples.report.json"))) as? [String: Any]
        #expect((report?["metrics"] as? [String: Any])?["count"] as? Int == 5)
        // Molecules are drawn with the default chain (all T = 20 steps here), and the report says so.
        let sampling = report?["sampling"] as? [String: Any]
        #expect(sampling?["sampler"] as? String == "sde-dpm-solver++" && sampling?["steps"] as? Int == 20
                && sampling?["grid"] as? String == "power:3" && sampling?["eta"] as? Double == 5)
        #expect(sampling?["network_calls_per_sample"] as? Int == 21 && sampling?["corrector"] is NSNull)
        #expect(html.contains("sde-dpm-solver++ sampler, 20 steps (power:3 grid), η = 5.0; 21 network calls per molecule"))
    }

    @Test func sameSeedSameSamplesAndDDIMRuns() throws {
        let (dir, checkpoint) = try trainedMoleculeModel()
        for (name, seed) in [("a", "7"), ("b", "7"), ("c", "8")] {
            try rgdm(["sample", "--model", checkpoint, "--count", "4", "--output", dir.path + "/\(name).xyz", "--seed", seed])
        }
        let a = try String(contentsOfFile: dir.path + "/a.xyz", encoding: .utf8)
        let b = try String(contentsOfFile: dir.path + "/b.xyz", encoding: .utf8)
        let c = try String(contentsOfFile: dir.path + "/c.xyz", encoding: .utf8)
        #expect(a == b)
        #expect(a != c)
        try rgdm(["sample", "--model", checkpoint, "--count", "3", "--output", dir.path + "/d.sdf",
                  "--sampler", "ddim", "--steps", "5"])
        #expect(try MoleculeReader(contentsOf: dir.path + "/d.sdf").readAll().count == 3)
    }

    @Test func correctsAncestralMoleculeChainsByDefaultButNotShapesOrDDIM() throws {
        func corrector(_ arguments: [String], _ domain: ModelDomain) throws -> LangevinCorrector? {
            try SampleCommand.parse(["--model", "m.rgdm", "--output", "o.sdf"] + arguments).sampling.settings(for: domain, architecture: domain.defaultArchitecture, timesteps: 1000).corrector
        }
        // --sampler ancestral keeps its defaults whatever the models' default chains are.
        #expect(try corrector(["--sampler", "ancestral"], .molecules) == LangevinCorrector(steps: 3, levels: 200, snr: 0.2))
        #expect(try corrector(["--sampler", "ancestral"], .shapes) == nil)
        #expect(try corrector(["--sampler", "ddim"], .molecules) == nil)
        #expect(try corrector(["--corrector-steps", "0"], .molecules) == nil)
        #expect(try corrector(["--sampler", "ancestral", "--corrector-steps", "2", "--corrector-levels", "50", "--corrector-snr", "0.2"], .shapes)
                == LangevinCorrector(steps: 2, levels: 50, snr: 0.2))
        // A negative count is written --corrector-steps=-1: apart, "-1" reads as a flag.
        for (bad, message) in [(["--sampler", "ddim", "--corrector-steps", "1"], "--corrector-steps needs --sampler ancestral; DDIM is deterministic"),
                               (["--corrector-steps=-1"], "--corrector-steps must be at least 0"),
                               (["--corrector-levels", "0"], "--corrector-levels must be at least 1"),
                               (["--corrector-snr", "0"], "--corrector-snr must be > 0")] {
            expectParseError(SampleCommand.self, ["--model", "m.rgdm", "--output", "o.sdf"] + bad, message)
        }

        let (dir, checkpoint) = try trainedMoleculeModel()
        for (name, steps) in [("corrected", "1"), ("plain", "0")] {
            try rgdm(["sample", "--model", checkpoint, "--count", "3", "--output", dir.path + "/\(name).xyz", "--seed", "2",
                      "--sampler", "ancestral", "--corrector-steps", steps, "--corrector-levels", "10"])
        }
        let corrected = try MoleculeReader(contentsOf: dir.path + "/corrected.xyz").readAll()
        let plain = try MoleculeReader(contentsOf: dir.path + "/plain.xyz").readAll()
        #expect(corrected.count == 3 && plain.count == 3)
        #expect(corrected.map(\.atoms.count) == plain.map(\.atoms.count), "node counts are drawn before the chains")
        #expect(corrected.map { $0.atoms.map(\.position) } != plain.map { $0.atoms.map(\.position) })
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/plain.report.json"))) as? [String: Any]
        #expect((report?["sampling"] as? [String: Any])?["corrector"] is NSNull)
        let correctedReport = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/corrected.report.json"))) as? [String: Any]
        #expect((correctedReport?["sampling"] as? [String: Any])?["network_calls_per_sample"] as? Int == 21 + 10,
                "T = 20: 21 ancestral calls and one corrector move at each of the last 10 levels")
        // The default chain takes no corrector.
        #expect(throws: DiffusionError.invalidConfiguration("a Langevin corrector needs the ancestral sampler, not sde-dpm-solver++")) {
            try rgdm(["sample", "--model", checkpoint, "--count", "1", "--output", dir.path + "/bad.xyz", "--corrector-steps", "1"])
        }
    }

    @Test func withoutASamplerTheDomainsDefaultChainWhichOptionsAdjust() throws {
        func settings(_ arguments: [String], _ domain: ModelDomain) throws -> SamplingSettings {
            try SampleCommand.parse(["--model", "m.rgdm", "--output", "o.sdf"] + arguments)
                .sampling.settings(for: domain, architecture: domain.defaultArchitecture, timesteps: 1000)
        }
        for domain in ModelDomain.allCases {
            let standard = domain.defaultSampling(timesteps: 1000, architecture: domain.defaultArchitecture)
            #expect(try settings([], domain) == standard)
            var adjusted = standard
            adjusted.steps = 40
            #expect(try settings(["--steps", "40"], domain) == adjusted)
        }
        // EDM's plain chain, the reference of the timing comparison.
        #expect(try settings(["--sampler", "ancestral", "--steps", "1000", "--corrector-steps", "0"], .molecules)
                == SamplingSettings(kind: .ancestral, steps: 1000))
        #expect(try settings(["--sampler", "ancestral"], .molecules)
                == SamplingSettings(kind: .ancestral, corrector: try LangevinCorrector(steps: 3, levels: 200, snr: 0.2)))
        // Molecules: SDE-DPM-Solver++ with η = 5 on 200 steps of a power(3) grid (fewer for a small T).
        #expect(try settings([], .molecules) == SamplingSettings(kind: .sdeDPMSolver, steps: 200, grid: .power(3), eta: 5))
        #expect(ModelDomain.molecules.defaultSampling(timesteps: 20, architecture: .egnn).steps == 20)
        // Shapes: 30 ancestral steps for the points, SDE-DPM-Solver++ on 100 steps for the latents.
        #expect(try settings([], .shapes) == SamplingSettings(kind: .ancestral, steps: 30, latentSteps: 100, latentKind: .sdeDPMSolver))
        #expect(try settings([], .shapes).latentChain == SamplingSettings(kind: .sdeDPMSolver, steps: 100))
        #expect(ModelDomain.shapes.defaultSampling(timesteps: 20, architecture: .latentPoints).latentChain
                == SamplingSettings(kind: .sdeDPMSolver, steps: 20))
        // Shapes on an EGNN (no latents): EDM's chain.
        #expect(ModelDomain.shapes.defaultSampling(timesteps: 1000, architecture: .egnn) == SamplingSettings(kind: .ancestral))
        #expect(try settings(["--eta", "3", "--grid", "log-snr"], .molecules)
                == SamplingSettings(kind: .sdeDPMSolver, steps: 200, grid: .logSNR, eta: 3))
        // Corrector options adjust an ancestral chain's corrector, or add one to it.
        #expect(try settings(["--sampler", "ancestral", "--corrector-snr", "0.3"], .molecules).corrector
                == LangevinCorrector(steps: 3, levels: 200, snr: 0.3))
        #expect(try settings(["--sampler", "ancestral", "--corrector-steps", "0"], .molecules).corrector == nil)
        #expect(try settings(["--sampler", "sde-dpm-solver++", "--steps", "30", "--eta", "1.5", "--latent-steps", "200"], .shapes)
                == SamplingSettings(kind: .sdeDPMSolver, steps: 30, eta: 1.5, latentSteps: 200))
        // A latent chain of its own kind takes that kind's defaults, not the point chain's grid and η.
        let mixed = try settings(["--sampler", "ancestral", "--steps", "30", "--grid", "power:2", "--latent-sampler",
                                  "sde-dpm-solver++", "--latent-steps", "100"], .shapes)
        #expect(mixed.latentChain == SamplingSettings(kind: .sdeDPMSolver, steps: 100))
        #expect(mixed.summary == "ancestral sampler, 30 steps (power:2 grid), latent chain sde-dpm-solver++ 100 steps")
        #expect(SamplingSettings(kind: .ddim, steps: 20, grid: .logSNR, latentKind: .ddim).latentChain
                == SamplingSettings(kind: .ddim, steps: 20, grid: .logSNR))
    }

    @Test func reportsNoveltyAgainstAReference() throws {
        let (dir, checkpoint) = try trainedMoleculeModel()
        let out = dir.path + "/novel.sdf"
        try rgdm(["sample", "--model", checkpoint, "--count", "4", "--output", out, "--reference", dir.path + "/tiny.h5"])
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/novel.report.json"))) as? [String: Any]
        let novelty = try #require((report?["metrics"] as? [String: Any])?["novelty"] as? Double, "a novelty with --reference")
        #expect((0 ... 1).contains(novelty))
    }

    @Test func samplesShapesToHDF5() throws {
        let dir = try TemporaryDirectory.create("sample-shapes")
        let dataset = dir.appendingPathComponent("circles.h5").path
        try TrainingFixtures.writeShapeSet(to: dataset, points: 16)
        try rgdm(["train", dataset, "--output", dir.path + "/run", "--steps", "2", "--layers", "1", "--hidden", "8",
                  "--batch", "2", "--neighbours", "4", "--timesteps", "10", "--architecture", "egnn"])
        let out = dir.path + "/shapes.h5"
        try rgdm(["sample", "--model", dir.path + "/run/checkpoint.rgdm", "--count", "3", "--output", out])
        let clouds = try HDF5File(readingFrom: out).dataset("generated/test").read(Float.self, rank: 3)
        #expect(clouds.shape == [3, 16, 3])
        #expect(clouds.values.allSatisfy { $0.isFinite })
        let html = try String(contentsOfFile: dir.path + "/shapes.report.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<circle").count - 1 == 3 * 3 * 16)  // 3 shapes × 3 views × 16 points

        // One file per shape for the single-cloud formats, numbered when there are several.
        try rgdm(["sample", "--model", dir.path + "/run/checkpoint.rgdm", "--count", "3", "--output", dir.path + "/ply/shape.ply"])
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/ply").filter { $0.hasSuffix(".ply") }.sorted()
        #expect(names == ["shape-001.ply", "shape-002.ply", "shape-003.ply"])
        guard case let .cloud(first) = try ShapeFile.read(dir.path + "/ply/shape-001.ply") else { Issue.record("not a cloud"); return }
        #expect(first.count == 16 && first.positions.allSatisfy { $0.x.isFinite })
        try rgdm(["sample", "--model", dir.path + "/run/checkpoint.rgdm", "--count", "1", "--output", dir.path + "/one.xyz"])
        guard case let .cloud(one) = try ShapeFile.read(dir.path + "/one.xyz") else { Issue.record("not a cloud"); return }
        #expect(one.count == 16)
        #expect { try rgdm(["sample", "--model", dir.path + "/run/checkpoint.rgdm", "--count", "1", "--output", dir.path + "/x.stl"]) } throws: {
            String(describing: $0).contains("one file per shape")
        }
    }

    @Test func trainsResumesAndSamplesALatentPointModel() throws {
        let dir = try TemporaryDirectory.create("sample-latent")
        let dataset = dir.appendingPathComponent("circles.h5").path
        try TrainingFixtures.writeShapeSet(to: dataset, points: 16)
        let common = ["--output", dir.path + "/run", "--architecture", "latent-points", "--latent-width", "4",
                      "--encoder-widths", "8,8", "--decoder-widths", "8,8", "--prior-widths", "8", "--decoder-points", "6",
                      "--batch", "2", "--timesteps", "10", "--seed", "3"]
        try rgdm(["train", dataset, "--steps", "2"] + common)
        // Resuming without --architecture keeps the run's model; a different one is refused.
        try rgdm(["train", dataset, "--steps", "3", "--output", dir.path + "/run", "--latent-width", "4",
                  "--encoder-widths", "8,8", "--decoder-widths", "8,8", "--prior-widths", "8", "--decoder-points", "6", "--timesteps", "10", "--prior-draws", "3"])
        let checkpoint = try Checkpoint(contentsOf: RunDirectory(URL(fileURLWithPath: dir.path + "/run")).checkpointURL)
        let card = try ModelCard(checkpoint: checkpoint, path: dir.path)
        #expect(card.architecture == .latentPoints && checkpoint.state.step == 3)
        #expect(card.latentPoints?.decoderPointsPerStep == 6 && card.latentPoints?.decoderWidths == [8, 8])
        #expect(card.latentPoints?.priorDraws == 3, "a training setting given on resume applies")
        let log = try String(contentsOfFile: dir.path + "/run/log.jsonl", encoding: .utf8)
        #expect(log.contains("prior draws per step 1 → 3"))
        #expect { try rgdm(["train", dataset, "--steps", "4"] + common.map { $0 == "4" ? "5" : $0 }) } throws: {
            String(describing: $0).contains("different model")
        }
        let model = try #require(try InfoCommand.describe(dir.path + "/run/checkpoint.rgdm")["model"] as? [String: Any])
        #expect(model["architecture"] as? String == "latent-points" && model["latent_width"] as? Int == 4)

        // Shipping: the EMA weights alone sample as the checkpoint does and cannot resume.
        let exported = dir.path + "/shipped.rgdm"
        try rgdm(["export", dir.path + "/run/checkpoint.rgdm", "--output", exported])
        let slim = try Checkpoint(contentsOf: URL(fileURLWithPath: exported))
        #expect(slim.isWeightsOnly && slim.state.parameters == checkpoint.state.ema?.weights && slim.state.step == 3)
        for model in [dir.path + "/run/checkpoint.rgdm", exported] {
            try rgdm(["sample", "--model", model, "--count", "2", "--output", dir.path + "/same-\(model.hasSuffix("shipped.rgdm")).h5", "--seed", "9"])
        }
        #expect(try HDF5File(readingFrom: dir.path + "/same-true.h5").dataset("generated/test").read(Float.self, rank: 3).values
                == HDF5File(readingFrom: dir.path + "/same-false.h5").dataset("generated/test").read(Float.self, rank: 3).values)
        // In half precision: a tenth of the checkpoint, each weight rounded to Float16; it samples.
        let half = dir.path + "/shipped-half.rgdm"
        try rgdm(["export", dir.path + "/run/checkpoint.rgdm", "--output", half, "--precision", "half"])
        let halfCheckpoint = try Checkpoint(contentsOf: URL(fileURLWithPath: half))
        #expect(halfCheckpoint.precision == .half && halfCheckpoint.isWeightsOnly)
        #expect(halfCheckpoint.state.parameters == slim.state.parameters.map { Float(Float16($0)) })
        try rgdm(["sample", "--model", half, "--count", "2", "--output", dir.path + "/half.h5", "--seed", "9"])
        #expect(try HDF5File(readingFrom: dir.path + "/half.h5").dataset("generated/test").read(Float.self, rank: 3).values.allSatisfy(\.isFinite))
        try FileManager.default.createDirectory(atPath: dir.path + "/from-shipped", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: exported, toPath: dir.path + "/from-shipped/checkpoint.rgdm")
        #expect { try rgdm(["train", dataset, "--steps", "5"] + common.map { $0 == dir.path + "/run" ? dir.path + "/from-shipped" : $0 }) } throws: {
            String(describing: $0).contains("sampling weights only")
        }

        // Batches run in parallel with their own seeds: the thread count does not change the shapes.
        for threads in ["1", "2"] {
            try rgdm(["sample", "--model", exported, "--count", "3", "--batch", "1", "--threads", threads,
                      "--output", dir.path + "/threads-\(threads).h5", "--seed", "4", "--sampler", "ancestral", "--steps", "5"])
        }
        #expect(try HDF5File(readingFrom: dir.path + "/threads-1.h5").dataset("generated/test").read(Float.self, rank: 3).values
                == HDF5File(readingFrom: dir.path + "/threads-2.h5").dataset("generated/test").read(Float.self, rank: 3).values)

        for sampler in [["--sampler", "ancestral"], ["--sampler", "ddim", "--steps", "4"]] {
            let out = dir.path + "/latent-\(sampler[1]).h5"
            try rgdm(["sample", "--model", dir.path + "/run/checkpoint.rgdm", "--count", "3", "--output", out] + sampler)
            let clouds = try HDF5File(readingFrom: out).dataset("generated/test").read(Float.self, rank: 3)
            #expect(clouds.shape == [3, 16, 3], "every cloud has the training set's 16 points")
            #expect(clouds.values.allSatisfy { $0.isFinite })
        }
    }

    @Test func latentPointsIsForShapesOnly() throws {
        let dir = try TemporaryDirectory.create("latent-molecules")
        let dataset = dir.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        #expect { try rgdm(["train", dataset, "--output", dir.path + "/run", "--steps", "1", "--architecture", "latent-points"]) } throws: {
            String(describing: $0).contains("generates shapes")
        }
    }

    @Test func reportsAMissingOrCorruptModel() throws {
        let dir = try TemporaryDirectory.create("sample-bad")
        #expect { try rgdm(["sample", "--model", dir.path + "/none.rgdm", "--output", dir.path + "/x.sdf"]) } throws: {
            String(describing: $0).contains("none.rgdm")
        }
        let junk = dir.path + "/junk.rgdm"
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: junk))
        #expect { try rgdm(["sample", "--model", junk, "--output", dir.path + "/x.sdf"]) } throws: {
            String(describing: $0).contains("junk.rgdm")
        }
    }
}
