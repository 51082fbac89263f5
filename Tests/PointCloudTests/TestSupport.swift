import Foundation
import Testing
import TestSupport

/// Paths of committed fixtures and scratch files for the PointCloud tests.
enum Fixture {
    /// Absolute path of `Fixtures/<relative>`.
    static func path(_ relative: String) -> String {
        let base = Bundle.module.resourceURL ?? Bundle.module.bundleURL
        return base.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// A new directory for this test, removed when it ends (the suite carries `.temporaryDirectories`).
    static func scratchDirectory() throws -> String {
        try TemporaryDirectory.create("point-cloud").path
    }

    /// The JSON object in `Fixtures/<relative>`.
    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

/// Numbers stored as decimal strings in a JSON fixture (parsed exactly, unlike JSON numbers
/// through Foundation).
func exactDoubles(_ value: Any?) -> [Double]? {
    guard let strings = value as? [String] else { return nil }
    let doubles = strings.compactMap(Double.init)
    return doubles.count == strings.count ? doubles : nil
}

/// A small seedable generator for tests (SplitMix64).
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The strings of a JSON fixture value parsed as one Double.
func exactDouble(_ value: Any?) -> Double? { (value as? String).flatMap(Double.init) }
