// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "KrShell",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "krsh", targets: ["krsh"]),
        .library(name: "KrScript", targets: ["KrScript"]),
        .library(name: "KrHost", targets: ["KrHost"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(name: "KrScript", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "KrHost", dependencies: ["KrScript"]),
        .executableTarget(
            name: "krsh",
            dependencies: [
                "KrScript", "KrHost", "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "KrScriptTests", dependencies: ["KrScript"]),
        .testTarget(name: "KrHostTests", dependencies: ["KrHost"]),
        .testTarget(name: "krshTests", dependencies: ["krsh"]),
    ]
)
