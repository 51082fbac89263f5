import Foundation

extension RandomNumberGenerator {
    /// A uniform double in [0, 1) from the top 53 bits of one draw.
    @inlinable
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// One standard normal draw (Box–Muller, Box & Muller 1958; the cosine
    /// branch only, so no spare value hides in the generator's state).
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1 - nextUnitInterval()   // (0, 1]
        let u2 = nextUnitInterval()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Fills `buffer` with independent standard normal draws, two per pair of
    /// uniforms (Box–Muller, both branches). Deterministic given the state.
    public mutating func fillStandardNormal(_ buffer: inout [Float]) {
        var i = 0
        let n = buffer.count
        while i < n {
            let u1 = 1 - nextUnitInterval()
            let u2 = nextUnitInterval()
            let r = (-2 * Foundation.log(u1)).squareRoot()
            let angle = 2 * Double.pi * u2
            buffer[i] = Float(r * Foundation.cos(angle))
            if i + 1 < n { buffer[i + 1] = Float(r * Foundation.sin(angle)) }
            i += 2
        }
    }
}
