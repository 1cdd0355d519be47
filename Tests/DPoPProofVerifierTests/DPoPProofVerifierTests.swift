import Crypto
import Foundation
@testable import DPoPProofVerifier
import MachineAuthCore
import MachineAuthTesting
import Testing

/// Proofs are signed by ``DPoPTestKey`` with swift-crypto, never with the stage's own code.
@Suite("dpop stage")
struct DPoPProofVerifierTests {
    static let registry = ConfigFixtures.registry { $0.register(DPoPProofVerifierFactory.self) }
    static let tokenURL = "https://auth.example/oauth/token"

    func stage(_ environment: StageEnvironment, _ config: DPoPProofVerifierFactory.Config = .init()) -> DPoPProofVerifier {
        DPoPProofVerifier(config: config, replays: environment.storage, hasher: environment.hasher)
    }

    func tokenRequest(_ environment: StageEnvironment, url: String = tokenURL) -> DPoPRequest {
        DPoPRequest(method: "POST", url: url, isTokenRequest: true, at: environment.clock.now)
    }

    func refusal(_ body: () async throws -> Void) async -> OAuthError? {
        do {
            try await body()
            return nil
        } catch let error as OAuthError {
            return error
        } catch {
            Issue.record("not an OAuthError: \(error)")
            return nil
        }
    }

    @Test("options: defaults, bounds, algorithms; the section is found by its type")
    func options() throws {
        let loaded = try ConfigFixtures.load("dpop:\n  type: dpop\n", registry: Self.registry).get()
        #expect(loaded.dpop?.type == "dpop")
        #expect(try ConfigFixtures.load("server: {}\n", registry: Self.registry).get().dpop == nil)
        let defaults = DPoPProofVerifierFactory.Config()
        #expect(defaults.algorithms == ["ES256", "EdDSA", "PS256", "RS256"] && !defaults.required && !defaults.nonce && defaults.maxAge.seconds == 300)
        let cases = [
            ("dpop:\n  type: dpop\n  max_age: 2h\n", "dpop.max_age"), ("dpop:\n  type: dpop\n  clock_skew: 1h\n", "dpop.clock_skew"),
            ("dpop:\n  type: dpop\n  algorithms: [HS256]\n", "dpop.algorithms"), ("dpop:\n  type: dpop\n  algorithms: []\n", "dpop.algorithms"),
            ("dpop:\n  type: dpop\n  nonce_lifetime: 1s\n", "dpop.nonce_lifetime"), ("dpop:\n  type: dpop\n  required: maybe\n", "dpop.required"),
            ("dpop:\n  type: dpop\n  nonces: true\n", "dpop.nonces"), ("dpop:\n  type: dpopp\n", "dpop.type"), ("dpop:\n  required: true\n", "dpop"),
            ("dpop: [dpop]\n", "dpop"),
        ]
        for (yaml, keyPath) in cases {
            let problems = ConfigFixtures.problems(yaml, registry: Self.registry)
            #expect(problems.contains { $0.keyPath == keyPath }, "\(yaml): \(problems)")
        }
    }

    @Test("ES256 and EdDSA proofs verify and give the RFC 7638 thumbprint of their key; each works once")
    func accepted() async throws {
        try await StageEnvironment.with { environment in
            let stage = stage(environment)
            for key in [DPoPTestKey(.p256), DPoPTestKey(.ed25519)] {
                let proof = key.proof("POST", Self.tokenURL, at: environment.clock.now)
                let verified = try await stage.verify(proof, for: tokenRequest(environment))
                #expect(verified.thumbprint == key.thumbprint)
                let again = await refusal { _ = try await stage.verify(proof, for: tokenRequest(environment)) }
                #expect(again?.code == "invalid_dpop_proof" && again?.message.contains("used before") == true)
            }
            let claims = DPoPTestKey().claims("POST", Self.tokenURL, at: environment.clock.now)
            _ = try await stage.verify(DPoPTestKey().sign(claims: claims, header: ["typ": "application/DPoP+JWT"]), for: tokenRequest(environment))
        }
    }

    @Test("the RFC 7638 §3.1 example key has the RFC's thumbprint")
    func thumbprintVector() {
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key: [String: JSONValue] = ["kty": "RSA", "n": .string(n), "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"]
        #expect(JWKThumbprint.sha256(key) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test("htm, htu, iat (also absurd values), ath, typ, alg, jwk, crit and size are checked: invalid_dpop_proof")
    func refused() async throws {
        try await StageEnvironment.with { environment in
            let stage = stage(environment)
            let key = DPoPTestKey(.p256)
            let now = environment.clock.now
            let claims = key.claims("POST", Self.tokenURL, at: now)
            var privateJWK = key.publicJWK
            privateJWK["d"] = "AAAA"
            func with(_ name: String, _ value: JSONValue?) -> [String: JSONValue] {
                var changed = claims
                changed[name] = value
                return changed
            }
            let cases: [(String, String, DPoPRequest)] = [
                ("htm", key.proof("GET", Self.tokenURL, at: now), tokenRequest(environment)),
                ("htu", key.proof("POST", "https://other.example/oauth/token", at: now), tokenRequest(environment)),
                ("htu path", key.proof("POST", "https://auth.example/oauth/tokens", at: now), tokenRequest(environment)),
                ("old", key.proof("POST", Self.tokenURL, at: now.addingTimeInterval(-361)), tokenRequest(environment)),
                ("future", key.proof("POST", Self.tokenURL, at: now.addingTimeInterval(61)), tokenRequest(environment)),
                ("huge iat", key.sign(claims: with("iat", .double(1e308))), tokenRequest(environment)),
                ("negative iat", key.sign(claims: with("iat", .int(Int.min))), tokenRequest(environment)),
                ("string iat", key.sign(claims: with("iat", "now")), tokenRequest(environment)),
                ("no iat", key.sign(claims: with("iat", nil)), tokenRequest(environment)),
                ("no jti", key.sign(claims: with("jti", nil)), tokenRequest(environment)),
                ("no ath", key.proof("GET", "https://api.example/x", at: now),
                 DPoPRequest(method: "GET", url: "https://api.example/x", accessToken: "tok", at: now)),
                ("wrong ath", key.proof("GET", "https://api.example/x", at: now, accessToken: "other"),
                 DPoPRequest(method: "GET", url: "https://api.example/x", accessToken: "tok", at: now)),
                ("typ", key.sign(claims: claims, header: ["typ": "JWT"]), tokenRequest(environment)),
                ("alg none", key.sign(claims: claims, header: ["alg": "none"]), tokenRequest(environment)),
                ("HS256", key.sign(claims: claims, header: ["alg": "HS256"]), tokenRequest(environment)),
                ("EdDSA with an EC key", key.sign(claims: claims, header: ["alg": "EdDSA"]), tokenRequest(environment)),
                ("private jwk", key.sign(claims: claims, header: ["jwk": .object(privateJWK)]), tokenRequest(environment)),
                ("another key's jwk", key.sign(claims: claims, header: ["jwk": .object(DPoPTestKey().publicJWK)]), tokenRequest(environment)),
                ("no jwk", key.sign(claims: claims, header: ["jwk": .null]), tokenRequest(environment)),
                ("crit", key.sign(claims: claims, header: ["crit": ["b64"], "b64": false]), tokenRequest(environment)),
                ("size", key.sign(claims: with("jti", .string(String(repeating: "j", count: 9000)))), tokenRequest(environment)),
                ("not a JWS", "a.b", tokenRequest(environment)),
            ]
            for (name, proof, request) in cases {
                let error = await refusal { _ = try await stage.verify(proof, for: request) }
                #expect(error?.code == "invalid_dpop_proof" && error?.status == 400, "\(name): \(String(describing: error))")
            }
        }
    }

    @Test("htu: scheme and host case, default port, query and fragment do not matter; other ports do")
    func urls() async throws {
        try await StageEnvironment.with { environment in
            let stage = stage(environment)
            let key = DPoPTestKey()
            for url in ["HTTPS://Auth.Example/oauth/token", "https://auth.example:443/oauth/token?x=1", "https://auth.example/oauth/token#f"] {
                _ = try await stage.verify(key.proof("POST", url, at: environment.clock.now), for: tokenRequest(environment))
            }
            let error = await refusal {
                _ = try await stage.verify(key.proof("POST", "https://auth.example:8443/oauth/token", at: environment.clock.now), for: tokenRequest(environment))
            }
            #expect(error?.code == "invalid_dpop_proof")
        }
    }

    @Test("nonces: required at the token endpoint, accepted by another instance of the deployment, not by another deployment, expire")
    func nonces() async throws {
        try await StageEnvironment.with { environment in
            let stage = stage(environment, .init(nonce: true, nonceLifetime: ConfigDuration(seconds: 60)))
            let key = DPoPTestKey()
            let missing = await refusal { _ = try await stage.verify(key.proof("POST", Self.tokenURL, at: environment.clock.now), for: tokenRequest(environment)) }
            #expect(missing?.code == "use_dpop_nonce" && missing?.status == 400)
            let nonce = try #require(missing?.dpopNonce)
            #expect(nonce == stage.currentNonce(at: environment.clock.now))
            // Another instance (same deployment key) accepts it; resources do not ask for one.
            let other = DPoPProofVerifier(config: .init(nonce: true, nonceLifetime: ConfigDuration(seconds: 60)), replays: environment.storage, hasher: environment.hasher)
            _ = try await other.verify(key.proof("POST", Self.tokenURL, at: environment.clock.now, nonce: nonce), for: tokenRequest(environment))
            _ = try await other.verify(key.proof("GET", "https://api.example/x", at: environment.clock.now, accessToken: "t"),
                                       for: DPoPRequest(method: "GET", url: "https://api.example/x", accessToken: "t", at: environment.clock.now))
            let foreign = DPoPProofVerifier(config: .init(nonce: true), replays: environment.storage, hasher: SecretHasher(key: Data("other".utf8)))
            let refusedElsewhere = await refusal {
                _ = try await foreign.verify(key.proof("POST", Self.tokenURL, at: environment.clock.now, nonce: nonce), for: tokenRequest(environment))
            }
            #expect(refusedElsewhere?.code == "use_dpop_nonce" && refusedElsewhere?.dpopNonce != nil)
            environment.clock.advance(130)
            let stale = await refusal { _ = try await stage.verify(key.proof("POST", Self.tokenURL, at: environment.clock.now, nonce: nonce), for: tokenRequest(environment)) }
            #expect(stale?.code == "use_dpop_nonce" && stale?.dpopNonce != nonce)
            for garbage in ["", ".", "99999999999999999999999.x", "-1.abc", "1.\u{0}"] {
                #expect(!DPoPNonces(hasher: environment.hasher, window: 60).accepts(garbage, at: environment.clock.now))
            }
        }
    }

    @Test("without nonce: true, no nonce is handed out or asked for")
    func noNonces() async throws {
        try await StageEnvironment.with { environment in
            let stage = stage(environment)
            #expect(stage.currentNonce(at: environment.clock.now) == nil)
            _ = try await stage.verify(DPoPTestKey().proof("POST", Self.tokenURL, at: environment.clock.now), for: tokenRequest(environment))
        }
    }
}
