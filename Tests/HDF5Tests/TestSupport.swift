import Foundation
import Testing
import TestSupport

/// Paths of committed fixtures and scratch files for the HDF5 tests.
enum Fixture {
    /// Absolute path of `Fixtures/<relative>`.
    static func path(_ relative: String) -> String {
        let base = Bundle.module.resourceURL ?? Bundle.module.bundleURL
        return base.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// A new directory for this test, removed when it ends (the suite carries `.temporaryDirectories`).
    static func scratchDirectory() throws -> String {
        try TemporaryDirectory.create("hdf5").path
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

/// A `python3` that can import h5py (for checks that rgdm's files read back in h5py), or nil.
/// `RGDM_H5PY_PYTHON` names one explicitly.
let h5pyPython: String? = {
    var candidates = ["python3", "/usr/bin/python3"]  // Debian's python3-h5py (scripts/setup.sh) lives beside the system Python
    if let explicit = ProcessInfo.processInfo.environment["RGDM_H5PY_PYTHON"] { candidates.insert(explicit, at: 0) }
    for candidate in candidates {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [candidate, "-c", "import h5py, numpy"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { continue }
        process.waitUntilExit()
        if process.terminationStatus == 0 { return candidate }
    }
    return nil
}()

/// Runs `python` with `arguments` and returns its stdout.
func runPython(_ python: String, _ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}
