import Foundation

/// The classification loss on logits y `[B, K]` and labels c `[B]`:
///
///     log p_{b,k} = y_{b,k} − log Σ_j exp(y_{b,j})        (max subtracted first)
///     L = −(1/B) Σ_b log p_{b,c_b}
///     ∂L/∂y_{b,k} = (p_{b,k} − [k = c_b]) / B
///
/// In Double: B × K is small and the log-sum-exp wants the precision.
public enum SoftmaxCrossEntropy {
    /// log p `[B, K]` of logits `[B, K]`.
    public static func logProbabilities(_ logits: [Float], classes: Int) -> [Double] {
        precondition(classes > 0 && logits.count % classes == 0, "logits: \(logits.count) values for rows of \(classes)")
        var result = [Double](repeating: 0, count: logits.count)
        for b in 0 ..< logits.count / classes {
            let row = (b * classes) ..< ((b + 1) * classes)
            let top = Double(logits[row].max() ?? 0)
            let logSum = top + Foundation.log(row.reduce(0.0) { $0 + Foundation.exp(Double(logits[$1]) - top) })
            for k in row { result[k] = Double(logits[k]) - logSum }
        }
        return result
    }

    /// L and ∂L/∂y `[B, K]` for logits `[B, K]` and labels in 0 ..< K.
    public static func lossAndGradient(logits: [Float], labels: [Int], classes: Int) -> (loss: Double, gradient: [Float]) {
        precondition(logits.count == labels.count * classes, "logits: \(logits.count) values for \(labels.count) labels × \(classes)")
        precondition(labels.allSatisfy { (0 ..< classes).contains($0) }, "labels outside 0 ..< \(classes): \(labels)")
        let logP = logProbabilities(logits, classes: classes), count = Double(labels.count)
        var loss = 0.0
        var gradient = [Float](repeating: 0, count: logits.count)
        for (b, label) in labels.enumerated() {
            loss -= logP[b * classes + label]
            for k in 0 ..< classes {
                gradient[b * classes + k] = Float((Foundation.exp(logP[b * classes + k]) - (k == label ? 1 : 0)) / count)
            }
        }
        return (loss / count, gradient)
    }
}
