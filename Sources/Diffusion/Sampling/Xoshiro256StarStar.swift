/// A small, fast, seedable generator whose whole state is four words that can
/// be saved in a checkpoint and restored, so that a resumed run draws exactly
/// the numbers an uninterrupted run would have drawn.
///
/// xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number
/// generators", ACM TOMS 2021); the seed is expanded with splitmix64 as the
/// authors recommend.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable, Hashable, Codable {
    private var s0, s1, s2, s3: UInt64

    /// Expands a 64-bit seed into a full state with splitmix64.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// Restores a state saved from `state`; the all-zero state is rejected
    /// (the generator would emit zeros forever).
    public init(state: [UInt64]) throws {
        guard state.count == 4 else {
            throw DiffusionError.invalidGeneratorState("xoshiro256** needs 4 state words, got \(state.count)")
        }
        guard state.contains(where: { $0 != 0 }) else {
            throw DiffusionError.invalidGeneratorState("xoshiro256** state is all zero")
        }
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3]
    }

    /// The four state words: `[4]`.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension Xoshiro256StarStar {
    /// Encoded as four hexadecimal strings: JSON numbers lose 64-bit integers
    /// in many readers.
    public init(from decoder: Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var words: [UInt64] = []
        while !container.isAtEnd {
            let text = try container.decode(String.self)
            guard let word = UInt64(text, radix: 16) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not a hexadecimal word")
            }
            words.append(word)
        }
        do {
            try self.init(state: words)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.unkeyedContainer()
        for word in state { try container.encode(String(word, radix: 16)) }
    }
}
