import Benchmark
import Foundation
import MachineAuthCore
import MachineAuthStages

/// The work on every token request or validation, without HTTP: signing per algorithm,
/// parsing and verifying a token, hashing and checking a secret, matching gateway rules,
/// and loading the pipeline configuration.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))

    let claims: [String: JSONValue] = [
        "iss": "https://auth.example.com", "sub": "cid_0123456789abcdef01234567", "aud": "https://api.example.com",
        "exp": 1_900_000_000, "iat": 1_800_000_000, "nbf": 1_800_000_000, "jti": "1800000000000-0123456789abcdef01234567",
        "client_id": "cid_0123456789abcdef01234567", "scope": "read write", "agent_id": "6b2d3a51-0000-4000-8000-000000000000",
        "org_id": "a1b2c3d4", "org_slug": "acme",
    ]

    for algorithm in SigningAlgorithm.allCases {
        let key = try! SigningKey.generate(algorithm, kid: "bench")
        Benchmark("sign \(algorithm.rawValue) access token") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try JWS.sign(header: ["typ": "at+jwt"], claims: claims, with: key))
            }
        }
        let token = try! JWS.sign(header: ["typ": "at+jwt"], claims: claims, with: key)
        let verifier = key.verificationKey
        Benchmark("parse + verify \(algorithm.rawValue) access token") { benchmark in
            for _ in benchmark.scaledIterations {
                let parsed = try JWS.parse(token)
                blackHole(verifier.verify(parsed.signature, for: parsed.signingInput))
            }
        }
    }

    let hasher = SecretHasher(key: Data(repeating: 7, count: 32))
    let secret = AgentService.generateSecret()
    let stored = hasher.hash(secret)
    Benchmark("hash + verify client secret (HMAC-SHA-256)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(hasher.verify(secret, against: stored))
        }
    }

    let rules = (0..<50).map { "    - match: { host: \"svc\($0).example.com\", path: \"/v\($0 % 3)/items/**\", methods: [GET, POST] }\n      require_scopes: [read]" }
        .joined(separator: "\n")
    let gateway = try! PipelineLoader(registry: .standard).load(
        ConfigSource(name: "bench.yaml", text: "gateway:\n  rules:\n" + rules + "\n    - match: { path: \"/public/**\" }\n      allow_anonymous: true\n", dotEnvPath: nil),
        environment: ConfigEnvironment([:])).settings.gateway
    Benchmark("match a request against 51 gateway rules (the last one matches)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(gateway.rule(method: "GET", host: "api.example.com", path: PathPattern.normalize("/public/docs/../index.html")))
        }
    }

    Benchmark("load the default pipeline configuration", configuration: .init(maxDuration: .seconds(3))) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try PipelineLoader(registry: .standard).load(.embedded(DefaultConfiguration.yaml), environment: ConfigEnvironment([:])))
        }
    }
}
