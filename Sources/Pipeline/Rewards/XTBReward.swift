import Chem
import Foundation

/// A GFN2-xTB property of the generated geometry (`XTBCalculator` runs xtb). Molecules EDM's
/// sanitisation rejects are not run; a geometry xtb refuses (atoms on top of each other) is
/// that molecule's failure. Geometry-dependent: never cached by SMILES.
public struct XTBReward: MoleculeReward {
    public let property: XTBProperty
    let calculator: XTBCalculator

    /// A reward with a calculator of its own. Throws `PipelineError.invalidReward` when
    /// `executable` cannot be found.
    public init(property: XTBProperty, executable: String = "xtb", timeout: Double = 60, runs: Int = 2) throws {
        self.init(property: property, calculator: try XTBCalculator(executable: executable, timeout: timeout, runs: runs,
                                                                    gradient: property == .gradient, term: property.termName))
    }

    /// A reward sharing `calculator` (and its runs) with the reward's other xTB terms.
    init(property: XTBProperty, calculator: XTBCalculator) {
        self.property = property
        self.calculator = calculator
    }

    public var name: String { property.termName }
    public var dependsOnGraphOnly: Bool { false }

    public func score(_ molecules: [Molecule]) -> [RewardOutcome] {
        var outcomes = [RewardOutcome?](repeating: nil, count: molecules.count)
        var valid: [Int] = []
        for (i, molecule) in molecules.enumerated() {
            if case let .failure(failure) = ValidMolecule.fragment(of: molecule) { outcomes[i] = .failure(failure) } else { valid.append(i) }
        }
        for (i, result) in zip(valid, calculator.results(valid.map { molecules[$0] })) {
            outcomes[i] = result.flatMap { $0.outcome(property) }
        }
        return outcomes.map { $0 ?? .failure(.failed("xtb: not scored")) }
    }
}
