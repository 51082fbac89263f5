/// EDM's EGNN denoiser ε_θ(z_t, t[, c]) (Hoogeboom et al. 2022, with the EGNN of
/// Satorras et al. 2021 as in EDM's egnn_new.py) with explicit forward and
/// backward passes on the CPU.
///
///     let egnn = EGNN(EGNNConfiguration(featureWidth: 6, layers: 9, hidden: 256), threads: 2)
///     var theta = egnn.initialParameters(using: &generator)
///     var grad = [Float](repeating: 0, count: egnn.parameterCount)
///     let loss = egnn.lossAndGradient(batch, parameters: theta, gradient: &grad) { eps in … }
///
/// The batch is cut into chunks of whole graphs, balanced by edge count and
/// small enough that a chunk's `[E, H]` activations stay near one core's
/// cache (`chunkFloats`; a whole batch of QM9 at hidden 64 is 5 MB per
/// buffer, past a 2 MB L2). Each chunk owns an `EGNNWorkspace`; `threads`
/// workers take contiguous runs of chunks, run OpenBLAS on one thread each
/// and accumulate their chunks' gradients in a buffer of their own, summed at
/// the end: results with several threads equal those with one up to Float
/// summation order.
public final class EGNN: InPlaceDenoiser {
    public let configuration: EGNNConfiguration
    let layout: EGNNParameterLayout
    /// Number of workers (at most one per chunk).
    public let threadCount: Int
    /// Floats of one `[E, H]` activation buffer per chunk at most (a chunk holds
    /// at least one graph, and the chunk count is a multiple of `threadCount`).
    public let chunkFloats: Int
    /// One per chunk of the current batch.
    private var workspaces: [EGNNWorkspace] = []
    /// ∂L/∂θ of each worker's chunks: `[P]` each.
    private var workerGradients: [ScratchBuffer<Float>] = []
    /// ε̂ and ∂L/∂ε̂ of the last training call: `[N, 3]` and `[N, F]` each.
    private var outputBuffer = DenoiserOutput(positions: [], features: [])
    private var outputGradientBuffer = DenoiserOutput(positions: [], features: [])

    /// 2¹⁹ floats: 2 MB per `[E, H]` buffer, this machine's L2 per core, and
    /// the fastest chunk size for configs S and M (the Diffusion README's
    /// cache-blocking table, `rgdm bench train --chunk-floats`).
    public static let defaultChunkFloats = 1 << 19

    public init(_ configuration: EGNNConfiguration, threads: Int = 1, chunkFloats: Int = EGNN.defaultChunkFloats) {
        precondition(threads >= 1, "threads must be at least 1 (got \(threads))")
        precondition(chunkFloats >= 1, "chunkFloats must be at least 1 (got \(chunkFloats))")
        self.configuration = configuration
        self.layout = EGNNParameterLayout(configuration)
        self.threadCount = threads
        self.chunkFloats = chunkFloats
    }

    public var featureWidth: Int { configuration.featureWidth }
    public var conditionWidth: Int { configuration.conditionWidth }
    public var parameterCount: Int { layout.count }
    public var symmetry: Symmetry { configuration.symmetry }

    /// Bytes of scratch and cached activations currently held.
    public var workspaceBytes: Int {
        workspaces.reduce(0) { $0 + $1.byteCount } + workerGradients.reduce(0) { $0 + $1.byteCount }
    }

    public func initialParameters<G: RandomNumberGenerator>(using generator: inout G) -> [Float] {
        var p: [Float] = []
        layout.initialise(&p, configuration, using: &generator)
        return p
    }

    public func predict(_ input: DenoiserInput, parameters: [Float], into output: inout DenoiserOutput) {
        output.positions.resizeKeepingCapacity(to: input.layout.nodeCount * 3)
        output.features.resizeKeepingCapacity(to: input.layout.nodeCount * featureWidth)
        if input.layout.nodeCount == 0 { return }
        let chunks = prepare(input, parameters: parameters, keepsActivations: false)
        forward(input, chunks, parameters, &output)
    }

    public func lossAndGradient(
        _ input: DenoiserInput, parameters: [Float], gradient: inout [Float],
        loss: (_ prediction: DenoiserOutput, _ lossGradient: inout DenoiserOutput) -> Double
    ) -> Double {
        var none = DenoiserOutput(positions: [], features: [])
        return run(input, parameters: parameters, gradient: &gradient, inputGradient: &none, wantsInputGradient: false,
                   loss: loss)
    }

    /// As `lossAndGradient(_:parameters:gradient:loss:)`, and also returns ∂L/∂z
    /// (positions `[N, 3]` and features `[N, F]`; time and condition excluded)
    /// in `inputGradient` — for reward guidance and for tests.
    public func lossAndGradient(
        _ input: DenoiserInput, parameters: [Float], gradient: inout [Float], inputGradient: inout DenoiserOutput,
        loss: (DenoiserOutput) -> (value: Double, gradient: DenoiserOutput)
    ) -> Double {
        run(input, parameters: parameters, gradient: &gradient, inputGradient: &inputGradient, wantsInputGradient: true) {
            prediction, lossGradient in
            let result = loss(prediction)
            lossGradient = result.gradient
            return result.value
        }
    }

    /// Forward, loss, backward. ε̂ and ∂L/∂ε̂ live in buffers this object
    /// keeps between calls (swapped out for the call), so a training loop
    /// allocates nothing here.
    private func run(
        _ input: DenoiserInput, parameters: [Float], gradient: inout [Float], inputGradient dInput: inout DenoiserOutput,
        wantsInputGradient: Bool, loss: (DenoiserOutput, inout DenoiserOutput) -> Double
    ) -> Double {
        precondition(gradient.count == parameterCount, "gradient: \(gradient.count) values for \(parameterCount) parameters")
        let n = input.layout.nodeCount, f = featureWidth
        var output = DenoiserOutput(positions: [], features: []), dOutput = output
        swap(&output, &outputBuffer)
        swap(&dOutput, &outputGradientBuffer)
        defer {
            swap(&output, &outputBuffer)
            swap(&dOutput, &outputGradientBuffer)
        }
        output.positions.resizeKeepingCapacity(to: n * 3)
        output.features.resizeKeepingCapacity(to: n * f)
        if wantsInputGradient {
            dInput.positions.resizeKeepingCapacity(to: n * 3)
            dInput.features.resizeKeepingCapacity(to: n * f)
        }
        if n == 0 { return loss(output, &dOutput) }
        let chunks = prepare(input, parameters: parameters, keepsActivations: true)
        forward(input, chunks, parameters, &output)
        let value = loss(output, &dOutput)
        while workerGradients.count < workerCount(chunks.count) { workerGradients.append(ScratchBuffer<Float>()) }
        for worker in 0 ..< workerCount(chunks.count) {
            workerGradients[worker].reserve(parameterCount)
            workerGradients[worker].pointer.zero(parameterCount)
        }
        precondition(dOutput.positions.count == n * 3 && dOutput.features.count == n * f,
                     "loss gradient: \(dOutput.positions.count) position and \(dOutput.features.count) feature values for \(n) nodes")
        let offsets = input.layout.nodeOffsets, p = parameterCount
        parameters.withMatrix(rows: 1, columns: p) { theta in
            dOutput.positions.withMatrix(rows: n, columns: 3) { gx in
                dOutput.features.withMatrix(rows: n, columns: f) { gh in
                    dInput.positions.withMutableMatrix(rows: wantsInputGradient ? n : 0, columns: 3) { ix in
                        dInput.features.withMutableMatrix(rows: wantsInputGradient ? n : 0, columns: f) { ih in
                            let views = WorkerViews(parameters: theta, reads: (gx, gh), writes: (ix, ih))
                            let gradients = workerGradients
                            runWorkers(chunks.count) { worker, c in
                                let w = self.workspaces[c], nodes = offsets[chunks[c].lowerBound] ..< offsets[chunks[c].upperBound]
                                let inputs = !wantsInputGradient ? nil
                                    : (views.writes.positions.rows(nodes), views.writes.features.rows(nodes))
                                w.backward(views.parameters, grad: gradients[worker].matrix(rows: 1, columns: p),
                                           dPositions: views.reads!.positions.rows(nodes),
                                           dFeatures: views.reads!.features.rows(nodes), inputGradient: inputs)
                            }
                        }
                    }
                }
            }
        }
        gradient.withUnsafeMutableBufferPointer { g in
            for worker in 0 ..< workerCount(chunks.count) {
                let source = workerGradients[worker].pointer
                for k in 0 ..< parameterCount { g[k] += source[k] }
            }
        }
        return value
    }

    // MARK: Workers

    /// Splits the batch, creates workspaces and loads each worker's graphs, for a
    /// forward and backward pass (`keepsActivations`) or a forward pass alone.
    private func prepare(_ input: DenoiserInput, parameters: [Float], keepsActivations: Bool) -> [Range<Int>] {
        precondition(parameters.count == parameterCount, "parameters: \(parameters.count) values for \(parameterCount)")
        precondition(input.features.count == input.layout.nodeCount * featureWidth,
                     "features: \(input.features.count) values for \(input.layout.nodeCount) nodes × \(featureWidth)")
        precondition(input.condition.count == input.layout.graphCount * conditionWidth,
                     "condition: \(input.condition.count) values for \(input.layout.graphCount) graphs × \(conditionWidth)")
        BLAS.useSingleThread()
        let cost = Self.cost(input.layout, connectivity: configuration.connectivity)
        // Chunks a multiple of the workers, so each takes the same number of about-equal chunks.
        let work = cost * configuration.hidden
        let needed = max(1, work / chunkFloats + (work % chunkFloats == 0 ? 0 : 1))
        let parts = threadCount * ((needed + threadCount - 1) / threadCount)
        let chunks = Self.split(input.layout, into: parts, connectivity: configuration.connectivity)
        while workspaces.count < chunks.count {
            workspaces.append(EGNNWorkspace(configuration: configuration, parameters: layout))
        }
        for w in workspaces.prefix(chunks.count) { w.keepsActivations = keepsActivations }
        runWorkers(chunks.count) { _, c in self.workspaces[c].load(input, graphs: chunks[c]) }
        return chunks
    }

    private func forward(_ input: DenoiserInput, _ chunks: [Range<Int>], _ parameters: [Float], _ output: inout DenoiserOutput) {
        let offsets = input.layout.nodeOffsets, n = input.layout.nodeCount
        parameters.withMatrix(rows: 1, columns: parameterCount) { theta in
            output.positions.withMutableMatrix(rows: n, columns: 3) { ox in
                output.features.withMutableMatrix(rows: n, columns: featureWidth) { oh in
                    let views = WorkerViews(parameters: theta, reads: nil, writes: (ox, oh))
                    runWorkers(chunks.count) { _, c in
                        let nodes = offsets[chunks[c].lowerBound] ..< offsets[chunks[c].upperBound]
                        self.workspaces[c].forward(views.parameters, positions: views.writes.positions.rows(nodes),
                                                   features: views.writes.features.rows(nodes))
                    }
                }
            }
        }
    }

    /// Workers for `chunks` chunks: at most one per chunk.
    private func workerCount(_ chunks: Int) -> Int { Workers.count(jobs: chunks, threads: threadCount) }

    /// Runs `body(worker, chunk)` for every chunk (`Workers.run`: contiguous runs per worker).
    private func runWorkers(_ count: Int, _ body: (_ worker: Int, _ chunk: Int) -> Void) {
        Workers.run(jobs: count, threads: threadCount, body)
    }

    /// Work of one graph for balancing: its edges plus 4 per node.
    static func cost(ofGraph n: Int, connectivity: Connectivity) -> Int {
        connectivity.edgeCount(nodes: n) + 4 * n
    }

    /// Work of a batch: the sum over its graphs.
    static func cost(_ layout: GraphLayout, connectivity: Connectivity) -> Int {
        connectivity.edgeCount(layout) + 4 * layout.nodeCount
    }

    /// Contiguous graph ranges of about equal cost (edges plus nodes), at most `parts`, none empty.
    static func split(_ layout: GraphLayout, into parts: Int, connectivity: Connectivity) -> [Range<Int>] {
        let g = layout.graphCount
        guard parts > 1, g > 1 else { return [0 ..< g] }
        func cost(_ graph: Int) -> Int {
            Self.cost(ofGraph: layout.nodeOffsets[graph + 1] - layout.nodeOffsets[graph], connectivity: connectivity)
        }
        let total = Self.cost(layout, connectivity: connectivity)
        let count = min(parts, g)
        var ranges: [Range<Int>] = [], start = 0, running = 0
        ranges.reserveCapacity(count)
        for index in 0 ..< g {
            running += cost(index)
            let target = total * (ranges.count + 1) / count
            let remainingGraphs = g - index - 1, remainingParts = count - ranges.count - 1
            if ranges.count < count - 1 && (running >= target || remainingGraphs == remainingParts) {
                ranges.append(start ..< index + 1)
                start = index + 1
            }
        }
        ranges.append(start ..< g)
        ranges.removeAll { $0.isEmpty }
        return ranges
    }
}

/// The views the workers share; each worker touches only its own rows.
private struct WorkerViews: @unchecked Sendable {
    /// θ: `[1, P]`.
    let parameters: MatrixView
    /// What the pass reads per node (∂L/∂ε̂ in backward): `[N, 3]` and `[N, F]`.
    let reads: (positions: MatrixView, features: MatrixView)?
    /// What it writes per node (ε̂ in forward, ∂L/∂z in backward): `[N, 3]` and `[N, F]`.
    let writes: (positions: MutableMatrixView, features: MutableMatrixView)
}
