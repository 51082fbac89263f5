/// A diffusion model whose reverse chain is one denoiser's ancestral chain over part of θ: the
/// policy DDPO trains. A graph model's network covers the whole of θ; a latent prior's covers
/// only the prior's range (the encoder and decoder stay frozen, with a zero gradient).
public protocol AncestralPolicy: DiffusionModel {
    associatedtype Network: Denoiser
    /// ε̂ of the chain's steps; its parameters are θ[trainedRange].
    var network: Network { get }
    /// The chain's process (schedule, scaling) over the states the network denoises.
    var process: DiffusionProcess { get }
    /// Where the network's parameters sit in θ (`[parameterCount]`).
    var trainedRange: Range<Int> { get }
}

extension GraphDiffusionModel: AncestralPolicy {
    public var trainedRange: Range<Int> { 0 ..< parameterCount }
}

extension LatentPriorModel: AncestralPolicy {
    /// The prior ε_ψ on one-node graphs of latents.
    public var network: PointwiseDenoiser { base.prior }
    public var process: DiffusionProcess { base.latentProcess }
}
