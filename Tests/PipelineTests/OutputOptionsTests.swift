import Testing
@testable import Pipeline

/// The shared `-o/--output` group: case-insensitive extension checks and the sidecar names.
@Suite struct OutputOptionsTests {
    @Test(arguments: ["set.h5", "set.H5", "data/SET.HDF5", "set.Hdf5"])
    func acceptsHDF5ExtensionsInAnyCase(_ path: String) throws {
        #expect(try OutputOptions<HDF5Output>.parse(["-o", path]).output == path)
        #expect(try OutputOptions<HDF5Output>.parse(["--output", path]).file.hasExtension(in: HDF5Output.extensions))
    }

    @Test(arguments: ["set.txt", "set", "set.h5.gz", "h5"])
    func refusesOtherExtensionsWithTheirMessage(_ path: String) throws {
        let error = try #require(#expect(throws: (any Error).self) { try OutputOptions<HDF5Output>.parse(["-o", path]) })
        #expect(OutputOptions<HDF5Output>.message(for: error) == "--output must end in .h5 or .hdf5")
    }

    @Test func theCommandsCheckTheirOutputThroughTheGroup() throws {
        for command in [["preprocess", "molecules", "a.smi"], ["preprocess", "shapes", "--procedural"]] {
            _ = try RGDMCommand.parseAsRoot(command + ["-o", "OUT.HDF5"])
            let error = try #require(#expect(throws: (any Error).self) { try RGDMCommand.parseAsRoot(command + ["-o", "out.ply"]) })
            #expect(RGDMCommand.message(for: error) == "--output must end in .h5 or .hdf5", "\(command)")
        }
        // Samples and exports take any extension here (samples are checked against the model's domain).
        let sample = try #require(try RGDMCommand.parseAsRoot(["sample", "--model", "m.rgdm", "-o", "s.SDF"]) as? SampleCommand)
        #expect(sample.output == "s.SDF")
        _ = try RGDMCommand.parseAsRoot(["export", "c.rgdm", "-o", "model"])
    }

    @Test func namesTheSidecarsAfterTheOutput() {
        let file = OutputFile(path: "runs/qm9.HDF5")
        #expect(file.pathExtension == "hdf5" && file.stem == "runs/qm9")
        #expect(file.sidecar(.report) == "runs/qm9.report")
        #expect(file.sidecar(.rejects) == "runs/qm9.rejects.tsv")
        #expect(file.sidecar(.runRecord) == "runs/qm9.run.json")
        #expect(file.sidecar(.sampleRunRecord) == "runs/qm9.HDF5.run.json")
        #expect(file.sidecar(.parts) == "runs/qm9.HDF5.parts")
        // No extension, or a dot in a folder's name only: the whole name is the stem.
        #expect(OutputFile(path: "v1.2/samples").stem == "v1.2/samples")
        #expect(OutputFile(path: "v1.2/samples").sidecar(.report) == "v1.2/samples.report")
        #expect(OutputFile(path: ".hidden").pathExtension == "")
    }

    @Test func theJobsUseTheSidecarNames() throws {
        let molecules = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", "a.smi", "-o", "d/Set.HDF5"])
                                     as? PreprocessMoleculesCommand)
        #expect(molecules.job.rejectsPath == "d/Set.rejects.tsv")
        #expect(molecules.job.partsDirectory == "d/Set.HDF5.parts")
        let given = try #require(try RGDMCommand.parseAsRoot(["preprocess", "molecules", "a.smi", "-o", "s.h5", "--rejects", "r.tsv"])
                                 as? PreprocessMoleculesCommand)
        #expect(given.job.rejectsPath == "r.tsv")
    }
}
