// swift-tools-version: 6.0
// Micro-benchmarks of the Kernels module. The library sources are symbolic links to the main package's, so this
// package builds them the same way (release: -Ounchecked -wmo for Swift, -O3 for C) without touching it.
// Run: swift run -c release --package-path benchmarks/kernels kernel-bench [--threads 2] [--filter q8_0]
import PackageDescription

let fastMath: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "kernel-bench",
    targets: [
        .target(name: "CKernels", path: "Sources/CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "GGUF", path: "Sources/GGUF"),
        .target(name: "Kernels", dependencies: ["GGUF", "CKernels"], path: "Sources/Kernels", swiftSettings: fastMath),
        .executableTarget(name: "kernel-bench", dependencies: ["Kernels", "GGUF"], path: "Sources/KernelBench",
                          swiftSettings: fastMath),
    ]
)
