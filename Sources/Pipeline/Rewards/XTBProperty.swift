import Foundation

/// What a GFN2-xTB single point (Bannwarth, Ehlert & Grimme, JCTC 15, 1652, 2019; the
/// `xtb` program 6.5) gives for a geometry, read from its printed output.
public enum XTBProperty: String, CaseIterable, Codable, Sendable {
    /// HOMO–LUMO gap, eV ("HOMO-LUMO GAP" in the summary).
    case gap
    /// Total dipole moment, Debye (the "full:" row of "molecular dipole:").
    case dipole
    /// Static isotropic polarisability α(0), Bohr³ (atomic units), "Mol. α(0) /au", the
    /// D4 model's value that xtb 6.5 prints for every GFN2 run.
    case polarizability
    /// Total energy, Eh ("TOTAL ENERGY").
    case energy
    /// Norm of the energy gradient at the generated geometry, Eh/Bohr ("GRADIENT NORM",
    /// with `--grad`); 0 at a stationary point.
    case gradient

    /// The reward term's name ("xtb-gap").
    public var termName: String { "xtb-\(rawValue)" }

    /// The property's value in `output` (xtb's standard output), or nil when it is not there.
    public func value(in output: String) -> Double? {
        let lines = output.split(whereSeparator: \.isNewline)
        switch self {
        case .gap: return Self.number(after: "HOMO-LUMO GAP", in: lines)
        case .energy: return Self.number(after: "TOTAL ENERGY", in: lines)
        case .gradient: return Self.number(after: "GRADIENT NORM", in: lines)
        case .polarizability: return Self.number(after: "Mol. α(0) /au", in: lines, skipping: ":")
        case .dipole:
            guard let header = lines.firstIndex(where: { $0.contains("molecular dipole:") }),
                  let full = lines[header...].prefix(5).first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("full:") }) else {
                return nil
            }
            return full.split(separator: " ").last.flatMap { Double($0) }
        }
    }

    /// The first number after `label` on the last line holding it (xtb's summary comes last).
    private static func number(after label: String, in lines: [Substring], skipping separator: Character? = nil) -> Double? {
        guard let line = lines.last(where: { $0.contains(label) }), let range = line.range(of: label) else { return nil }
        let rest = line[range.upperBound...].split(whereSeparator: { $0 == " " || $0 == separator || $0 == "|" })
        return rest.first.flatMap { Double($0) }
    }

    /// xtb's own reason for stopping ("-1- Found *very* short distance…"), if it printed one.
    static func errorReason(in output: String) -> String? {
        let lines = output.split(whereSeparator: \.isNewline)
        guard let start = lines.lastIndex(where: { $0.contains("[ERROR]") }) else { return nil }
        let reasons = lines[start...].dropFirst().prefix { $0.hasPrefix("-") }
        let text = reasons.map { $0.drop { $0 == "-" || $0.isNumber }.trimmingCharacters(in: .whitespaces) }
        return text.isEmpty ? nil : text.joined(separator: "; ")
    }
}
