import Chem
import Foundation
import Testing
@testable import Pipeline

/// The scoring session: failures to the floor, graph-only rewards cached, every sample counted,
/// the ledger saved and restored.
@Suite struct RewardScorerTests {
    func scorer(_ reward: TableReward = TableReward(), floor: RewardFloor = .default, caching: Bool = true) -> RewardScorer<String> {
        RewardScorer(reward: reward, floor: floor, caching: caching) { $0 == "invalid" ? nil : $0 }
    }

    @Test func failuresGetTheFloor() {
        var fixed = scorer(floor: .value(-5))
        let batch = fixed.score(["0.25", "invalid", "nan", "0.75"])
        #expect(batch.rewards == [0.25, -5, -5, 0.75] && batch.floor == -5 && batch.failures == 2)
        #expect(batch.outcomes[2].failureKind == .notFinite)
        var minimum = scorer(floor: .batchMinimum)
        #expect(minimum.score(["0.25", "invalid", "0.75"]).rewards == [0.25, 0.25, 0.75])
        #expect(minimum.score(["invalid", "invalid"]).rewards == [0, 0], "no success: the floor is 0")
        #expect(RewardFloor("min") == .batchMinimum && RewardFloor("-1.5") == .value(-1.5))
        #expect(RewardFloor("nan") == nil && RewardFloor("low") == nil)
    }

    @Test func everySampleCountsAndFailuresAreCountedByKind() {
        var session = scorer(floor: .value(0))
        _ = session.score(["1", "invalid", "nan", "x"])
        let ledger = session.ledger
        #expect(ledger.evaluations == 4 && ledger.cacheHits == 0 && ledger.computed == 4)
        #expect(ledger.failures == ["invalid-molecule": 1, "not-finite": 1, "failed": 1])
        #expect(ledger.failureCount == 3)
        #expect(ledger.failureSummary == "invalid-molecule 1, not-finite 1, failed 1")
    }

    @Test func graphOnlyRewardsAreCachedAndHitsCountedApart() {
        let reward = TableReward()
        var session = scorer(reward)
        let first = session.score(["1", "2", "1", "invalid"])
        #expect(first.rewards.prefix(3) == [1, 2, 1] && first.cacheHits == 1, "a repeat within the batch is not scored again")
        #expect(reward.counter.samples == 3)
        let second = session.score(["2", "3", "invalid"])
        #expect(second.rewards.prefix(2) == [2, 3] && second.cacheHits == 1)
        #expect(reward.counter.samples == 5, "the cached '2' is not scored; invalid samples are never cached")
        #expect(session.ledger.evaluations == 7 && session.ledger.cacheHits == 2 && session.ledger.computed == 5)
        #expect(session.ledger.cache == ["1": 1, "2": 2, "3": 3])
    }

    @Test func geometryRewardsAndCachingOffScoreEverySample() {
        var geometry = TableReward()
        geometry.dependsOnGraphOnly = false
        var session = scorer(geometry)
        _ = session.score(["1", "1"])
        #expect(geometry.counter.samples == 2 && session.ledger.cacheHits == 0 && !session.caches)
        let off = TableReward()
        var uncached = scorer(off, caching: false)
        _ = uncached.score(["1", "1"])
        #expect(off.counter.samples == 2 && uncached.ledger.cache.isEmpty)
    }

    @Test func aRestoredLedgerContinuesExactly() throws {
        let batches = [["1", "2"], ["2", "invalid"], ["3", "1"]]
        var straight = scorer()
        let straightRewards = batches.map { straight.score($0).rewards }

        var first = scorer()
        let before = batches.prefix(2).map { first.score($0).rewards }
        let saved = try JSONEncoder().encode(first.ledger)
        let reward = TableReward()
        var resumed = scorer(reward)
        try resumed.restore(try JSONDecoder().decode(RewardLedger.self, from: saved))
        let after = resumed.score(batches[2]).rewards
        #expect(before + [after] == straightRewards)
        #expect(resumed.ledger == straight.ledger)
        #expect(reward.counter.samples == 1, "'1' comes from the restored cache")

        var other = TableReward()
        other.name = "other"
        var mismatched = scorer(other)
        #expect { try mismatched.restore(first.ledger) } throws: { error in
            guard case let .invalidReward(specification, reason) = error as? PipelineError else { return false }
            return specification == "other" && reason.contains("'table'")
        }
    }

    /// Molecules are cached by the canonical SMILES of the valid molecule: the same QM9
    /// molecule twice (translated) is scored once.
    @Test func moleculesAreCachedByCanonicalSMILES() throws {
        let molecule = try RewardTestSupport.qm9([1])[0]
        var moved = molecule
        for i in moved.atoms.indices { moved.atoms[i].position += SIMD3(1, 2, 3) }
        var session = RewardScorer(reward: GraphPropertyReward(.qed))
        let batch = session.score([molecule, moved, RewardTestSupport.pentavalentCarbon])
        #expect(batch.cacheHits == 1 && batch.outcomes[0] == batch.outcomes[1])
        #expect(session.ledger.cache.keys.sorted() == ["CC(O)C"])
        #expect(batch.outcomes[2].failureKind == .invalidMolecule)
    }
}
