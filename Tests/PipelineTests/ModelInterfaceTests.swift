import Chem
import Diffusion
import Foundation
import PointCloud
import Testing
import TestSupport
@testable import Pipeline

/// The seams fine-tuning builds on: a model from a card and weights in memory, samples
/// decoded and re-encoded into training batches, the card's JSON, and the training loop
/// over a source of steps other than a dataset.
@Suite(.serialized, .temporaryDirectories) struct ModelInterfaceTests {
    private func rgdm(_ arguments: [String]) throws {
        var command = try RGDMCommand.parseAsRoot(arguments)
        try command.run()
    }

    /// A tiny molecule model trained for a few steps, and its dataset.
    private func moleculeModel(_ name: String) throws -> (directory: URL, dataset: String, model: TrainedModel) {
        let directory = try TemporaryDirectory.create(name)
        let dataset = directory.appendingPathComponent("tiny.h5").path
        try TrainingFixtures.writeMoleculeSet(to: dataset)
        try rgdm(["train", dataset, "--output", directory.path + "/run", "--steps", "3", "--layers", "1", "--hidden", "8",
                  "--batch", "3", "--timesteps", "20", "--threads", "1"])
        return (directory, dataset, try TrainedModel(path: directory.path + "/run/checkpoint.rgdm", threads: 1))
    }

    @Test func aModelFromACardAndWeightsInMemorySamplesAsTheCheckpointDoes() throws {
        let (directory, _, fromFile) = try moleculeModel("interface-memory")
        let inMemory = try TrainedModel(card: fromFile.card, parameters: fromFile.parameters, threads: 1)
        let settings = SamplingSettings(kind: .ancestral, steps: 5)
        var a = Xoshiro256StarStar(seed: 4), b = Xoshiro256StarStar(seed: 4)
        let x = try fromFile.sample(count: 3, batchSize: 2, sampling: settings, using: &a)
        let y = try inMemory.sample(count: 3, batchSize: 2, sampling: settings, using: &b)
        #expect(x.map(\.positions) == y.map(\.positions) && x.map(\.features) == y.map(\.features))
        #expect { try TrainedModel(card: fromFile.card, parameters: [1, 2], threads: 1) } throws: { error in
            guard case let PipelineError.invalidModel(_, reason) = error else { return false }
            return reason == "2 weights for a model of \(fromFile.parameterCount)"
        }
        // A model without latents refuses a latent chain, naming its source.
        var c = Xoshiro256StarStar(seed: 1)
        for latent in [SamplingSettings(kind: .ancestral, latentSteps: 3), SamplingSettings(kind: .ancestral, latentKind: .ddim)] {
            #expect { try inMemory.sample(count: 1, batchSize: 1, sampling: latent, using: &c) }
                throws: { error in
                    guard case let PipelineError.invalidModel(path, reason) = error else { return false }
                    return path == "weights in memory" && reason.contains("a latent chain applies to latent-points models")
                }
        }
    }

    @Test func dataDecodesToMoleculesThatReencodeIntoTheSameBatch() throws {
        let (directory, dataset, model) = try moleculeModel("interface-data")
        guard case let .molecules(source) = try TrainingData.open(dataset, split: "train") else {
            Issue.record("not a molecule set"); return
        }
        let codec = MoleculeCodec(card: model.card)
        let batch = try source.batch(at: Array(0 ..< source.count))
        let asSample = SampleResult(layout: batch.layout, positions: batch.positions, features: batch.features)
        let molecules = codec.molecules(from: [asSample])
        #expect(molecules.count == source.count)
        let again = try codec.batch(molecules)
        #expect(again.layout.nodeCounts == batch.layout.nodeCounts)
        #expect(again.positions == batch.positions && again.features == batch.features)
    }

    @Test func samplesReencodeAsOneHotAndAtomicNumbersOfTheirDecodedAtoms() throws {
        let (directory, _, model) = try moleculeModel("interface-samples")
        var generator = Xoshiro256StarStar(seed: 2)
        let results = try model.sample(count: 4, batchSize: 4, sampling: SamplingSettings(kind: .ancestral, steps: 4),
                                       using: &generator)
        let codec = MoleculeCodec(card: model.card)
        let molecules = codec.molecules(from: results)
        let batch = try codec.batch(molecules)
        // Positions exactly as sampled; features the one-hot of each decoded element and its Z.
        #expect(batch.positions == results[0].positions)
        let width = codec.featureWidth, vocabulary = model.card.atomicNumbers
        let atoms = molecules.flatMap(\.atoms)
        for (node, atom) in atoms.enumerated() {
            let row = Array(batch.features[(node * width) ..< ((node + 1) * width)])
            let type = try #require(vocabulary.firstIndex(of: atom.element.atomicNumber))
            #expect(row == (0 ..< vocabulary.count).map { $0 == type ? 1 : 0 } + [Float(atom.element.atomicNumber)])
        }
        // …and decode back to the same molecules.
        let again = codec.molecules(from: [SampleResult(layout: batch.layout, positions: batch.positions,
                                                        features: batch.features)])
        #expect(again.map { $0.atoms } == molecules.map { $0.atoms })
        // An element outside the vocabulary is refused, naming the atom.
        let sulphur = Molecule(atoms: [Molecule.Atom(element: Element(atomicNumber: 16)!)], title: "S")
        #expect { try codec.batch([sulphur]) } throws: { error in
            guard case let PipelineError.invalidDataset(path, reason) = error else { return false }
            return path == "generated molecules" && reason.contains("atom 0 has atomic number 16")
        }
    }

    @Test func cloudsReencodeIntoTheirPointsBothWays() {
        let clouds = [PointCloud(flatPositions: (0 ..< 12).map { Float($0) * 0.25 }),
                      PointCloud(flatPositions: (0 ..< 6).map { -Float($0) })]
        let codec = ShapeCodec()
        let batch = codec.batch(clouds)
        #expect(batch.layout.nodeCounts == [4, 2] && batch.features.isEmpty)
        let decoded = codec.clouds(from: [SampleResult(layout: batch.layout, positions: batch.positions, features: [])])
        #expect(decoded == clouds)
        #expect(codec.batch(decoded).positions == batch.positions)
    }

    @Test func theCardRoundTripsThroughItsJSONForEachArchitecture() throws {
        let nodeCounts = try NodeCountDistribution(observedCounts: [3, 4, 4])
        let cards = [
            ModelCard(domain: .molecules, network: EGNNConfiguration(featureWidth: 6, layers: 2, hidden: 8),
                      scaling: .identity(width: 6), schedule: .polynomial2, timesteps: 50, schedulePrecision: 1e-5,
                      nodeCounts: nodeCounts, atomicNumbers: [1, 6, 7, 8, 9], includesAtomicNumber: true,
                      dataset: "a.h5", split: "train"),
            ModelCard(domain: .shapes, network: LatentPointConfiguration(latentWidth: 4, priorTarget: .mean),
                      scaling: .identity(width: 0), schedule: .polynomial2, timesteps: 50, schedulePrecision: 1e-5,
                      nodeCounts: nodeCounts, dataset: "b.h5", split: "train"),
        ]
        for card in cards {
            let json = try card.encodedJSON()
            let checkpoint = Checkpoint(modelConfiguration: json, trainer: TrainerConfiguration(),
                                        state: try Trainer(model: card.makeModel(threads: 1), configuration: TrainerConfiguration(),
                                                           datasetSize: 1).state)
            let read = try ModelCard(checkpoint: checkpoint, path: "card.json")
            #expect(read == card)
            #expect(json.contains("\"architecture\":\"\(card.architecture.rawValue)\""))
        }
        #expect(cards[0] != cards[1])
        // A newer card is refused by its version, naming the file.
        let future = Checkpoint(modelConfiguration: #"{"version": 99}"#, trainer: TrainerConfiguration(),
                                state: try Trainer(model: cards[0].makeModel(threads: 1), configuration: TrainerConfiguration(),
                                                   datasetSize: 1).state)
        #expect { try ModelCard(checkpoint: future, path: "future.rgdm") } throws: { error in
            guard case let PipelineError.invalidModel(path, reason) = error else { return false }
            return path == "future.rgdm" && reason.contains("version 99 is newer")
        }
    }

    /// A source of steps that is not a dataset: the same batch each step with per-graph weights.
    private struct WeightedSteps: TrainingSteps {
        var batch: GraphBatch
        var graphsPerStep: Int { batch.layout.graphCount }
        mutating func step(_ trainer: Trainer) throws -> TrainingStepReport { try trainer.step(on: batch) }
    }

    @Test func theLoopRunsAnySourceOfStepsCheckpointsAndStopsWhenAsked() throws {
        let (directory, dataset, model) = try moleculeModel("interface-loop")
        let data = try TrainingData.open(dataset, split: "train").source
        var batch = try MoleculeCodec(card: model.card).batch(
            MoleculeCodec(card: model.card).molecules(from: [SampleResult(
                layout: try data.batch(at: [0, 1]).layout, positions: try data.batch(at: [0, 1]).positions,
                features: try data.batch(at: [0, 1]).features)]))
        batch.weights = [0.25, 1.75]
        let run = try TrainingRun(directory: RunDirectory(directory.appendingPathComponent("tune")), card: model.card,
                                  configuration: TrainerConfiguration(batchSize: 2, seed: 1), datasetSize: 1, threads: 1)
        var steps = WeightedSteps(batch: batch)
        var seen: [Int] = []
        var loop = TrainingLoop(checkpointEvery: 2, logEvery: 1) { report, _ in seen.append(report.step) }
        let outcome = try loop.run(run, steps: &steps, until: 3)
        #expect(outcome.stepsTaken == 3 && !outcome.interrupted && seen == [1, 2, 3])
        #expect(try run.directory.loadCheckpoint().state.step == 3)
        #expect(try String(contentsOf: run.directory.logURL, encoding: .utf8).split(separator: "\n").count == 3)
        loop.shouldStop = { true }
        let stopped = try loop.run(run, steps: &steps, until: 10)
        #expect(stopped.interrupted && stopped.stepsTaken == 0 && run.step == 3)
    }
}
