import Foundation
import Testing
import TestSupport
@testable import Chem

/// rgdm delimits SDF/MOL, XYZ, PDB, MOL2 and SMILES records itself and checks
/// each before Open Babel parses it: valid files read exactly as Open Babel
/// streams them, bad records name their line, limits hold in both modes.
@Suite(.serialized, .temporaryDirectories) struct StrictReadingTests {
    /// `molecules` written in `format` (options for Open Babel's writer) to a scratch file.
    func written(_ molecules: [Molecule], _ format: String, options: [String] = []) throws -> String {
        let path = try Fixture.scratch() + "/all.\(format)"
        let writer = try MoleculeWriter(path: path, options: options)
        for molecule in molecules { try writer.write(molecule) }
        try writer.close()
        return path
    }

    func results(_ path: String, _ options: MoleculeReader.Options = .strict) throws -> [Result<Molecule, ChemError>] {
        Array(try MoleculeReader(contentsOf: path, options: options))
    }

    @Test func validFilesReadAsOpenBabelStreamsThem() throws {
        let cdk2 = try Molecule.readAll(contentsOf: Fixture.path("cdk2.sdf"))
        let qm9 = try QM9CSVReader(path: Fixture.path("qm9-sample.csv")).map { try $0.get().molecule.perceivingBonds() }
        let files = [Fixture.path("cdk2.sdf"), Fixture.path("chembl-drugs-200.smi"), Fixture.path("freesolv-sample.smi"),
                     try written(cdk2, "mol2"), try written(cdk2, "pdb"), try written(cdk2, "xyz"),
                     try written(cdk2, "sdf", options: ["3"]), try written(qm9, "xyz"), try written(qm9, "pdb")]
        for path in files {
            let format = try #require(MoleculeFormat(path: path))
            let streamed = Array(try MoleculeReader(openBabelStreaming: path, format: format, options: .strict))
            for options in [MoleculeReader.Options.strict, .lenient] {
                let delimited = try results(path, options)
                #expect(delimited.count == streamed.count, "\(path)")
                for (a, b) in zip(delimited, streamed) {
                    #expect(try a.get() == b.get(), "\(path): record differs")
                }
            }
        }
    }

    @Test func strictReadingNamesTheLineLenientReadingTakesWhatOpenBabelTakes() throws {
        let block = MalformedInputTests.methanolBlock.replacingOccurrences(of: "    1.4300    0.0000", with: "    1.4a00    0.0000")
        let path = try Fixture.file("letter.sdf", MalformedInputTests.methanolBlock + block + MalformedInputTests.methanolBlock)
        let strict = try results(path)
        #expect(strict.count == 3 && strict[0].isSuccess && strict[2].isSuccess)
        #expect(strict[1].error == .malformedRecord(file: path, record: 2, line: 15,
                                                    reason: "x coordinate '1.4a00' in columns 1–10 is not a number"))
        // Open Babel's atof reads 1.4 and carries on.
        let lenient = try results(path, .lenient)
        #expect(try lenient[1].get().atoms[1].position.x == 1.4)
    }

    @Test func countsThatDoNotMatchTheBlocksAreCaught() throws {
        let v3000 = """
        v3000
          rgdm

          0  0  0     0  0            999 V3000
        M  V30 BEGIN CTAB
        M  V30 COUNTS 3 1 0 0 0
        M  V30 BEGIN ATOM
        M  V30 1 C 0.0 0.0 0.0 0
        M  V30 2 O 1.43 0.0 0.0 0
        M  V30 END ATOM
        M  V30 BEGIN BOND
        M  V30 1 1 1 2
        M  V30 END BOND
        M  V30 END CTAB
        M  END
        $$$$

        """
        let path = try Fixture.file("v3000.sdf", v3000)
        #expect(try results(path).first?.error == .malformedRecord(file: path, record: 1, line: 10,
                                                                   reason: "COUNTS (line 6) announces 3 atoms, the atom block (line 7) has 2"))
        let xyz = try Fixture.file("fraction.xyz", "3.5\nwater\nO 0 0 0\nH 0.96 0 0\nH -0.24 0.93 0\n2\nCO\nC 0 0 0\nO 1.13 0 0\n")
        let read = try results(xyz)
        #expect(read.count == 2)
        #expect(read[0].error == .malformedRecord(file: xyz, record: 1, line: 1, reason: "atom count '3.5' is not a positive whole number"))
        #expect(try read[1].get().atoms.count == 2, "reading goes on at the next count line")
        let pdb = try Fixture.file("letters.pdb", """
        HETATM    1  C   UNL     1       0.000   0.000   0.000  1.00  0.00           C
        HETATM    2  O   UNL     1      abc.de   0.000   0.000  1.00  0.00           O
        END

        """)
        #expect(try results(pdb).first?.error == .malformedRecord(file: pdb, record: 1, line: 2,
                                                                  reason: "x coordinate 'abc.de' in columns 31–38 is not a number"))
    }

    @Test func limitsHoldInBothModesBeforeOpenBabelSeesTheRecord() throws {
        let huge = String(repeating: "C", count: 200_000)
        let nested = String(repeating: "C(", count: 100) + "C" + String(repeating: ")", count: 100)
        let rings = "C" + (10..<70).map { "C%\($0)" }.joined() + "C" + (10..<70).map { "C%\($0)" }.joined()
        let long = String(repeating: "[13CH2:123]", count: 950)
        let path = try Fixture.file("limits.smi", [huge, nested, rings, long, "CCO ethanol"].joined(separator: "\n") + "\n")
        for options in [MoleculeReader.Options.strict, .lenient] {
            let read = try results(path, options)
            #expect(read.count == 5)
            #expect(read[0].error == .limitExceeded(file: path, record: 1, line: 1, limit: .atoms, value: 200_000, maximum: 1000))
            #expect(read[1].error == .limitExceeded(file: path, record: 2, line: 2, limit: .branchDepth, value: 100, maximum: 64))
            #expect(read[2].error == .limitExceeded(file: path, record: 3, line: 3, limit: .openRings, value: 60, maximum: 50))
            #expect(read[3].error == .limitExceeded(file: path, record: 4, line: 4, limit: .smilesLength, value: 10_450, maximum: 10_000))
            #expect(try read[4].get().title == "ethanol")
        }
        let raised = MoleculeReader.Options(limits: RecordLimits(atoms: 10, smilesLength: 20_000, branchDepth: 200, openRings: 70))
        let read = try results(path, raised)
        #expect(read[0].error?.description.contains("200000 atoms, over the limit of 10") == true)
        #expect(read[1].error?.description.contains("101 atoms") == true)
        #expect(read[2].error?.description.contains("122 atoms") == true)

        let xyz = try Fixture.file("big.xyz", "1001\nbig\n" + String(repeating: "C 0 0 0\n", count: 1001))
        #expect(try results(xyz).first?.error == .limitExceeded(file: xyz, record: 1, line: 1, limit: .atoms, value: 1001, maximum: 1000))
    }

    @Test func skippingPassesRecordsWithoutOpenBabel() throws {
        let path = try Fixture.file("skip.smi", "CCO a\nC1CC( broken\n\(String(repeating: "C", count: 200_000)) huge\nc1ccccc1 d\n")
        let reader = try MoleculeReader(contentsOf: path)
        #expect(reader.skipsWithoutParsing)
        #expect(reader.skip() && reader.skip() && reader.skip())
        #expect(reader.recordCount == 3)
        #expect(try reader.next()?.get().title == "d")
        #expect(reader.recordCount == 4)
        #expect(!reader.skip() && reader.next() == nil)
        // An empty file skips once, as it reads as one .emptyInput error.
        let empty = try MoleculeReader(contentsOf: try Fixture.file("empty.sdf", "\n"))
        #expect(empty.skip() && !empty.skip())
        let cml = try MoleculeReader(contentsOf: try written([try Molecule(string: "CCO", format: .smiles)], "cml"))
        #expect(!cml.skipsWithoutParsing)
    }

    @Test func smilesShapeCountsAtomsBranchesAndRings() {
        let shape = SMILESShape(Array("CC(=O)Oc1ccccc1C(=O)[O-]".utf8))
        #expect(shape == SMILESShape(atoms: 13, branchDepth: 1, openRings: 1))
        #expect(SMILESShape(Array("ClC(Br)(C(C(C)C)C)[Na+]".utf8)) == SMILESShape(atoms: 9, branchDepth: 3, openRings: 0))
        #expect(SMILESShape(Array("C12C3C%10C1C2C3%10".utf8)).openRings == 4)
    }
}

extension SMILESShape {
    init(atoms: Int, branchDepth: Int, openRings: Int) {
        self.init([UInt8]())
        self.atoms = atoms
        self.branchDepth = branchDepth
        self.openRings = openRings
    }
}
