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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(name: "KrScript", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "KrHost",
            dependencies: [
                "KrScript",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "krsh",
            dependencies: [
                "KrScript", "KrHost", "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "krsh-http-reference",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Sources/krsh-http-reference"
        ),
        .testTarget(name: "KrScriptTests", dependencies: ["KrScript"]),
        .testTarget(name: "KrHostTests", dependencies: ["KrHost", .product(name: "Hummingbird", package: "hummingbird")]),
        .testTarget(name: "krshTests", dependencies: ["krsh"]),
    ]
)
