// swift-tools-version:6.1
import PackageDescription

/// Swift 6 language mode (the tools version's default) with the stricter upcoming features.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "machineauth-swift",
    platforms: [.macOS(.v15)],
    products: [
        /// Agents: tokens that are always fresh, the agent's own API, an HTTP client that attaches the token.
        .library(name: "MachineAuthClient", targets: ["MachineAuthClient"]),
        /// Resource servers: local verification of access tokens against the JWKS (no web framework).
        .library(name: "MachineAuthVerifier", targets: ["MachineAuthVerifier"]),
        /// Resource servers on Hummingbird 2: a middleware that verifies bearer tokens.
        .library(name: "MachineAuthHummingbird", targets: ["MachineAuthHummingbird"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .target(
            name: "MachineAuthClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MachineAuthVerifier",
            dependencies: [
                "MachineAuthClient",
                .product(name: "JWTKit", package: "jwt-kit"),
                // The engine of jwt-kit's signatures, pinned to the version the server uses.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MachineAuthHummingbird",
            dependencies: [
                "MachineAuthVerifier",
                "MachineAuthClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MachineAuthSDKTests",
            dependencies: [
                "MachineAuthClient",
                "MachineAuthVerifier",
                "MachineAuthHummingbird",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // The loopback issuer of the federation tests signs its tokens with swift-crypto itself.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
