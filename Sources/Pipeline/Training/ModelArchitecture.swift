/// Which network a model is.
public enum ModelArchitecture: String, Codable, Sendable, CaseIterable {
    /// EDM's EGNN denoiser on the whole graph (molecules, or shapes on k-NN graphs).
    case egnn
    /// Luo & Hu's latent point diffusion: PointNet encoder, pointwise decoder
    /// conditioned on a shape latent, and a diffusion prior over latents (shapes).
    case latentPoints = "latent-points"
}
