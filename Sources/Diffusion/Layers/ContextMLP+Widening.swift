extension ContextMLP {
    /// `source`'s weights (`sourceParameters[sourceOffset...]`) in this network, whose layers
    /// are the same but whose context is wider (C ≥ C_src): per layer, W and b as they are,
    /// and in W_g `[C, d_out]` and W_b `[C, d_out]` the source's C_src rows first and zero rows
    /// for the added context channels (b_g as it is). The added channels are read by nothing at
    /// first, so the result computes exactly what the source does; the gradient reaches their
    /// rows, so they learn. The source must have a context already (C_src > 0, as the latent
    /// prior's time embedding): a gate σ(b_g) cannot be made 1 exactly. Writes `parameterCount` values at `parameters[offset...]`.
    public func widen(from source: ContextMLP, parameters sourceParameters: [Float], at sourceOffset: Int,
                      into parameters: inout [Float], at offset: Int) {
        precondition(source.widths == widths && source.activatesLast == activatesLast && source.contextWidth <= contextWidth
                     && (source.contextWidth > 0 || contextWidth == 0),
                     "widening \(source.widths) (context \(source.contextWidth)) into \(widths) (context \(contextWidth))")
        let c = contextWidth, cSource = source.contextWidth
        for l in 0 ..< layerCount {
            let dIn = widths[l], dOut = widths[l + 1]
            var from = sourceOffset + source.offsets[l], to = offset + offsets[l]
            // W [d_in, d_out], b [d_out]
            for k in 0 ..< dIn * dOut + dOut { parameters[to + k] = sourceParameters[from + k] }
            from += dIn * dOut + dOut
            to += dIn * dOut + dOut
            guard c > 0 else { continue }
            // W_g [C, d_out], b_g [d_out], W_b [C, d_out]: the source's rows, then zeros.
            for isMatrix in [true, false, true] {
                let sourceCount = isMatrix ? cSource * dOut : dOut
                let count = isMatrix ? c * dOut : dOut
                for k in 0 ..< count { parameters[to + k] = k < sourceCount ? sourceParameters[from + k] : 0 }
                from += sourceCount
                to += count
            }
        }
    }
}
