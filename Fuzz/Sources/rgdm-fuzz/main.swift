import CFuzzDriver
import Foundation

// rgdm-fuzz HARNESS [libFuzzer options] [corpus…]: picks the harness, then hands the rest of the
// command line (without HARNESS) to libFuzzer, which calls the harness on every input.

/// The harness libFuzzer's callback runs (a C function pointer cannot capture it).
nonisolated(unsafe) var selected: Harness = .sdf

let arguments = CommandLine.arguments
guard arguments.count >= 2, let harness = Harness(rawValue: arguments[1]) else {
    let names = Harness.allCases.map(\.rawValue).joined(separator: " ")
    FileHandle.standardError.write(Data("usage: rgdm-fuzz HARNESS [libFuzzer options] [corpus…]\nharnesses: \(names)\n".utf8))
    exit(2)
}
selected = harness
var argc = CommandLine.argc - 1
let argv = CommandLine.unsafeArgv
argv[1] = argv[0]   // the program name takes HARNESS's place
var shifted: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv.advanced(by: 1)
exit(LLVMFuzzerRunDriver(&argc, &shifted) { data, size in
    let before = PeakMemory.megabytes()
    selected.run(data.map { Data(bytes: $0, count: size) } ?? Data())
    PeakMemory.check(since: before)
    return 0
})
