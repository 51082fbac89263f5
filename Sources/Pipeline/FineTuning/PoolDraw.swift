import Diffusion

/// A fine-tuning pool drawn in chunks over the ranks of a job. Chunk c holds graphs
/// c·chunkSize ..< (c + 1)·chunkSize of the pool and draws them as one batch with its own
/// generator, seeded by the pool's seed and c, so graph i is the same molecule whatever the
/// number of ranks. Each rank draws a contiguous share of the chunks (`Communicator.part(of:)`)
/// and the shares are gathered in rank order, so every rank holds the whole pool: on any number
/// of ranks, the pool one process draws, bit for bit. The chunks split the pool evenly over N
/// ranks when the pool is a multiple of N × chunkSize (`--pool-batch`).
struct PoolDraw {
    let communicator: any Communicator
    /// Graphs denoised together (`--pool-batch`), fixed whatever the number of ranks.
    let chunkSize: Int

    init(communicator: any Communicator, chunkSize: Int) {
        precondition(chunkSize >= 1, "chunk size \(chunkSize)")
        self.communicator = communicator
        self.chunkSize = chunkSize
    }

    /// The pool of `count` graphs with `seed`; `chunk(n, &generator)` draws n graphs as one batch.
    func draw(count: Int, seed: UInt64,
              chunk: (_ count: Int, _ generator: inout Xoshiro256StarStar) throws -> [SampleResult]) throws -> [SampleResult] {
        let chunks = (count + chunkSize - 1) / chunkSize
        var mine: [SampleResult] = []
        for c in communicator.part(of: chunks) {
            var generator = Self.generator(seed: seed, chunk: c)
            mine += try chunk(min(chunkSize, count - c * chunkSize), &generator)
        }
        guard communicator.size > 1 else { return mine }
        var message = RankMessage()
        message.append(mine.count)
        for result in mine { result.write(to: &message) }
        return try communicator.allGather(message.bytes).flatMap { bytes -> [SampleResult] in
            var received = RankMessage(bytes: bytes)
            guard !bytes.isEmpty else { return [] }
            return (0 ..< received.readInt()).map { _ in SampleResult(reading: &received) }
        }
    }

    /// Chunk c's generator: the pool's seed mixed with c (Xoshiro's seeding spreads it by SplitMix64).
    static func generator(seed: UInt64, chunk: Int) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: seed ^ (UInt64(chunk) &+ 1) &* 0xD1B5_4A32_D192_ED03)
    }
}
