import Foundation
import Testing
import TestSupport
@testable import Chem

/// Open Babel is not thread-safe: suites that touch it run serially.
@Suite(.serialized, .temporaryDirectories) struct MoleculeIOTests {
    @Test func multiRecordSDFRoundTripKeepsEverything() throws {
        let original = try Molecule.readAll(contentsOf: Fixture.path("cdk2.sdf"))
        #expect(original.count == 47)
        let path = try Fixture.scratch() + "/copy.sdf"
        try Molecule.write(original, to: path)
        let copy = try Molecule.readAll(contentsOf: path)
        #expect(copy.count == original.count)
        for (a, b) in zip(original, copy) {
            expectSameMolecule(a, b)
            #expect(a.title == b.title)
            #expect(a.properties.map(\.name) == b.properties.map(\.name))
        }
    }

    @Test(arguments: ["sdf", "mol2", "xyz", "pdb", "cml"])
    func qm9GeometriesRoundTrip(format: String) throws {
        let molecules = try QM9CSVReader(path: Fixture.path("qm9-sample.csv")).map { try $0.get().molecule.perceivingBonds() }
        #expect(molecules.count == 60)
        // All records in one file, PDB (MODEL/ENDMDL) and CML (<cml> around the <molecule>s) included.
        let path = try Fixture.scratch() + "/all.\(format)"
        try Molecule.write(molecules, to: path)
        let copy = try Molecule.readAll(contentsOf: path)
        #expect(copy.count == molecules.count)
        // PDB stores 3 decimals; the others keep 1e-4 Å.
        let tolerance = format == "pdb" ? 1e-3 : 1e-4
        for (a, b) in zip(molecules, copy) {
            // XYZ has no bonds; PDB bonds come back from CONECT without orders.
            expectSameMolecule(a, b, tolerance: tolerance, bonds: format == "sdf" || format == "mol2" || format == "cml")
            if format == "pdb" { #expect(bondPairs(a) == bondPairs(b)) }
        }
    }

    @Test(arguments: ["pdb", "cml"])
    func multiRecordPDBAndCMLKeepRecordsApart(format: String) throws {
        // Drug-like ligands with hydrogens and charges, 47 records in one file.
        let original = try Molecule.readAll(contentsOf: Fixture.path("cdk2.sdf"))
        let path = try Fixture.scratch() + "/cdk2.\(format)"
        try Molecule.write(original, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        if format == "pdb" {
            #expect(text.components(separatedBy: "\nENDMDL").count - 1 == original.count)
        } else {
            #expect(text.components(separatedBy: "<cml").count - 1 == 1, "one <cml> root element")
            #expect(text.components(separatedBy: "<molecule ").count - 1 == original.count)
        }
        let copy = try Molecule.readAll(contentsOf: path)
        #expect(copy.count == original.count)
        for (a, b) in zip(original, copy) {
            expectSameMolecule(a, b, tolerance: format == "pdb" ? 1e-3 : 1e-4, bonds: format == "cml")
            if format == "pdb" { #expect(bondPairs(a) == bondPairs(b)) }
        }
        // A single record stays a plain file: no MODEL, no <cml> wrapper.
        let single = try Fixture.scratch() + "/one.\(format)"
        try original[0].write(to: single)
        let one = try String(contentsOfFile: single, encoding: .utf8)
        #expect(!one.contains(format == "pdb" ? "MODEL" : "<cml"))
        expectSameMolecule(original[0], try Molecule(contentsOf: single), tolerance: format == "pdb" ? 1e-3 : 1e-4, bonds: format == "cml")
    }

    @Test func freeSolvSMILESRoundTripKeepsGraphAndCharges() throws {
        let molecules = try Molecule.readAll(contentsOf: Fixture.path("freesolv-sample.smi"))
        #expect(molecules.count == 60)
        let path = try Fixture.scratch() + "/freesolv.smi"
        try Molecule.write(molecules, to: path)
        let copy = try Molecule.readAll(contentsOf: path)
        for (a, b) in zip(molecules, copy) {
            #expect(try a.canonicalSMILES() == b.canonicalSMILES())
            #expect(a.totalCharge == b.totalCharge)
            #expect(a.title == b.title)
        }
    }

    @Test func chargesAndBondOrdersSurviveSDF() throws {
        let zwitterion = try Molecule(string: "[NH3+]CC(=O)[O-] glycine", format: .smiles)
        let sdf = try zwitterion.addingHydrogens().string(format: .sdf)
        let back = try Molecule(string: sdf, format: .sdf)
        #expect(back.atoms.map(\.formalCharge).sorted() == [-1, 0, 0, 0, 0, 0, 0, 0, 0, 1])  // N, 2 C, 2 O, 5 H
        #expect(back.bonds.map(\.order).sorted().last == 2)
        #expect(back.title == "glycine")
    }

    @Test func v3000MolfilesRoundTrip() throws {
        let original = try Molecule.readAll(contentsOf: Fixture.path("cdk2.sdf")).prefix(5)
        for molecule in original {
            let v3000 = try molecule.string(format: .sdf, options: "3")
            #expect(v3000.contains("V3000"))
            expectSameMolecule(molecule, try Molecule(string: v3000, format: .sdf))
        }
    }

    @Test func xyzIsReadFrameByFrame() throws {
        let text = """
        3
        water
        O 0 0 0
        H 0.96 0 0
        H -0.24 0.93 0
        2
        hydrogen
        H 0 0 0
        H 0.74 0 0

        """
        let molecules = try MoleculeReader(string: text, format: .xyz).readAll()
        #expect(molecules.map(\.atoms.count) == [3, 2])
        #expect(molecules.map(\.title) == ["water", "hydrogen"])
    }

    @Test func writerLeavesNoFileWhenNotClosed() throws {
        let directory = try Fixture.scratch(), path = directory + "/never.sdf"
        do {
            let writer = try MoleculeWriter(path: path)
            try writer.write(try Molecule(string: "CCO", format: .smiles))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "no temporary file is left either")
    }

    @Test func formatsByExtensionAndName() {
        #expect(MoleculeFormat(path: "a/b/c.SDF") == .sdf)
        #expect(MoleculeFormat(path: "noextension") == nil)
        #expect(MoleculeFormat("mol2").isReadable)
        #expect(!MoleculeFormat("nonsense").isReadable)
        #expect(throws: ChemError.unknownFormat("nonsense")) { try MoleculeReader(string: "C", format: MoleculeFormat("nonsense")) }
    }
}
