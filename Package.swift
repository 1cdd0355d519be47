// swift-tools-version:6.1
import PackageDescription

/// Settings shared by every target: strict, explicit, Swift 6 language mode.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// A stage plugin: its own module under `Plugins/<name>`, depending only on the core and the
/// logging API the stage context hands it (plus its own driver library).
func plugin(_ name: String, dependencies: [Target.Dependency] = []) -> Target {
    .target(
        name: name,
        dependencies: ["MachineAuthCore", .product(name: "Logging", package: "swift-log")] + dependencies,
        path: "Plugins/\(name)",
        swiftSettings: swiftSettings
    )
}

/// A plugin's tests: `Tests/<name>Tests`, depending on the plugin, the core and the light
/// testing module (no server, no other stage unless named).
func pluginTests(_ name: String, dependencies: [Target.Dependency] = []) -> Target {
    .testTarget(
        name: "\(name)Tests",
        dependencies: [.target(name: name), "MachineAuthCore", "MachineAuthTesting", .product(name: "Logging", package: "swift-log")] + dependencies,
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "machineauth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "machineauth", targets: ["machineauth"]),
        .library(name: "MachineAuthCore", targets: ["MachineAuthCore"]),
        .library(name: "MachineAuthServer", targets: ["MachineAuthServer"]),
        .library(name: "MachineAuthStages", targets: ["MachineAuthStages"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        .target(
            name: "MachineAuthCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // Client certificates (RFC 8705): subject, SANs and keys read by a well-reviewed X.509 parser.
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MachineAuthServer",
            dependencies: [
                "MachineAuthCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The dashboard's templates, stylesheet and script, read once at start-up.
            resources: [.copy("Dashboard/Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MachineAuthStages",
            dependencies: [
                "MachineAuthCore",
                "JSONStorage",
                "ClientSecretAuthenticator",
                "PrivateKeyJWTAuthenticator",
                "TLSClientAuthenticator",
                "DPoPProofVerifier",
                "ClientCredentialsGrant",
                "RefreshTokenGrant",
                "JWTBearerGrant",
                "AuditSink",
                "APIKeyAuthenticator",
                "OrgTeamEnricher",
                "CustomClaimsEnricher",
                "PostgresStorage",
                "WebhookNotifier",
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "machineauth",
            dependencies: [
                "MachineAuthCore",
                "MachineAuthServer",
                "MachineAuthStages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        plugin("JSONStorage"),
        plugin("ClientSecretAuthenticator"),
        // JWTs from outside (client assertions, DPoP proofs), read and verified by JWTKit in one place.
        .target(
            name: "ExternalJWT",
            dependencies: ["MachineAuthCore", .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: swiftSettings
        ),
        // Outbound HTTP to URLs someone else chose (webhooks, JWK Sets, OIDC discovery): the SSRF guard in one place.
        .target(
            name: "OutboundHTTP",
            dependencies: [
                "MachineAuthCore", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // JWK Sets and OIDC discovery documents fetched through the SSRF guard and cached by their HTTP headers.
        .target(
            name: "RemoteKeySets",
            dependencies: [
                "MachineAuthCore", "OutboundHTTP", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        plugin("JWTBearerGrant", dependencies: [
            "ExternalJWT", "OutboundHTTP", "RemoteKeySets", .product(name: "JWTKit", package: "jwt-kit"),
        ]),
        plugin("PrivateKeyJWTAuthenticator", dependencies: [
            "ExternalJWT", "OutboundHTTP", "RemoteKeySets", .product(name: "JWTKit", package: "jwt-kit"),
        ]),
        plugin("DPoPProofVerifier", dependencies: [
            "ExternalJWT", .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        plugin("TLSClientAuthenticator"),
        plugin("ClientCredentialsGrant"),
        plugin("RefreshTokenGrant"),
        plugin("AuditSink"),
        plugin("APIKeyAuthenticator"),
        plugin("OrgTeamEnricher"),
        plugin("CustomClaimsEnricher"),
        plugin("WebhookNotifier", dependencies: [
            "OutboundHTTP", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        plugin("PostgresStorage", dependencies: [
            .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(
            name: "MachineAuthTesting",
            dependencies: [
                "MachineAuthCore", "JSONStorage", "PostgresStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/MachineAuthTesting",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MachineAuthServerTesting",
            dependencies: ["MachineAuthCore", "MachineAuthServer", "MachineAuthStages", "MachineAuthTesting", .product(name: "Logging", package: "swift-log")],
            path: "Tests/MachineAuthServerTesting",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MachineAuthCoreTests",
            dependencies: [
                "MachineAuthCore", "MachineAuthTesting", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MachineAuthStagesTests",
            dependencies: ["MachineAuthCore", "MachineAuthStages", "MachineAuthTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MachineAuthServerTests",
            dependencies: [
                "MachineAuthCore", "MachineAuthServer", "MachineAuthTesting", "MachineAuthServerTesting", "MachineAuthStages", "JSONStorage",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StorageConformanceTests",
            dependencies: ["MachineAuthCore", "JSONStorage", "PostgresStorage", "MachineAuthTesting"],
            swiftSettings: swiftSettings
        ),
        pluginTests("JSONStorage"),
        pluginTests("ClientSecretAuthenticator"),
        pluginTests("PrivateKeyJWTAuthenticator", dependencies: ["RemoteKeySets", "OutboundHTTP", .product(name: "JWTKit", package: "jwt-kit")]),
        pluginTests("DPoPProofVerifier", dependencies: [
            .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        pluginTests("TLSClientAuthenticator"),
        pluginTests("RefreshTokenGrant"),
        pluginTests("AuditSink"),
        pluginTests("APIKeyAuthenticator"),
        pluginTests("OrgTeamEnricher"),
        pluginTests("CustomClaimsEnricher", dependencies: ["OrgTeamEnricher"]),
        .testTarget(name: "OutboundHTTPTests", dependencies: ["OutboundHTTP", "MachineAuthCore"], swiftSettings: swiftSettings),
        pluginTests("JWTBearerGrant", dependencies: [
            "RemoteKeySets", "OutboundHTTP", .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "MachineAuthTesting", "MachineAuthServerTesting", "MachineAuthCore", "MachineAuthStages",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
