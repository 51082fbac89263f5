import Diffusion
import Foundation
import HDF5
import PointCloud

/// `rgdm preprocess shapes`: shape files and/or procedural shapes → sampled, normalised clouds of
/// one size → one HDF5 file in the ShapeNet layout (`/<category>/{train,val,test}` [B, N, 3]),
/// with a seeded split per category. Work is spread over the workers; a file that cannot be
/// read is rejected with its reason and the job goes on.
struct ShapePreprocessJob {
    enum Source: Sendable {
        case file(ShapeInput)
        case procedural(ProceduralCategory, index: Int)

        var category: String {
            switch self {
            case let .file(input): return ShapeInputs.groupName(input.category)
            case let .procedural(category, _): return category.rawValue
            }
        }

        var name: String {
            switch self {
            case let .file(input): return input.path
            case let .procedural(category, index): return "procedural \(category.rawValue) #\(index)"
            }
        }
    }

    struct Summary {
        var shapes: [String: [String: Int]] = [:]   // category → split → count
        var rejected: [(String, String)] = []       // (source, reason)
        var total: Int { shapes.values.flatMap(\.values).reduce(0, +) }
    }

    var sources: [Source]
    var points: Int
    var normalization: PointCloudNormalization
    var subsampling: CloudSubsampling
    var splitFractions: [Double]   // train, val, test
    var seed: UInt64
    var output: String
    var rejectsPath: String

    /// Each shape draws from its own generator, seeded by (seed, index): results do not depend
    /// on the number of workers.
    static func generator(seed: UInt64, index: Int) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &+ 1)
    }

    /// One source → a flat [N*3] cloud or the reason it was rejected.
    func process(_ source: Source, index: Int) -> Result<[Float], PointCloudError> {
        var generator = Self.generator(seed: seed, index: index)
        do {
            let shape: Shape
            switch source {
            case let .file(input): shape = try ShapeFile.read(input.path)
            case let .procedural(category, _): shape = .mesh(category.mesh(using: &generator))
            }
            let cloud = try shape.pointCloud(count: points, subsampling: subsampling, file: source.name, using: &generator)
            let normalized = cloud.normalized(normalization)
            try normalized.checkFinite(file: source.name)
            return .success(normalized.flatPositions)
        } catch let error as PointCloudError {
            return .failure(error)
        } catch {
            return .failure(.io(file: source.name, reason: "\(error)"))
        }
    }

    /// Processes every source on `workers` threads, splits and writes the set and the rejects.
    /// `progress` hears of each source processed (from the worker threads) and finishes before the writing.
    func run(workers: Int, progress: @Sendable (JobProgress) -> Void = { _ in }) throws -> Summary {
        let results = ResultSlots(count: sources.count)
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, sources.count))) { _ in
            while true {
                let index = next.take()
                guard index < sources.count else { break }
                let result = process(sources[index], index: index)
                let failures = results.set(index, result)
                progress(.advanced(rejected: failures))
            }
        }
        progress(.finished(rejected: results.failures))

        // Group by category in source order, then a seeded split per category.
        var summary = Summary()
        var byCategory: [String: [[Float]]] = [:]
        for (index, source) in sources.enumerated() {
            switch results.get(index) {
            case let .success(cloud)?: byCategory[source.category, default: []].append(cloud)
            case let .failure(error)?: summary.rejected.append((source.name, error.description))
            case nil: summary.rejected.append((source.name, "not processed"))
            }
        }
        var groups: [ShapeNetLayout.Group] = []
        for category in byCategory.keys.sorted() {
            let clouds = byCategory[category] ?? []
            var generator = Xoshiro256StarStar(seed: seed ^ UInt64(truncatingIfNeeded: category.hashValueStable))
            let order = Array(0 ..< clouds.count).shuffled(using: &generator)
            let counts = Self.splitCounts(clouds.count, fractions: splitFractions)
            var start = 0
            for (split, count) in zip(ShapeNetLayout.splits, counts) {
                let chosen = order[start ..< start + count].sorted()
                start += count
                summary.shapes[category, default: [:]][split] = count
                guard count > 0 else { continue }
                groups.append(.init(category: category, split: split, clouds: chosen.map { PointCloud(flatPositions: clouds[$0]) }))
            }
        }
        guard !groups.isEmpty else {
            try writeRejects(summary.rejected)
            throw PipelineError.invalidDataset(path: output, reason: "no shape could be processed (\(summary.rejected.count) rejected; see \(rejectsPath))")
        }
        let synthetic = sources.contains { if case .procedural = $0 { return true }; return false }
        typealias Attribute = ShapeNetLayout.Attribute
        var attributes: [String: HDF5AttributeValue] = [
            Attribute.format: .string(ShapeNetLayout.format),
            Attribute.layout: .string(ShapeNetLayout.layoutSummary),
            Attribute.generator: .string("rgdm \(RGDMVersion.string) preprocess shapes"),
            Attribute.points: .int(points),
            Attribute.normalization: .string(normalization.rawValue),
            Attribute.seed: .int(Int(truncatingIfNeeded: seed)),
            Attribute.splitFractions: .doubles(splitFractions),
            Attribute.categories: .strings(byCategory.keys.sorted()),
            Attribute.rejected: .int(summary.rejected.count),
        ]
        if synthetic {
            attributes[Attribute.synthetic] = .string("procedural shapes: meshes built from primitives with random proportions "
                + "(Sources/PointCloud/Meshes/ProceduralShapes.swift), not scanned or modelled objects")
        }
        try ShapeNetLayout.write(groups, pointCount: points, to: output, attributes: attributes)
        try writeRejects(summary.rejected)
        return summary
    }

    /// Sizes of the splits: rounded fractions, the remainder to train.
    static func splitCounts(_ total: Int, fractions: [Double]) -> [Int] {
        let sum = fractions.reduce(0, +)
        var counts = fractions.map { Int((Double(total) * $0 / sum).rounded(.down)) }
        counts[0] += total - counts.reduce(0, +)
        return counts
    }

    private func writeRejects(_ rejected: [(String, String)]) throws {
        var text = "source\treason\n"
        for (source, reason) in rejected {
            text += source.replacingOccurrences(of: "\t", with: " ") + "\t" + reason.replacingOccurrences(of: "\n", with: " ") + "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: rejectsPath), options: .atomic)
    }
}

extension String {
    /// A hash that is the same in every run (Swift's `hashValue` is randomly seeded per process).
    var hashValueStable: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325   // FNV-1a
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}

/// Per-index results written by worker threads.
final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<[Float], PointCloudError>?]
    private var failureCount = 0
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    /// The failures stored so far (read under the lock: workers write it concurrently).
    var failures: Int { lock.lock(); defer { lock.unlock() }; return failureCount }
    /// Stores a result; returns the failures stored so far, this one included.
    @discardableResult
    func set(_ index: Int, _ result: Result<[Float], PointCloudError>) -> Int {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
        if case .failure = result { failureCount += 1 }
        return failureCount
    }
    func get(_ index: Int) -> Result<[Float], PointCloudError>? { lock.lock(); defer { lock.unlock() }; return slots[index] }
}

/// Hands out work indices to worker threads.
final class WorkCounter: @unchecked Sendable {
    private var next = 0
    private let lock = NSLock()
    func take() -> Int { lock.lock(); defer { lock.unlock() }; next += 1; return next - 1 }
}
