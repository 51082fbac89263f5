// swift-tools-version: 6.0
// rgdm's fuzz harnesses: one libFuzzer executable, `rgdm-fuzz HARNESS [libFuzzer options] [corpus…]`,
// over the readers of the package one folder up. Built only by scripts/fuzz.sh, with
// `-sanitize=fuzzer,address` for every Swift module and `-fsanitize=fuzzer-no-link,address` for the
// C and C++ shims (see Fuzz/README.md).
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which differs between clones.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rgdm = root.lastPathComponent.lowercased()

let package = Package(
    name: "rgdm-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        // libFuzzer's entry point for programs that keep their own main (`LLVMFuzzerRunDriver`).
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "rgdm-fuzz",
            dependencies: [
                "CFuzzDriver",
                .product(name: "Chem", package: rgdm),
                .product(name: "HDF5", package: rgdm),
                .product(name: "PointCloud", package: rgdm),
                .product(name: "Diffusion", package: rgdm),
                .product(name: "Pipeline", package: rgdm),
            ]
        ),
    ],
    swiftLanguageModes: [.v5]
)
