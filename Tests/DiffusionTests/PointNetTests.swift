import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// The point-cloud classifier / regressor: PointNet's backward and the cross-entropy against
/// central differences, its invariance to point order (and a negative test: it does read the
/// points), the augmentation's draws, and training: a toy set learnt, an exact resume, and
/// predictions that hold under rotations about the up axis after training with rotated copies.
@Suite struct PointNetTests {
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] { LatentPointTests.random(count, seed: seed, scale: scale) }

    @Test(arguments: PointPooling.allCases)
    func gradientsMatchFiniteDifferences(pooling: PointPooling) {
        let net = PointNet(PointNetConfiguration(pointWidths: [5, 6], headWidths: [4], outputs: 3, pooling: pooling))
        let layout = GraphLayout(nodeCounts: [5, 1, 7])
        let x = Self.random(layout.nodeCount * 3, seed: 1, scale: 1.5)
        var rng = Xoshiro256StarStar(seed: 2)
        let theta = net.initialParameters(using: &rng)
        let probe = Self.random(layout.graphCount * 3, seed: 3)
        func value(_ p: [Float], _ xs: [Float]) -> Double { LatentPointTests.dot(probe, net.predict(xs, layout: layout, parameters: p)) }
        let w = PointNet.Workspace()
        net.forward(x, layout: layout, parameters: theta, workspace: w)
        var dTheta = [Float](repeating: 0, count: net.parameterCount)
        net.backward(outputGradient: probe, parameters: theta, gradient: &dTheta, workspace: w, inputGradient: true)
        LatentPointTests.expectGradient(dTheta, of: { value($0, x) }, at: theta, support: 0 ..< net.points.parameterCount,
                                        "point MLP", seeds: 0 ..< 3)
        LatentPointTests.expectGradient(dTheta, of: { value($0, x) }, at: theta,
                                        support: net.points.parameterCount ..< net.parameterCount, "head")
        // ×10: the mean's 1/N makes some directions' derivatives small beside the test's floor.
        LatentPointTests.expectGradient(w.inputGradient.map { 10 * $0 }, of: { 10 * value(theta, $0) }, at: x, support: 0 ..< x.count,
                                        "∂L/∂x")
    }

    @Test func crossEntropyMatchesItsDefinitionAndFiniteDifferences() {
        // Equal logits: p = 1/K, L = log K.
        let uniform = SoftmaxCrossEntropy.lossAndGradient(logits: [2, 2, 2, 2], labels: [1], classes: 4)
        #expect(abs(uniform.loss - Foundation.log(4)) < 1e-12)
        expectClose(uniform.gradient, [0.25, -0.75, 0.25, 0.25], tolerance: 1e-7, "∂L/∂y at equal logits")
        // Large logits do not overflow (the max is subtracted).
        let large = SoftmaxCrossEntropy.logProbabilities([1000, 0], classes: 2)
        #expect(large[0] == 0 && abs(large[1] + 1000) < 1e-9)
        let logits = Self.random(12, seed: 4, scale: 2), labels = [2, 0, 1, 2]
        let (_, gradient) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: labels, classes: 3)
        LatentPointTests.expectGradient(gradient, of: { SoftmaxCrossEntropy.lossAndGradient(logits: $0, labels: labels, classes: 3).loss },
                                        at: logits, support: 0 ..< 12, "∂L/∂logits")
    }

    @Test func regressionLossMatchesItsDefinitionAndFiniteDifferences() {
        let targets = PointNetTargets.values([0.5, -1, 2, 0.25]), indices = [2, 0, 3]
        let y: [Float] = [1.5, 0.25, -0.75]
        let (loss, gradient) = targets.lossAndGradient(outputs: y, indices: indices, width: 1)
        // ((1.5 − 2)² + (0.25 − 0.5)² + (−0.75 − 0.25)²) / 3
        #expect(abs(loss - (0.25 + 0.0625 + 1) / 3) < 1e-12)
        LatentPointTests.expectGradient(gradient, of: { targets.lossAndGradient(outputs: $0, indices: indices, width: 1).loss },
                                        at: y, support: 0 ..< 3, "∂L/∂y of the squared error")
        // Classes pick their labels by index too.
        let classes = PointNetTargets.classes([0, 2, 1])
        let picked = classes.lossAndGradient(outputs: [0, 0, 5, 0, 5, 0], indices: [1, 2], width: 3)
        #expect(picked.loss < 0.02, "labels 2 and 1 of clouds 1 and 2 agree with the logits: \(picked.loss)")
    }

    @Test(arguments: PointPooling.allCases)
    func outputIgnoresPointOrderButNotThePoints(pooling: PointPooling) {
        let net = PointNet(PointNetConfiguration(pointWidths: [16, 32], headWidths: [16], outputs: 4, pooling: pooling))
        var rng = Xoshiro256StarStar(seed: 5)
        let theta = net.initialParameters(using: &rng)
        let layout = GraphLayout(nodeCounts: [50, 30])
        let x = Self.random(layout.nodeCount * 3, seed: 6)
        let order = Array(0 ..< 50).shuffled(using: &rng) + Array(50 ..< 80).shuffled(using: &rng)
        let permuted = order.flatMap { x[(3 * $0) ..< (3 * $0 + 3)] }
        let base = net.predict(x, layout: layout, parameters: theta)
        // Float rounding of the mean's sum in another order is all that may differ.
        expectClose(net.predict(permuted, layout: layout, parameters: theta), base, tolerance: 1e-6, relative: 1e-6, "y of permuted points")
        // Stretching a cloud moves the output: the test above could not pass by a constant network.
        var moved = x
        for k in 0 ..< 150 { moved[k] *= 1.5 }
        #expect(!largestDifference(net.predict(moved, layout: layout, parameters: theta), base, tolerance: 1e-4).isWithinBound)
    }

    @Test func augmentationRotatesAboutTheUpAxisAndThinsPerCloud() {
        let layout = GraphLayout(nodeCounts: [10, 4])
        let x = Self.random(layout.nodeCount * 3, seed: 7)
        var rng = Xoshiro256StarStar(seed: 8)
        let rotated = CloudAugmentation(points: nil, rotatesAboutUpAxis: true).apply(x, layout: layout, using: &rng)
        #expect(rotated.layout == layout)
        for i in 0 ..< layout.nodeCount {
            #expect(rotated.positions[3 * i + 1] == x[3 * i + 1], "y is kept")
            let r0 = x[3 * i] * x[3 * i] + x[3 * i + 2] * x[3 * i + 2]
            let r1 = rotated.positions[3 * i] * rotated.positions[3 * i] + rotated.positions[3 * i + 2] * rotated.positions[3 * i + 2]
            #expect(abs(r0 - r1) < 1e-5, "distance from the axis is kept")
        }
        #expect(!largestDifference(rotated.positions, x, tolerance: 1e-3).isWithinBound, "the azimuth changes")
        var a = Xoshiro256StarStar(seed: 9), b = Xoshiro256StarStar(seed: 9)
        let thin = CloudAugmentation(points: 6, rotatesAboutUpAxis: false)
        let first = thin.apply(x, layout: layout, using: &a)
        #expect(first.layout.nodeCounts == [6, 4])
        #expect(first.positions == thin.apply(x, layout: layout, using: &b).positions, "same generator, same draw")
        // Every kept point is one of its cloud's points.
        let cloud0: Set<[Float]> = Set((0 ..< 10).map { (i: Int) -> [Float] in Array(x[(3 * i) ..< (3 * i + 3)]) })
        for i in 0 ..< 6 { #expect(cloud0.contains(Array(first.positions[(3 * i) ..< (3 * i + 3)]))) }
        let quarter = CloudAugmentation.rotatedAboutUpAxis([1, 2, 0], angle: .pi / 2)
        expectClose(quarter, [0, 2, -1], tolerance: 1e-6, "R_y(π/2) (1, 2, 0)")
    }

    @Test func trainingResumesExactly() throws {
        let data = ToyClouds(count: 12, seed: 10)
        func trainer() throws -> PointNetTrainer { try Self.trainer(datasetSize: data.count, rotates: true) }
        let straight = try trainer()
        for _ in 0 ..< 6 { try straight.step(on: data, targets: data.targets) }
        let first = try trainer()
        for _ in 0 ..< 3 { try first.step(on: data, targets: data.targets) }
        let saved = try Checkpoint(encoded: first.checkpoint(modelConfiguration: "{}").encoded(), path: "test")
        let resumed = try PointNetTrainer(network: first.network, augmentation: first.augmentation, resumingFrom: saved, path: "test")
        for _ in 0 ..< 3 { try resumed.step(on: data, targets: data.targets) }
        #expect(resumed.state == straight.state)
    }

    /// After training with rotated copies, the class of a cloud (long in x, or round) holds at any
    /// azimuth; the same network trained without them reads the azimuth (negative test).
    @Test func predictionsHoldUnderRotationsAboutTheUpAxisAfterTrainingWithThem() throws {
        let data = ToyClouds(count: 128, seed: 11), held = ToyClouds(count: 16, seed: 12)
        let angles = [0, Double.pi / 4, Double.pi / 2, 3 * Double.pi / 4]
        func probabilities(_ trainer: PointNetTrainer, angle: Double) throws -> [Double] {
            let batch = try held.batch(at: Array(0 ..< held.count))
            let y = trainer.network.predict(CloudAugmentation.rotatedAboutUpAxis(batch.positions, angle: angle), layout: batch.layout,
                                            parameters: trainer.predictionParameters)
            return SoftmaxCrossEntropy.logProbabilities(y, classes: 2).map { Foundation.exp($0) }
        }
        let augmented = try Self.trainer(datasetSize: data.count, rotates: true)
        for _ in 0 ..< 800 { try augmented.step(on: data, targets: data.targets) }
        let upright = try probabilities(augmented, angle: 0)
        #expect(held.accuracy(upright) == 1, "held-out accuracy, no rotation")
        for angle in angles.dropFirst() {
            let turned = try probabilities(augmented, angle: angle)
            #expect(held.accuracy(turned) == 1, "held-out accuracy at \(angle) rad")
            expectClose(turned, upright, tolerance: 0.1, "class probabilities at \(angle) rad")
        }
        let plain = try Self.trainer(datasetSize: data.count, rotates: false)
        for _ in 0 ..< 300 { try plain.step(on: data, targets: data.targets) }
        #expect(held.accuracy(try probabilities(plain, angle: 0)) == 1)
        #expect(held.accuracy(try probabilities(plain, angle: .pi / 2)) < 0.75, "without rotated copies a quarter turn fools it")
    }

    static func trainer(datasetSize: Int, rotates: Bool) throws -> PointNetTrainer {
        try PointNetTrainer(network: PointNet(PointNetConfiguration(pointWidths: [16, 32], headWidths: [16], outputs: 2)),
                            augmentation: CloudAugmentation(points: 48, rotatesAboutUpAxis: rotates),
                            configuration: TrainerConfiguration(optimizer: AdamWConfiguration(learningRate: 3e-3), emaDecay: 0,
                                                                clipsGradients: false, batchSize: 16, seed: 13),
                            datasetSize: datasetSize)
    }
}

/// Upright clouds of 64 points in two classes: class 0 spread 3× longer along x than along z,
/// class 1 as wide along x as along z (both as tall). Axis-aligned, as shape sets are.
struct ToyClouds: GraphDataSource {
    let positions: [[Float]]
    let labels: [Int]

    init(count: Int, seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        var positions: [[Float]] = [], labels: [Int] = []
        for k in 0 ..< count {
            let label = k % 2, size = Float.random(in: 0.8 ... 1.2, using: &rng)
            let (sx, sz): (Float, Float) = label == 0 ? (1.5, 0.5) : (1, 1)
            positions.append((0 ..< 64).flatMap { _ in
                [sx * size * Float.random(in: -1 ... 1, using: &rng), Float.random(in: -0.5 ... 0.5, using: &rng),
                 sz * size * Float.random(in: -1 ... 1, using: &rng)]
            })
            labels.append(label)
        }
        self.positions = positions
        self.labels = labels
    }

    var count: Int { labels.count }
    var targets: PointNetTargets { .classes(labels) }

    func batch(at indices: [Int]) throws -> GraphBatch {
        GraphBatch(layout: GraphLayout(nodeCounts: indices.map { positions[$0].count / 3 }), positions: indices.flatMap { positions[$0] },
                   features: [])
    }

    /// Share of clouds whose most probable class (of probabilities `[count, 2]`) is their label.
    func accuracy(_ probabilities: [Double]) -> Double {
        Double(labels.enumerated().filter { (probabilities[2 * $0] > probabilities[2 * $0 + 1] ? 0 : 1) == $1 }.count) / Double(count)
    }
}
