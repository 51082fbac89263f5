/// What `--reward` asks for, parsed (`RewardSpecification(parsing:)`) and not yet built
/// (`makeReward(_:)`): a term, a target or window on a reward, or a weighted sum.
///
///     qed                                   a term by name (RewardTerm)
///     0.5*qed + 0.5*validity                weighted sum (weights before or after a term)
///     qed - 0.1*xtb-energy                  subtraction needs spaces around '-'
///     target(logp, 2.0)                     −|logP − 2|
///     mw-window(150, 350)                   window(mw, 150, 350)
///     window(xtb-gap, 0.2, 0.4)             1 inside, 1 − d/(upper − lower) outside
///     command                               --reward-command PROG --reward-arg …
///     class(airplane), chamfer(FILE), …     shape rewards (`ShapeRewardTerm`)
public indirect enum RewardSpecification: Hashable, Sendable, Codable, CustomStringConvertible {
    case term(RewardTerm)
    /// A reward on point clouds (`makeShapeReward`).
    case shape(ShapeRewardTerm)
    case target(RewardSpecification, value: Double)
    case window(RewardSpecification, lower: Double, upper: Double)
    case sum([WeightedTerm])

    /// One term of a weighted sum.
    public struct WeightedTerm: Hashable, Sendable, Codable {
        public var weight: Double
        public var reward: RewardSpecification

        public init(_ weight: Double, _ reward: RewardSpecification) {
            self.weight = weight
            self.reward = reward
        }
    }

    /// The specification in the form the parser reads back to the same value.
    public var description: String {
        switch self {
        case let .term(term): return term.rawValue
        case let .shape(term): return term.description
        case let .target(property, value): return "target(\(property), \(RewardNumber.text(value)))"
        case let .window(property, lower, upper):
            return "window(\(property), \(RewardNumber.text(lower)), \(RewardNumber.text(upper)))"
        case let .sum(terms):
            var text = ""
            for (i, term) in terms.enumerated() {
                let weight = i == 0 ? term.weight : abs(term.weight)
                if i > 0 { text += term.weight < 0 ? " - " : " + " }
                let reward = if case .sum = term.reward { "(\(term.reward))" } else { term.reward.description }
                text += RewardNumber.text(weight) + "*" + reward
            }
            return text
        }
    }

    /// Every term the specification uses, in order, each once.
    public var terms: [RewardTerm] {
        var seen: [RewardTerm] = []
        func visit(_ specification: RewardSpecification) {
            switch specification {
            case let .term(term): if !seen.contains(term) { seen.append(term) }
            case .shape: break
            case let .target(inner, _), let .window(inner, _, _): visit(inner)
            case let .sum(terms): terms.forEach { visit($0.reward) }
            }
        }
        visit(self)
        return seen
    }

    /// Every shape term the specification uses, in order.
    public var shapeTerms: [ShapeRewardTerm] {
        switch self {
        case .term: []
        case let .shape(term): [term]
        case let .target(inner, _), let .window(inner, _, _): inner.shapeTerms
        case let .sum(terms): terms.flatMap(\.reward.shapeTerms)
        }
    }
}

/// The rewards `--reward` names.
public enum RewardTerm: String, CaseIterable, Codable, Sendable {
    case qed, logp, tpsa, mw
    case validity, atomStability = "atom-stability", moleculeStability = "molecule-stability"
    case mmff94
    case xtbGap = "xtb-gap", xtbDipole = "xtb-dipole", xtbPolarizability = "xtb-polarizability"
    case xtbEnergy = "xtb-energy", xtbGradient = "xtb-gradient"
    case command

    /// A word for `--help` and error messages.
    public var summary: String {
        switch self {
        case .qed: "drug-likeness (QED), 0…1"
        case .logp: "Open Babel logP"
        case .tpsa: "topological polar surface area, Å²"
        case .mw: "molecular weight, g/mol"
        case .validity: "1 if EDM's sanitisation accepts the molecule, else 0"
        case .atomStability: "fraction of stable atoms (EDM)"
        case .moleculeStability: "1 if every atom is stable (EDM), else 0"
        case .mmff94: "−MMFF94 energy per atom of the geometry, kcal/mol"
        case .xtbGap: "GFN2-xTB HOMO–LUMO gap, eV"
        case .xtbDipole: "GFN2-xTB dipole moment, D"
        case .xtbPolarizability: "GFN2-xTB (D4) static polarisability, Bohr³"
        case .xtbEnergy: "GFN2-xTB total energy, Eh"
        case .xtbGradient: "GFN2-xTB gradient norm, Eh/Bohr"
        case .command: "the number --reward-command prints per molecule"
        }
    }

    /// Whether the term needs Open Babel in the scoring process (so worker processes pay).
    var usesOpenBabel: Bool {
        switch self {
        case .qed, .logp, .tpsa, .mw, .mmff94: true
        default: false
        }
    }
}
