// swift-tools-version: 6.0
// rgdm: reward-guided diffusion models for molecules and 3D shapes.
//
// Dependency direction (one way only):
//   rgdm (executable) → Pipeline → {Chem, PointCloud, Diffusion, HDF5}
//   Chem → COpenBabel (C++ shim with a plain C API over Open Babel 3)
//   PointCloud → HDF5 → CHDF5 (system library: HDF5 serial)
//   Diffusion → CBLAS (system library: OpenBLAS), CKernels (C: element-wise and per-edge passes,
//               compiled for AVX-512, AVX2 + FMA and SSE2 and dispatched per CPU at load time)
//   Pipeline → Cluster → {Diffusion, CMPI (C: Open MPI's libmpi bound with dlopen at run time, so
//               the binary neither links nor needs MPI unless a launcher starts it)}
import PackageDescription

let release: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "rgdm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rgdm", targets: ["rgdm"]),
        .library(name: "Chem", targets: ["Chem"]),
        .library(name: "HDF5", targets: ["HDF5"]),
        .library(name: "PointCloud", targets: ["PointCloud"]),
        .library(name: "Diffusion", targets: ["Diffusion"]),
        .library(name: "Cluster", targets: ["Cluster"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: C and C++ shims
        .target(
            name: "COpenBabel",
            path: "Sources/COpenBabel",
            cxxSettings: [
                .unsafeFlags(["-I/usr/include/openbabel3", "-O2", "-std=c++17", "-Wno-deprecated-declarations"]),
            ],
            linkerSettings: [.linkedLibrary("openbabel")]
        ),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5-serial"),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // -O3 in every configuration: tests run the same vectorised code as release builds.
        // No -ffast-math (the exp range reduction relies on IEEE rounding) and no FMA
        // contraction: every CPU gets the same bits (see Sources/CKernels/dispatch.h).
        .target(name: "CMPI", path: "Sources/CMPI", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CKernels", path: "Sources/CKernels", cSettings: [.unsafeFlags(["-O3", "-std=gnu11", "-ffp-contract=off", "-fno-math-errno"])]),

        // MARK: Swift modules
        .target(name: "Chem", dependencies: ["COpenBabel"], exclude: ["README.md"], swiftSettings: release),
        .target(name: "HDF5", dependencies: ["CHDF5"], exclude: ["README.md"], swiftSettings: release),
        .target(name: "PointCloud", dependencies: ["HDF5"], exclude: ["README.md"], swiftSettings: release),
        .target(name: "Diffusion", dependencies: ["CBLAS", "CKernels"], exclude: ["README.md"], swiftSettings: release),
        .target(name: "Cluster", dependencies: ["Diffusion", "CMPI"], exclude: ["README.md"], swiftSettings: release),
        .target(
            name: "Pipeline",
            dependencies: [
                "Chem", "PointCloud", "Diffusion", "HDF5", "Cluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md", "Molecules/README.md", "Rewards/README.md"],
            swiftSettings: release
        ),
        .executableTarget(name: "rgdm", dependencies: ["Pipeline"], swiftSettings: release),

        // MARK: Tests
        // Shared by every test target: the numeric comparison and per-test scratch directories.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ChemTests", dependencies: ["Chem", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PointCloudTests", dependencies: ["PointCloud", "HDF5", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster", "Diffusion", "TestSupport"]),
        .testTarget(name: "DiffusionTests", dependencies: ["Diffusion", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "HDF5", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)
