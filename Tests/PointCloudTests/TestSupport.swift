import Foundation
import Testing

/// Paths of committed fixtures and scratch files for the PointCloud tests.
enum Fixture {
    /// Absolute path of `Fixtures/<relative>`.
    static func path(_ relative: String) -> String {
        let base = Bundle.module.resourceURL ?? Bundle.module.bundleURL
        return base.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// A fresh scratch directory, unique per call.
    static func scratchDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "rgdm-pc-tests-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The JSON object in `Fixtures/<relative>`.
    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

/// Expects `actual` to match `expected` element-wise within `tolerance` (relative to max(1, |expected|)),
/// reporting the largest difference.
func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double, _ comment: Comment? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, comment, sourceLocation: sourceLocation)
    guard actual.count == expected.count else { return }
    var worst = 0.0, worstIndex = -1
    for index in actual.indices {
        let scale = max(1, abs(expected[index]))
        let error = abs(actual[index] - expected[index]) / scale
        if !(error <= worst) { worst = error; worstIndex = index }
    }
    #expect(worst <= tolerance, "largest scaled difference \(worst) at index \(worstIndex) \(comment.map { "\($0)" } ?? "")",
            sourceLocation: sourceLocation)
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
