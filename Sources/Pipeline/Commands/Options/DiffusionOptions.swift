import ArgumentParser
import Diffusion

/// The forward process a new model is trained on.
struct DiffusionOptions: ParsableArguments {
    @Option(help: "Noise schedule.") var schedule: ScheduleKind = .polynomial2
    @Option(help: "Diffusion steps T.") var timesteps = 1000
    @Option(help: "Precision s of the polynomial schedule.") var precision = 1e-5

    func validate() throws {
        if timesteps < 2 { throw ValidationError("--timesteps must be at least 2") }
    }
}
