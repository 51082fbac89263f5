import Dispatch
import Testing
@testable import Diffusion

/// The benchmark's product profile is fed by every worker thread at once.
@Suite struct GEMMProfileTests {
    @Test func countsEveryRecordFromConcurrentThreads() {
        let profile = GEMMProfile()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for k in 0 ..< 2_000 { profile.record(flops: worker + 1, nanoseconds: UInt64(k % 3)) }
        }
        #expect(profile.calls == 8_000)
        #expect(profile.flops == 2_000 * (1 + 2 + 3 + 4))
        #expect(profile.seconds == Double(4 * (667 + 666 * 2)) * 1e-9)
    }

    @Test func ratePerThreadIsWorkOverThreadSeconds() {
        let profile = GEMMProfile()
        profile.record(flops: 3_000_000_000, nanoseconds: 1_000_000_000)
        profile.record(flops: 1_000_000_000, nanoseconds: 1_000_000_000)
        #expect(abs(profile.gigaflopsPerSecond - 2) < 1e-12)
    }
}
