import Foundation
import Testing

/// Scratch directories that live as long as one test: a test (or a suite, for every test in
/// it) carrying the `.temporaryDirectories` trait gets a private folder, and everything
/// `TemporaryDirectory.create` makes goes inside it and is removed when the test ends,
/// whether it passes, fails or throws.
///
///     @Suite(.temporaryDirectories) struct ExportTests {
///         @Test func writesAFile() throws {
///             let dir = try TemporaryDirectory.create("export")
///             …
///         }
///     }
public enum TemporaryDirectory {
    @TaskLocal static var root: URL?

    /// A new empty directory inside the running test's scratch folder. Throws when the test
    /// does not carry the `.temporaryDirectories` trait, so nothing is left behind.
    public static func create(_ label: String = "dir") throws -> URL {
        guard let root else { throw MissingTrait() }
        let url = root.appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct MissingTrait: Error, CustomStringConvertible {
        var description: String { "TemporaryDirectory.create needs the .temporaryDirectories trait on the test or its suite" }
    }
}

/// Gives each test, and each case of a parameterised test, its own scratch folder under the
/// system's temporary directory and removes it afterwards (see `TemporaryDirectory`).
public struct TemporaryDirectoriesTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("rgdm-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try await TemporaryDirectory.$root.withValue(root) { try await function() }
    }
}

extension Trait where Self == TemporaryDirectoriesTrait {
    /// Each test gets a scratch folder, removed when it ends (see `TemporaryDirectory`).
    public static var temporaryDirectories: Self { Self() }
}
