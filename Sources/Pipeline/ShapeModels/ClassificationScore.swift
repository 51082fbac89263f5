/// How well a classifier labels a held-out split: accuracy and the confusion matrix.
public struct ClassificationScore: Sendable, Codable, Equatable {
    public var split: String
    public var categories: [String]
    /// counts[t][p]: clouds of true class t predicted as p: `[K, K]`.
    public var confusion: [[Int]]

    /// The score of `predicted` against `truth` (class indices into `categories`).
    public init(split: String, categories: [String], truth: [Int], predicted: [Int]) {
        precondition(truth.count == predicted.count, "\(truth.count) labels, \(predicted.count) predictions")
        self.split = split
        self.categories = categories
        var counts = [[Int]](repeating: [Int](repeating: 0, count: categories.count), count: categories.count)
        for (t, p) in zip(truth, predicted) { counts[t][p] += 1 }
        confusion = counts
    }

    public var count: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Share of clouds on the diagonal.
    public var accuracy: Double {
        count == 0 ? .nan : Double(confusion.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(count)
    }
    /// Per class, the share of its clouds labelled as it (recall): `[K]`, NaN for a class without clouds.
    public var recall: [Double] {
        confusion.indices.map { t in
            let total = confusion[t].reduce(0, +)
            return total == 0 ? .nan : Double(confusion[t][t]) / Double(total)
        }
    }

    /// E.g. "test (200): accuracy 96.5 %".
    public var summary: String { "\(split) (\(count)): accuracy \(String(format: "%.1f", 100 * accuracy)) %" }
}

/// A shape model's scores: one kind per task.
public enum ShapeModelScores: Sendable, Codable, Equatable {
    case classification([ClassificationScore])
    case regression([RegressionScore])

    public var summaries: [String] {
        switch self {
        case let .classification(scores): scores.map(\.summary)
        case let .regression(scores): scores.map(\.summary)
        }
    }
}
