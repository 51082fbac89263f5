import Diffusion
import Testing
@testable import Pipeline

@Suite struct CommandParsingTests {
    @Test func rejectsZeroThreads() {
        expectParseError(GlobalOptions.self, ["--threads", "0"], "--threads must be at least 1 (got 0)")
    }

    @Test func acceptsSeedAndThreads() throws {
        let options = try GlobalOptions.parse(["--seed", "7", "--threads", "2"])
        #expect(options.seed == 7)
        #expect(options.workerCount == 2)
    }

    @Test func parsesThePoolingOfTraining() throws {
        #expect(try TrainCommand.parse(["set.h5"]).network.egnn.pooling == nil, "no --pooling: the dataset's domain decides")
        #expect(try TrainCommand.parse(["set.h5", "--pooling", "mean"]).network.egnn.pooling == .mean)
        #expect(try TrainCommand.parse(["set.h5", "--pooling", "none"]).network.egnn.pooling == GlobalPooling.none)
        expectParseError(TrainCommand.self, ["set.h5", "--pooling", "max"], "The value 'max' is invalid for '--pooling <pooling>'")
        #expect(ModelDomain.shapes.defaultGlobalPooling == .mean)
        #expect(ModelDomain.molecules.defaultGlobalPooling == GlobalPooling.none)
    }

    @Test func formatsDurations() {
        #expect(ProgressLine.format(seconds: 12) == "12s")
        #expect(ProgressLine.format(seconds: 187) == "3m07s")
        #expect(ProgressLine.format(seconds: 3720) == "1h02m")
    }
}
