import Dispatch
import Testing
@testable import Diffusion

/// The benchmark's product profile: fed by every worker thread at once, inside its scope only.
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

    /// Products are counted inside `record` only; a two-worker prediction counts
    /// the floating-point work of a one-worker one.
    @Test func recordsOnlyInsideItsScope() {
        let configuration = EGNNConfiguration(featureWidth: 3, layers: 2, hidden: 8)
        let input = tinyBatch(nodeCounts: [4, 5, 6, 3], featureWidth: 3, seed: 1)
        let theta = testParameters(EGNN(configuration), seed: 2)
        func flops(threads: Int) -> (inside: Int, after: Int) {
            let egnn = EGNN(configuration, threads: threads, chunkFloats: 200)
            let profile = GEMMProfile()
            _ = egnn.predict(input, parameters: theta)
            #expect(profile.calls == 0)
            profile.record { _ = egnn.predict(input, parameters: theta) }
            let inside = profile.flops
            _ = egnn.predict(input, parameters: theta)
            return (inside, profile.flops)
        }
        let one = flops(threads: 1), two = flops(threads: 2)
        #expect(one.inside > 0 && one.after == one.inside)
        #expect(two.inside == one.inside && two.after == two.inside)
    }

    /// Workers run on threads of their own, where `record`'s binding is made again.
    @Test func workerThreadsRecordIntoTheCallersProfile() {
        let profile = GEMMProfile()
        let running = DispatchGroup()
        running.enter()
        running.enter()
        profile.record {
            Workers.run(jobs: 2, threads: 2) { _, _ in
                running.leave()
                _ = running.wait(timeout: .now() + 10)   // both jobs in flight at once: two threads
                let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
                var c = [Float](repeating: 0, count: 4)
                a.withMatrix(rows: 2, columns: 2) { a in
                    b.withMatrix(rows: 2, columns: 2) { b in c.withMutableMatrix(rows: 2, columns: 2) { $0.gemm(a, b, beta: 0) } }
                }
                #expect(c == [19, 22, 43, 50])
            }
        }
        #expect(profile.calls == 2 && profile.flops == 2 * 16)
    }

    @Test func ratePerThreadIsWorkOverThreadSeconds() {
        let profile = GEMMProfile()
        profile.record(flops: 3_000_000_000, nanoseconds: 1_000_000_000)
        profile.record(flops: 1_000_000_000, nanoseconds: 1_000_000_000)
        #expect(abs(profile.gigaflopsPerSecond - 2) < 1e-12)
    }
}
