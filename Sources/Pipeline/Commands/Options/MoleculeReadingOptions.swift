import ArgumentParser
import Chem

/// How commands that read molecule files read them: strict checks of each
/// record on top of Open Babel (or Open Babel's own lenient reading), and
/// the limits a record must stay within before Open Babel sees it.
struct MoleculeReadingOptions: ParsableArguments {
    @Flag(help: ArgumentHelp("Read SDF/MOL, XYZ, PDB and MOL2 records as Open Babel does, without rgdm's checks.",
                             discussion: "Strict reading (the default) rejects, with its line, a record whose fixed columns are not numbers or whose counts do not match its blocks; Open Babel reads 'l.234' as 0. The limits below apply either way."))
    var lenient = false

    @Option(help: "Most atoms in one record; larger records are rejected before Open Babel reads them.")
    var maxAtoms = RecordLimits.default.atoms

    @Option(help: "Most characters in one SMILES.")
    var maxSmilesLength = RecordLimits.default.smilesLength

    @Option(help: "Deepest nesting of branches (parentheses) in one SMILES.")
    var maxBranchDepth = RecordLimits.default.branchDepth

    @Option(help: "Most ring bonds open at once in one SMILES.")
    var maxOpenRings = RecordLimits.default.openRings

    func validate() throws {
        for (name, value) in [("--max-atoms", maxAtoms), ("--max-smiles-length", maxSmilesLength),
                              ("--max-branch-depth", maxBranchDepth), ("--max-open-rings", maxOpenRings)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 (got \(value))")
        }
    }

    var readerOptions: MoleculeReader.Options {
        MoleculeReader.Options(validation: lenient ? .lenient : .strict,
                               limits: RecordLimits(atoms: maxAtoms, smilesLength: maxSmilesLength,
                                                    branchDepth: maxBranchDepth, openRings: maxOpenRings))
    }
}

extension MoleculeReader.Options {
    /// The command-line options that give these settings, for worker processes.
    var arguments: [String] {
        (validation == .lenient ? ["--lenient"] : [])
            + ["--max-atoms", String(limits.atoms), "--max-smiles-length", String(limits.smilesLength),
               "--max-branch-depth", String(limits.branchDepth), "--max-open-rings", String(limits.openRings)]
    }
}
