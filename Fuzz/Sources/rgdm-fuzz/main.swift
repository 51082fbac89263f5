import CFuzzDriver
import Foundation

nonisolated(unsafe) var selected: Harness = .sdf

let arguments = CommandLine.arguments
guard arguments.count >= 2, let harness = Harness(rawValue: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: rgdm-fuzz HARNESS [libFuzzer options] [corpus…]\nharnesses: \(Harness.allCases.map(\.rawValue).joined(separator: " "))\n".utf8))
    exit(2)
}
selected = harness
var argc = CommandLine.argc - 1
var argv = CommandLine.unsafeArgv
argv[1] = argv[0]
var shifted: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv.advanced(by: 1)
exit(LLVMFuzzerRunDriver(&argc, &shifted) { data, size in
    selected.run(Data(bytes: data!, count: size))
    return 0
})
