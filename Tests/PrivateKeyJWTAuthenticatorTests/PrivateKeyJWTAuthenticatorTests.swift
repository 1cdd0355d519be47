import Crypto
import Foundation
import JWTKit
import MachineAuthCore
import MachineAuthTesting
import PrivateKeyJWTAuthenticator
import OutboundHTTP
import RemoteKeySets
import Logging
import Testing

/// Assertions are signed with JWTKit from keys made here, never with the server's own signing code.
@Suite("private_key_jwt stage")
struct PrivateKeyJWTAuthenticatorTests {
    static let issuer = "https://auth.example"
    static let registry = ConfigFixtures.registry { $0.register(PrivateKeyJWTAuthenticatorFactory.self) }

    /// A client key pair: the public JWK registered with the agent, the private one signing.
    struct ClientKey {
        let publicJWK: [String: JSONValue]
        let privateJWK: JWK
        let alg: String

        static func p256(kid: String) throws -> ClientKey {
            let key = P256.Signing.PrivateKey()
            let raw = key.publicKey.rawRepresentation
            let x = Base64URL.encode(raw.prefix(32)), y = Base64URL.encode(raw.suffix(32))
            let jwk = JWK.ecdsa(.es256, identifier: JWKIdentifier(string: kid), x: x, y: y, curve: .p256, privateKey: Base64URL.encode(key.rawRepresentation))
            return ClientKey(publicJWK: ["kty": "EC", "crv": "P-256", "kid": .string(kid), "x": .string(x), "y": .string(y)], privateJWK: jwk, alg: "ES256")
        }

        static func ed25519(kid: String) throws -> ClientKey {
            let key = Curve25519.Signing.PrivateKey()
            let x = Base64URL.encode(key.publicKey.rawRepresentation)
            let jwk = JWK.octetKeyPair(.eddsa, identifier: JWKIdentifier(string: kid), x: x, y: nil, curve: .ed25519,
                                       privateKey: Base64URL.encode(key.rawRepresentation))
            return ClientKey(publicJWK: ["kty": "OKP", "crv": "Ed25519", "kid": .string(kid), "x": .string(x)], privateJWK: jwk, alg: "EdDSA")
        }
    }

    struct Claims: JWTPayload {
        var iss: String?
        var sub: String?
        var aud: AudienceClaim?
        var exp: Int?
        var iat: Int?
        var jti: String?

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    func assertion(_ key: ClientKey, _ claims: Claims, kid: String? = nil) async throws -> String {
        let keys = JWTKeyCollection()
        try await keys.add(jwk: key.privateJWK)
        var header = JWTHeader()
        header.alg = key.alg
        header.kid = kid ?? key.publicJWK["kid"]?.stringValue
        return try await keys.sign(claims, header: header)
    }

    func claims(_ clientID: String, at now: Date, aud: String = issuer, lifetime: Int = 120) -> Claims {
        let time = Int(now.timeIntervalSince1970)
        return Claims(iss: clientID, sub: clientID, aud: AudienceClaim(value: [aud]), exp: time + lifetime, iat: time, jti: RandomToken.uuid())
    }

    func presentation(_ assertion: String, clientID: String? = nil, purpose: CredentialPurpose = .clientAuthentication) -> CredentialPresentation {
        var parameters = ["client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": assertion]
        parameters["client_id"] = clientID
        return CredentialPresentation(purpose: purpose, authorization: nil, parameters: parameters)
    }

    func stage(_ environment: StageEnvironment) -> PrivateKeyJWTAuthenticator {
        PrivateKeyJWTAuthenticator(
            config: .init(), agents: environment.storage, replays: environment.storage,
            remote: RemoteKeySets(http: GuardedHTTPClient(timeout: ConfigDuration(seconds: 1), allowPrivateTargets: false), logger: Logger(label: "test")),
            issuer: Self.issuer, logger: Logger(label: "test"), now: environment.clock.source)
    }

    func agent(_ environment: StageEnvironment, keys: [ClientKey], active: Bool = true) async throws -> Agent {
        let agent = Agent(
            id: RandomToken.uuid(), name: "signer", clientID: RandomToken.hex(prefix: "cid_", bytes: 8), secrets: [], scopes: ["read"],
            isActive: active, createdAt: environment.clock.now, tokenEndpointAuthMethod: Agent.privateKeyJWT,
            jwks: try FieldRules.clientKeys(["keys": .array(keys.map { .object($0.publicJWK) })]))
        try await environment.storage.insertAgent(agent)
        return agent
    }

    func refusal(_ stage: PrivateKeyJWTAuthenticator, _ presentation: CredentialPresentation) async -> String? {
        do {
            _ = try await stage.authenticate(presentation)
            return nil
        } catch let error as OAuthError {
            return error.code == "invalid_client" ? error.description : "\(error.code): \(error.description)"
        } catch {
            return "\(error)"
        }
    }

    @Test("validates its options and advertises the method and algorithms")
    func options() async throws {
        #expect(ConfigFixtures.problems("authenticators:\n  - type: private_key_jwt\n    max_lifetime: 2h\n", registry: Self.registry).first?.keyPath.hasSuffix("max_lifetime") == true)
        try await StageEnvironment.with { environment in
            let capabilities = stage(environment).capabilities
            #expect(capabilities.clientAuthMethods == ["private_key_jwt"])
            #expect(capabilities.signingAlgorithms == ["ES256", "EdDSA", "PS256", "RS256"])
        }
    }

    @Test("ES256 and EdDSA assertions authenticate, with aud the issuer or the token endpoint; each works once")
    func accepted() async throws {
        try await StageEnvironment.with { environment in
            let keys = [try ClientKey.p256(kid: "p"), try ClientKey.ed25519(kid: "e")]
            let agent = try await agent(environment, keys: keys)
            let stage = stage(environment)
            for (key, aud) in zip(keys, [Self.issuer, Self.issuer + "/oauth/token"]) {
                let signed = try await assertion(key, claims(agent.clientID, at: environment.clock.now, aud: aud))
                guard case .client(let principal)? = try await stage.authenticate(presentation(signed, clientID: agent.clientID)) else {
                    Issue.record("\(key.alg) not authenticated")
                    continue
                }
                #expect(principal.agent.id == agent.id && principal.method == "private_key_jwt")
                #expect(await refusal(stage, presentation(signed))?.contains("used before") == true, "a replayed jti is refused")
            }
        }
    }

    @Test("wrong audience, expired, too long-lived, unknown kid, another key, a mismatched client_id are invalid_client")
    func refused() async throws {
        try await StageEnvironment.with { environment in
            let key = try ClientKey.p256(kid: "k1")
            let agent = try await agent(environment, keys: [key])
            let stage = stage(environment)
            let now = environment.clock.now
            let cases: [(String, String, String)] = [
                ("aud", try await assertion(key, claims(agent.clientID, at: now, aud: "https://other.example")), "aud must be this server alone"),
                ("two audiences", try await assertion(key, Claims(iss: agent.clientID, sub: agent.clientID, aud: AudienceClaim(value: [Self.issuer, "https://other.example"]),
                                                                 exp: Int(now.timeIntervalSince1970) + 60, jti: "j")), "aud must be this server alone"),
                ("expired", try await assertion(key, claims(agent.clientID, at: now.addingTimeInterval(-600))), "expired"),
                ("lifetime", try await assertion(key, claims(agent.clientID, at: now, lifetime: 3600)), "at most"),
                ("kid", try await assertion(key, claims(agent.clientID, at: now), kid: "k2"), "client authentication failed"),
                ("other key", try await assertion(try ClientKey.p256(kid: "k1"), claims(agent.clientID, at: now)), "client authentication failed"),
            ]
            for (name, signed, reason) in cases {
                let answer = await refusal(stage, presentation(signed))
                #expect(answer?.contains(reason) == true, "\(name): \(answer ?? "accepted")")
            }
            let good = try await assertion(key, claims(agent.clientID, at: now))
            #expect(await refusal(stage, presentation(good, clientID: "cid_other"))?.contains("does not match") == true)
            var noJTI = claims(agent.clientID, at: now)
            noJTI.jti = nil
            #expect(await refusal(stage, presentation(try await assertion(key, noJTI)))?.contains("jti") == true)
        }
    }

    @Test("a secret client's assertion is refused; a deactivated agent may only reactivate itself")
    func agentState() async throws {
        try await StageEnvironment.with { environment in
            let key = try ClientKey.p256(kid: "k")
            let secretClient = try await environment.agent(secret: "cs")
            let stage = stage(environment)
            let foreign = try await assertion(key, claims(secretClient.clientID, at: environment.clock.now))
            #expect(await refusal(stage, presentation(foreign))?.contains("client authentication failed") == true)
            let sleeping = try await agent(environment, keys: [key], active: false)
            let first = try await assertion(key, claims(sleeping.clientID, at: environment.clock.now))
            #expect(await refusal(stage, presentation(first))?.contains("deactivated") == true)
            let second = try await assertion(key, claims(sleeping.clientID, at: environment.clock.now))
            guard case .client? = try await stage.authenticate(presentation(second, purpose: .reactivation)) else {
                Issue.record("reactivation refused")
                return
            }
        }
    }

    @Test("requests without an assertion are not this stage's")
    func notMine() async throws {
        try await StageEnvironment.with { environment in
            let caller = try await stage(environment).authenticate(CredentialPresentation(purpose: .clientAuthentication, authorization: nil, parameters: ["client_id": "x"]))
            #expect(caller == nil)
        }
    }
}
