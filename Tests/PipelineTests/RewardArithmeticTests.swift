import Foundation
import Testing
@testable import Pipeline

/// Targets, windows and weighted sums on a reward whose values the test sets.
@Suite struct RewardArithmeticTests {
    let table = TableReward()

    @Test func targetIsMinusTheDistance() throws {
        let target = TargetReward(table, target: 2)
        #expect(target.score(["2", "3.5", "-1"]).map { try? $0.get() } == [0, -1.5, -3])
        #expect(target.score(["invalid"])[0].failureKind == .invalidMolecule)
        #expect(target.name == "target(table, 2)" && target.dependsOnGraphOnly)
    }

    @Test func windowIsOneInsideAndFallsOffLinearly() throws {
        let window = WindowReward(table, lower: 150, upper: 350)
        #expect(window.score(["150", "250", "350", "450", "50", "650"]).map { try? $0.get() } == [1, 1, 1, 0.5, 0.5, -0.5])
        #expect(window.name == "window(table, 150, 350)")
    }

    @Test func weightedSumAddsTermsAndFailsWithTheFirstFailure() throws {
        var geometry = TableReward()
        geometry.name = "geometry"
        geometry.dependsOnGraphOnly = false
        let sum = WeightedSumReward([.init(0.5, table), .init(-2, TargetReward(geometry, target: 1))])
        let outcomes = sum.score(["3", "1", "invalid"])
        #expect(try outcomes[0].get() == 0.5 * 3 - 2 * -2)
        #expect(try outcomes[1].get() == 0.5)
        #expect(outcomes[2].failureKind == .invalidMolecule)
        #expect(sum.name == "0.5*table - 2*target(geometry, 1)")
        #expect(!sum.dependsOnGraphOnly, "one geometry term makes the sum uncacheable")
    }
}
