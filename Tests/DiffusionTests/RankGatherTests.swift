import Foundation
import Testing
import TestSupport
@testable import Diffusion

/// `Communicator.allGather` and `RankMessage`: what fine-tuning's ranks hand each other (their
/// share of a pool, their rewards) arrives on every rank bit for bit, in rank order.
@Suite struct RankGatherTests {
    @Test(arguments: [1, 2, 3])
    func everyRankGetsEveryRanksBytesInRankOrder(ranks: Int) throws {
        // Lengths that are not multiples of 8, and an empty share (rank 1).
        let shares = (0 ..< ranks).map { r in r == 1 ? [] : (0 ..< (5 + 11 * r)).map { UInt8(truncatingIfNeeded: 37 * $0 + r) } }
        let results = LocalRanks(size: ranks).run { rank in try rank.allGather(shares[rank.rank]) }
        for result in results { #expect(try result.get() == shares) }
    }

    @Test func messagesCarryValuesBitForBit() {
        let floats: [Float] = [0, -0, 1.5, .nan, -.infinity, .leastNonzeroMagnitude, 3.1415927]
        let doubles: [Double] = [-0.0, .nan, 1e-300, 0.1]
        let graphs = SampleResult(layout: GraphLayout(nodeCounts: [2, 1]), positions: (0 ..< 9).map { Float($0) * 0.3 - 1 },
                                  features: [0.25, -0.5, 7])
        var message = RankMessage()
        message.append(floats)
        message.append(doubles)
        message.append([3, -4, 0])
        graphs.write(to: &message)
        var received = RankMessage(bytes: message.bytes)
        #expect(received.readFloats().map(\.bitPattern) == floats.map(\.bitPattern))
        #expect(received.readDoubles().map(\.bitPattern) == doubles.map(\.bitPattern))
        #expect(received.readInts() == [3, -4, 0])
        let back = SampleResult(reading: &received)
        #expect(back.layout == graphs.layout && back.positions == graphs.positions && back.features == graphs.features)
        #expect(received.isAtEnd)
    }
}
