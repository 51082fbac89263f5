extension Molecule {
    /// Stereochemistry that the coordinates do not carry: that of a SMILES,
    /// or of a 0D/2D file, kept so that a 3D structure built from it
    /// (`generating3D`) is the stereoisomer asked for. A 3D structure carries
    /// its stereochemistry in its coordinates, so its `stereo` is empty.
    /// Atom indices are 0-based; nil is an implicit hydrogen or a lone pair.
    public struct Stereo: Hashable, Sendable {
        /// A tetrahedral centre: looking from `neighbours[0]`, the other three
        /// run anticlockwise (SMILES `@`).
        public struct Tetrahedral: Hashable, Sendable {
            public var centre: Int
            public var neighbours: [Int?]

            public init(centre: Int, neighbours: [Int?]) {
                precondition(neighbours.count == 4, "a tetrahedral centre has 4 neighbours, got \(neighbours.count)")
                self.centre = centre
                self.neighbours = neighbours
            }
        }

        /// A double bond's configuration: two neighbours of `begin`, then two
        /// of `end`, in a U shape: the first and the last are cis.
        public struct CisTrans: Hashable, Sendable {
            public var begin: Int
            public var end: Int
            public var neighbours: [Int?]

            public init(begin: Int, end: Int, neighbours: [Int?]) {
                precondition(neighbours.count == 4, "a cis/trans bond has 4 neighbours, got \(neighbours.count)")
                self.begin = begin
                self.end = end
                self.neighbours = neighbours
            }
        }

        public var tetrahedral: [Tetrahedral]
        public var cisTrans: [CisTrans]

        public init(tetrahedral: [Tetrahedral] = [], cisTrans: [CisTrans] = []) {
            self.tetrahedral = tetrahedral
            self.cisTrans = cisTrans
        }

        public var isEmpty: Bool { tetrahedral.isEmpty && cisTrans.isEmpty }
    }
}
