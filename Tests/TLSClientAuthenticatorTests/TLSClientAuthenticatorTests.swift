import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing
import TLSClientAuthenticator

/// Client authentication by certificate (RFC 8705 §2), called directly with certificates openssl made.
@Suite("tls_client_auth stage")
struct TLSClientAuthenticatorTests {
    static let registry = ConfigFixtures.registry { $0.register(TLSClientAuthenticatorFactory.self) }
    static let issued = try! ClientCertificate.parse(escapedPEM: CertificateFixtures.escaped(CertificateFixtures.pemIssued))
    static let a = try! ClientCertificate.parse(escapedPEM: CertificateFixtures.escaped(CertificateFixtures.pemA))
    static let b = try! ClientCertificate.parse(escapedPEM: CertificateFixtures.escaped(CertificateFixtures.pemB))

    func stage(_ environment: StageEnvironment, methods: [String] = TLSClientAuthenticatorFactory.Config.allMethods, reads: Bool = true)
        -> TLSClientAuthenticator
    {
        TLSClientAuthenticator(methods: methods, agents: environment.storage, readsCertificates: reads, now: environment.clock.source)
    }

    func agent(
        _ environment: StageEnvironment, method: String, subject: TLSClientAuthSubject? = nil, jwks: JSONValue? = nil, active: Bool = true
    ) async throws -> Agent {
        let agent = Agent(
            id: RandomToken.uuid(), name: "mtls", clientID: RandomToken.hex(prefix: "cid_", bytes: 8), secrets: [], scopes: ["read"],
            isActive: active, createdAt: environment.clock.now, tokenEndpointAuthMethod: method,
            jwks: try jwks.map { try FieldRules.certificateKeys($0) }, tlsClientAuthSubject: subject)
        try await environment.storage.insertAgent(agent)
        return agent
    }

    func presentation(
        _ clientID: String, certificate: ClientCertificate?, parameters extra: [String: String] = [:], authorization: String? = nil
    ) -> CredentialPresentation {
        var presentation = CredentialPresentation(
            purpose: .clientAuthentication, authorization: authorization, parameters: ["client_id": clientID].merging(extra) { $1 })
        presentation.clientCertificate = certificate
        return presentation
    }

    func principal(_ caller: Caller?) -> AgentPrincipal? {
        if case .client(let principal)? = caller { return principal }
        return nil
    }

    @Test("tls_client_auth: the CA-issued certificate with the registered subject authenticates; another is invalid_client")
    func pki() async throws {
        try await StageEnvironment.with { environment in
            let subject = TLSClientAuthSubject(kind: .subjectDN, value: CertificateFixtures.issuedSubjectDN)
            let agent = try await agent(environment, method: Agent.tlsClientAuth, subject: subject)
            let accepted = try await stage(environment).authenticate(presentation(agent.clientID, certificate: Self.issued))
            #expect(principal(accepted)?.agent.id == agent.id && principal(accepted)?.method == Agent.tlsClientAuth)
            for other in [Self.a, Self.b] {
                await #expect {
                    _ = try await stage(environment).authenticate(presentation(agent.clientID, certificate: other))
                } throws: { error in
                    (error as? OAuthError)?.code == "invalid_client" && (error as? OAuthError)?.clientID == agent.clientID
                }
            }
            let san = try await self.agent(environment, method: Agent.tlsClientAuth, subject: TLSClientAuthSubject(kind: .sanURI, value: "spiffe://example.org/ns/prod/sa/agent-a"))
            #expect(principal(try await stage(environment).authenticate(presentation(san.clientID, certificate: Self.issued))) != nil)
        }
    }

    @Test("self_signed_tls_client_auth: the certificate registered in x5c authenticates; another is invalid_client")
    func selfSigned() async throws {
        try await StageEnvironment.with { environment in
            let agent = try await agent(environment, method: Agent.selfSignedTLSClientAuth, jwks: CertificateFixtures.jwksWithA)
            let accepted = try await stage(environment).authenticate(presentation(agent.clientID, certificate: Self.a))
            #expect(principal(accepted)?.method == Agent.selfSignedTLSClientAuth)
            for other in [Self.b, Self.issued] {
                await #expect(throws: OAuthError.self) { _ = try await stage(environment).authenticate(presentation(agent.clientID, certificate: other)) }
            }
        }
    }

    @Test("without a certificate the client is refused, saying it needs mutual TLS")
    func noCertificate() async throws {
        try await StageEnvironment.with { environment in
            let agent = try await agent(environment, method: Agent.selfSignedTLSClientAuth, jwks: CertificateFixtures.jwksWithA)
            await #expect {
                _ = try await stage(environment).authenticate(presentation(agent.clientID, certificate: nil))
            } throws: { error in
                (error as? OAuthError)?.code == "invalid_client" && (error as? OAuthError)?.message.contains("mutual TLS") == true
            }
        }
    }

    @Test("not this stage's: other methods, unknown clients, other credentials, a method not offered, no certificate header")
    func notMine() async throws {
        try await StageEnvironment.with { environment in
            let secretAgent = try await environment.agent(secret: "cs_x")
            #expect(try await stage(environment).authenticate(presentation(secretAgent.clientID, certificate: Self.a)) == nil)
            #expect(try await stage(environment).authenticate(presentation("cid_unknown", certificate: Self.a)) == nil)
            let agent = try await agent(environment, method: Agent.selfSignedTLSClientAuth, jwks: CertificateFixtures.jwksWithA)
            for extra in [["client_secret": "x"], ["client_assertion": "x"], ["client_assertion_type": "x"]] {
                #expect(try await stage(environment).authenticate(presentation(agent.clientID, certificate: Self.a, parameters: extra)) == nil)
            }
            let basic = "Basic " + Data("\(agent.clientID):x".utf8).base64EncodedString()
            #expect(try await stage(environment).authenticate(presentation(agent.clientID, certificate: Self.a, authorization: basic)) == nil)
            #expect(try await stage(environment, methods: [Agent.tlsClientAuth]).authenticate(presentation(agent.clientID, certificate: Self.a)) == nil)
            let off = stage(environment, reads: false)
            #expect(off.capabilities.clientAuthMethods.isEmpty)
            #expect(try await off.authenticate(presentation(agent.clientID, certificate: Self.a)) == nil)
        }
    }

    @Test("a deactivated agent only reactivates itself")
    func deactivated() async throws {
        try await StageEnvironment.with { environment in
            let agent = try await agent(environment, method: Agent.selfSignedTLSClientAuth, jwks: CertificateFixtures.jwksWithA, active: false)
            await #expect(throws: OAuthError.self) { _ = try await stage(environment).authenticate(presentation(agent.clientID, certificate: Self.a)) }
            var reactivation = presentation(agent.clientID, certificate: Self.a)
            reactivation.purpose = .reactivation
            #expect(principal(try await stage(environment).authenticate(reactivation)) != nil)
        }
    }

    @Test("config: both methods by default, advertised; unknown methods refused naming the key; found by type in the registry")
    func config() throws {
        #expect(ConfigFixtures.problems("authenticators:\n  - type: tls_client_auth\n", registry: Self.registry).isEmpty)
        #expect(ConfigFixtures.problems("authenticators:\n  - type: tls_client_auth\n    methods: [self_signed_tls_client_auth]\n", registry: Self.registry).isEmpty)
        let problems = ConfigFixtures.problems("authenticators:\n  - type: tls_client_auth\n    methods: [tls_client_auth, mtls]\n", registry: Self.registry)
        #expect(problems.first?.keyPath.hasSuffix("methods[1]") == true && problems.first?.message.contains("tls_client_auth, self_signed_tls_client_auth") == true)
        #expect(!ConfigFixtures.problems("authenticators:\n  - type: tls_client_auth\n    methods: []\n", registry: Self.registry).isEmpty)
        #expect(!ConfigFixtures.problems("authenticators:\n  - type: tls_client_auth\n    method: x\n", registry: Self.registry).isEmpty)
        #expect(Self.registry.kinds(of: "tls_client_auth") == [.authenticator])
    }
}
