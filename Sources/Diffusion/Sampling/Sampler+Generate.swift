extension Sampler {
    /// Draws graphs with the given node counts: z_T ~ N(0, I) (zero-CoM
    /// positions), then one `step` per entry of `timesteps`. A graph whose chain diverged
    /// (a non-finite value at the end) is drawn again, up to `maximumRedraws` times, with the
    /// same node count and condition; one that still diverges is returned as it is.
    ///
    /// - Parameters:
    ///   - condition: `[graphs, conditionWidth]`, empty when unconditional.
    ///   - trajectoryStride: keep z every this many steps (and z_T); nil keeps none.
    /// Same generator state, same samples.
    public func generate<D: Denoiser, G: RandomNumberGenerator>(
        denoiser: D, parameters: [Float], nodeCounts: [Int], condition: [Float] = [],
        trajectoryStride: Int? = nil, using generator: inout G
    ) -> SampleResult {
        redrawingDiverged(denoiser: denoiser, parameters: parameters, nodeCounts: nodeCounts, condition: condition,
                          trajectoryStride: trajectoryStride, using: &generator) { _, _, _, _, _ in }
    }

    /// As `generate(denoiser:parameters:nodeCounts:condition:trajectoryStride:using:)`, with
    /// `guidance` adding its term to ε̂ before every step (nil: none); throws what it throws.
    public func generate<D: Denoiser, G: RandomNumberGenerator>(
        denoiser: D, parameters: [Float], nodeCounts: [Int], condition: [Float] = [],
        guidance: (any SamplingGuidance)?, trajectoryStride: Int? = nil, using generator: inout G
    ) throws -> SampleResult {
        try redrawingDiverged(denoiser: denoiser, parameters: parameters, nodeCounts: nodeCounts, condition: condition,
                              trajectoryStride: trajectoryStride, using: &generator) { prediction, z, rows, t, layout in
            try guidance?.guide(&prediction, at: z, condition: rows, timestep: t, layout: layout, process: process)
        }
    }

    /// How often `generate` draws a diverged graph again.
    public static var maximumRedraws: Int { 3 }

    /// `chain`, then fresh chains for the graphs whose chain diverged.
    private func redrawingDiverged<D: Denoiser, G: RandomNumberGenerator>(
        denoiser: D, parameters: [Float], nodeCounts: [Int], condition: [Float], trajectoryStride: Int?,
        using generator: inout G,
        guide: (inout DenoiserOutput, GraphTensors, [Float], Int, GraphLayout) throws -> Void
    ) rethrows -> SampleResult {
        var result = try chain(denoiser: denoiser, parameters: parameters, nodeCounts: nodeCounts, condition: condition,
                               trajectoryStride: trajectoryStride, using: &generator, guide: guide)
        var diverged = result.divergedGraphs
        var redraws = 0
        while !diverged.isEmpty, redraws < Self.maximumRedraws {
            let width = denoiser.conditionWidth
            let counts = diverged.map { nodeCounts[$0] }
            let conditions = diverged.flatMap { condition[width * $0 ..< width * ($0 + 1)] }
            let redrawn = try chain(denoiser: denoiser, parameters: parameters, nodeCounts: counts, condition: conditions,
                                    trajectoryStride: nil, using: &generator, guide: guide)
            result.replace(graphs: diverged, with: redrawn)
            diverged = redrawn.divergedGraphs.map { diverged[$0] }
            redraws += 1
        }
        return result
    }

    /// The chain, with `guide` adjusting ε̂ before each step (given z_t, the condition rows, t
    /// and the layout).
    private func chain<D: Denoiser, G: RandomNumberGenerator>(
        denoiser: D, parameters: [Float], nodeCounts: [Int], condition: [Float], trajectoryStride: Int?,
        using generator: inout G,
        guide: (inout DenoiserOutput, GraphTensors, [Float], Int, GraphLayout) throws -> Void
    ) rethrows -> SampleResult {
        precondition(denoiser.featureWidth == process.featureWidth,
                     "denoiser feature width \(denoiser.featureWidth) ≠ process feature width \(process.featureWidth)")
        precondition(condition.count == nodeCounts.count * denoiser.conditionWidth,
                     "condition: \(condition.count) values for \(nodeCounts.count) graphs × \(denoiser.conditionWidth)")
        let layout = GraphLayout(nodeCounts: nodeCounts)
        var z = process.sampleNoise(layout: layout, using: &generator)
        var trajectory: [TrajectoryFrame] = []
        // Kept across steps, so the loop allocates nothing but trajectory frames.
        var time = [Float](repeating: 0, count: layout.graphCount)
        var prediction = DenoiserOutput(positions: [], features: [])
        var state = SamplerState()
        for (index, t) in timesteps.enumerated() {
            if let stride = trajectoryStride, stride > 0, index % stride == 0 {
                trajectory.append(TrajectoryFrame(timestep: t, state: z))
            }
            for g in time.indices { time[g] = Float(t) / Float(process.timesteps) }
            do {
                // The input shares z's storage; it ends here, before `step` writes z.
                let input = DenoiserInput(layout: layout, positions: z.positions, features: z.features,
                                          time: time, condition: condition)
                denoiser.predict(input, parameters: parameters, into: &prediction)
            }
            try guide(&prediction, z, condition, t, layout)
            step(&z, prediction: prediction, index: index, layout: layout, state: &state, using: &generator)
        }
        return SampleResult(layout: layout, positions: z.positions,
                            features: process.scaling.unscaled(z.features), trajectory: trajectory)
    }
}
