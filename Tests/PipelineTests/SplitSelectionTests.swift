import Foundation
import HDF5
import Testing
import TestSupport
@testable import Pipeline

/// `--split train:K/N`: the parts of a stored split EDM's conditional protocol trains the
/// generator and the oracle on.
@Suite(.temporaryDirectories) struct SplitSelectionTests {
    @Test func partsAreDisjointCoverTheSplitAndKeepItsOrder() throws {
        let members = Array(stride(from: 3, to: 3 + 2 * 1001, by: 2))   // 1,001 stored indices, not 0 … n−1
        let halves = try ["train:1/2", "train:2/2"].map { try SplitSelection(parsing: $0).select(members) }
        #expect(halves.map(\.count) == [500, 501])
        #expect(Set(halves[0]).isDisjoint(with: halves[1]))
        #expect(Set(halves[0] + halves[1]) == Set(members))
        #expect(halves.allSatisfy { $0 == $0.sorted() }, "each part in the stored order")
        // A shuffle, not the first and last half: each half holds indices from the whole range.
        #expect(halves[0].contains { $0 > members[700] } && halves[0].contains { $0 < members[300] })
        // The same parts every time, and thirds partition too.
        #expect(try SplitSelection(parsing: "train:1/2").select(members) == halves[0])
        let thirds = try (1 ... 3).map { try SplitSelection(parsing: "train:\($0)/3").select(members) }
        #expect(thirds.map(\.count).reduce(0, +) == members.count && Set(thirds.joined()).count == members.count)
        #expect(try SplitSelection(parsing: "valid").select(members) == members)
        #expect(try SplitSelection(parsing: "train:1/1").select(members) == members)
    }

    @Test func badPartsAreRefusedWithTheirReason() {
        for (text, reason) in [("train:3/2", "part 3 of 2: K must lie in 1 … N"), ("train:0/2", "part 0 of 2: K must lie in 1 … N"),
                               ("train:half", "a part is written NAME:K/N, such as train:1/2"), (":1/2", "no split name before ':'")] {
            #expect(throws: PipelineError.invalidSplit(text, reason: reason)) { try SplitSelection(parsing: text) }
        }
    }

    @Test func aMoleculeSetReadsAPartOfItsSplit() throws {
        let path = try TemporaryDirectory.create("split").appendingPathComponent("set.h5").path
        try TrainingFixtures.writeMoleculeSet(to: path, copies: 5)   // 20 molecules, 18 in train
        let file = try HDF5File(readingFrom: path)
        let whole = try MoleculeDataset.read(file, split: "train")
        let halves = try ["train:1/2", "train:2/2"].map { try MoleculeDataset.read(file, split: $0) }
        #expect(halves.map(\.count) == [9, 9])
        #expect((halves[0].members + halves[1].members).sorted() == whole.members)
        #expect(throws: PipelineError.invalidDataset(path: path, reason: "no split 'training' (expected dataset splits/training)")) {
            try MoleculeDataset.read(file, split: "training:1/2")
        }
        #expect(LabelledMolecules.hasSplit(path, split: "train:2/2") && !LabelledMolecules.hasSplit(path, split: "train:3/2"))
    }
}
