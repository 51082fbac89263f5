/// Which reward fine-tuning `rgdm finetune` runs.
public enum FineTuneMethod: String, Codable, Sendable, CaseIterable {
    /// RGDM over whole samples: rounds of pools weighted by the pay-off distribution (`SampleLevelRGDM`).
    case rgdm
    /// RGDM over reverse steps: explorations around the model's proposals on data (`StepLevelRGDM`).
    case rgdmStep = "rgdm-step"
    /// RAFT (Dong et al. 2023): rounds that fine-tune on the best fraction of each pool.
    case raft
    /// DDPO (Black et al. 2023): policy gradients with PPO's clipping on the reverse chain.
    case ddpo
    /// Best-of-N: rounds of pools from the base model, never trained; the budget's yardstick.
    case bestOfN = "best-of-n"
}
