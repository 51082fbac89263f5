import Diffusion
import Foundation
import Testing
import TestSupport
@testable import Pipeline

/// Inputs the fuzzers (scripts/fuzz.sh) found crashing a reader, kept in Fixtures/fuzz: each must
/// now end in a typed error.
@Suite struct FuzzRegressionTests {
    /// A model card whose EGNN has -30 layers: decoding took it, and building the model trapped
    /// in the parameter layout ("Range requires lowerBound <= upperBound").
    @Test func aModelCardWithAnImpossibleNetworkIsUnreadable() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/fuzz/model-card-negative-layers", withExtension: "json"))
        let json = try Data(contentsOf: url)
        #expect { try JSONDecoder().decode(ModelCard.self, from: json) } throws: { error in
            String(describing: error).contains("layers -30 is outside 1…\(EGNNConfiguration.maximumLayers)")
        }
    }
}
