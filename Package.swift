// swift-tools-version: 6.0
import PackageDescription

/// Hot numeric targets are always built optimised without bounds checks in release.
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "nook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nook", targets: ["nook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        // C libraries and intrinsics.
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .target(name: "CKernels", path: "Sources/CKernels",
                cSettings: [.unsafeFlags(["-O3"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CWebP", path: "Sources/CWebP", pkgConfig: "libwebpdemux",
                       providers: [.apt(["libwebp-dev"])]),
        // giflib ships no pkg-config file upstream: the module map links "gif" and the header is in /usr/include.
        .systemLibrary(name: "CGIF", path: "Sources/CGIF", providers: [.apt(["libgif-dev"])]),
        .systemLibrary(name: "CSndFile", path: "Sources/CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CSoxr", path: "Sources/CSoxr", pkgConfig: "soxr",
                       providers: [.apt(["libsoxr-dev"])]),
        // The setjmp/longjmp error handling of libpng and libjpeg, kept inside C.
        .target(name: "CImageCodecs", dependencies: ["CPNG", "CJPEG"], path: "Sources/CImageCodecs"),

        // Engine stack.
        .target(name: "GGUF"),
        .target(name: "Kernels", dependencies: ["GGUF", "CKernels"], swiftSettings: fastMath),
        .target(name: "Tokenization", dependencies: ["GGUF", "Conversation"]),
        .target(name: "Models", dependencies: ["GGUF", "Kernels"], swiftSettings: fastMath),
        .target(name: "Engine", dependencies: ["Models", "Multimodal", "Tokenization", "Kernels", "GGUF", "Conversation"]),

        // Media decoding.
        .target(name: "Media", dependencies: ["CImageCodecs", "CWebP", "CGIF", "CSndFile", "CSoxr"]),
        .target(name: "Multimodal", dependencies: ["GGUF", "Kernels", "Media"], swiftSettings: fastMath),

        // Conversation, sessions and UI.
        .target(name: "Conversation"),
        .target(name: "Sessions", dependencies: [
            "Conversation", "TOMLKit", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "TerminalUI"),
        .target(name: "Personalization", dependencies: ["Conversation", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "CursesScreen", dependencies: ["TerminalUI", "CNCurses"]),
        .target(name: "App", dependencies: ["Engine", "Multimodal", "Media", "Tokenization", "Sessions", "TerminalUI", "CursesScreen", "Conversation", "TOMLKit",
                                           "Personalization"]),
        .executableTarget(name: "nook", dependencies: [
            "App", "Engine", "Conversation", "Media", "Multimodal", "Personalization", "Sessions",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests.
        .target(name: "TestSupport", dependencies: ["GGUF", .product(name: "Crypto", package: "swift-crypto")],
                path: "Tests/TestSupport"),
        .target(name: "CKernelsTesting", dependencies: ["CKernels"], path: "Tests/CKernelsTesting",
                cSettings: [.headerSearchPath("../../Sources/CKernels"), .unsafeFlags(["-O3"])]),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "Engine", "TestSupport"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "GGUF", "CKernelsTesting"]),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization", "Engine", "GGUF", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Engine", "GGUF", "Tokenization", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Tokenization", "Conversation", "TestSupport"]),
        .testTarget(name: "MediaTests", dependencies: ["Media"], exclude: ["Fixtures"]),
        .testTarget(name: "MultimodalTests", dependencies: ["Multimodal", "Engine", "Models", "Media", "Conversation", "TestSupport", "GGUF"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SessionsTests", dependencies: ["Sessions", "Conversation"]),
        .testTarget(name: "PersonalizationTests", dependencies: [
                        "Personalization", "Conversation", .product(name: "GRDB", package: "GRDB.swift"),
                    ],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "AppTests", dependencies: ["App", "Sessions", "Conversation", "TerminalUI", "Engine", "TestSupport",
                                                 "Personalization"],
                    exclude: ["Golden"]),
    ]
)
