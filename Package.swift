// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nianbao",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nianbao", targets: ["nianbao"]),
        .library(name: "NianbaoKit", targets: ["NianbaoKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Word (.docx) files are zip archives: read with a maintained zip library, not by hand.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // C libraries, found through pkg-config; `make run` installs the -dev packages where missing.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // libcrypto's SHA-256 uses the CPU's SHA extensions: the documents' hashes at a fraction of the cost.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // libcurl and zlib behind a thin C seam: the fetch stage's HTTP with limits that hold while bytes arrive.
        .target(
            name: "CNianbaoHTTP",
            linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("z")]
        ),
        // libxml2 lives behind this Foundation-free target: Debian's libxml2 pulls in ICU headers that
        // clash with Foundation's when both are imported into one Swift file.
        .target(name: "NianbaoHTML", dependencies: ["CLibXML2"]),
        .target(
            name: "NianbaoKit",
            dependencies: [
                "NianbaoHTML", "CSQLite", "CCrypto", "CNianbaoHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "nianbao",
            dependencies: [
                "NianbaoKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libFuzzer entry points for `make fuzz` (built only there, with -sanitize=fuzzer).
        .executableTarget(
            name: "NianbaoFuzz",
            dependencies: ["NianbaoKit", "NianbaoHTML"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .testTarget(name: "NianbaoKitTests", dependencies: ["NianbaoKit", "NianbaoHTML", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "EndToEndTests", dependencies: ["NianbaoKit"]),
    ]
)
