/// Errors raised by the Chem module. Every case names where the problem is.
public enum ChemError: Error, Equatable, Sendable {
    case openBabel(String)
}
