extension MoleculeReader {
    /// How records are read: strict checks on top of Open Babel, and limits.
    public struct Options: Hashable, Sendable {
        /// Whether a record's text is checked against its format's rules
        /// before Open Babel parses it (SDF/MOL V2000 and V3000, XYZ, PDB, MOL2).
        public enum Validation: Hashable, Sendable {
            /// Reject a record that breaks its format's rules, with the line
            /// (`ChemError.malformedRecord`), as RDKit does.
            case strict
            /// Open Babel's own reading: it takes what it can ("l.234" as 0).
            case lenient
        }

        public var validation: Validation
        /// Checked in both modes.
        public var limits: RecordLimits

        public init(validation: Validation = .strict, limits: RecordLimits = .default) {
            self.validation = validation
            self.limits = limits
        }

        public static let strict = Options()
        public static let lenient = Options(validation: .lenient)
    }
}
