import ArgumentParser

/// `rgdm hdf5-probe FILE`: reads a whole HDF5 file for a parent rgdm process that is about to
/// open it (`HDF5Probe`), not for users. Ends with status 0 unless libhdf5 ends it first.
struct HDF5ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hdf5-probe",
        abstract: "Reads every object of an HDF5 file (for a parent rgdm process).",
        shouldDisplay: false
    )

    @Argument(help: "The HDF5 file.")
    var file: String

    func run() {
        HDF5Probe.readEverything(file)
    }
}
