import ClientSecretAuthenticator
import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("client_secret stage")
struct ClientSecretAuthenticatorTests {
    /// Configurations load through this plugin's stage only.
    static let registry = ConfigFixtures.registry { $0.register(ClientSecretAuthenticatorFactory.self) }

    func presentation(basic: (String, String)? = nil, form: [String: String] = [:], purpose: CredentialPurpose = .clientAuthentication) -> CredentialPresentation {
        let header = basic.map { "Basic " + Data("\($0.0):\($0.1)".utf8).base64EncodedString() }
        return CredentialPresentation(purpose: purpose, authorization: header, parameters: form)
    }

    func authenticator(_ environment: StageEnvironment, _ config: ClientSecretAuthenticatorFactory.Config = .init()) throws -> ClientSecretAuthenticator {
        ClientSecretAuthenticator(config: config, agents: environment.storage, hasher: environment.hasher, now: environment.clock.source)
    }

    @Test("decodes its options")
    func registry() {
        let config = ConfigFixtures.load("authenticators:\n  - type: client_secret\n    allow_post: false\n", registry: Self.registry)
        #expect((try? config.get())?.authenticators.map(\.type) == ["client_secret"])
        let bad = ConfigFixtures.problems("authenticators:\n  - type: client_secret\n    allow_basic: false\n    allow_post: false\n", registry: Self.registry)
        #expect(bad.first?.message == "allow_basic and allow_post cannot both be false")
        let typo = ConfigFixtures.problems("authenticators:\n  - type: client_secret\n    allow_pots: true\n", registry: Self.registry)
        #expect(typo.first?.message.contains("did you mean \"allow_post\"") == true)
    }

    @Test("accepts Basic and post credentials; reports the method")
    func methods() async throws {
        try await StageEnvironment.with { environment in
            let agent = try await environment.agent(secret: "cs_s3cret:with+reserved")
            let stage = try authenticator(environment)
            let encoded = "cs_s3cret%3Awith%2Breserved"
            guard case .client(let viaBasic) = try await stage.authenticate(presentation(basic: (agent.clientID, encoded))) else {
                Issue.record("Basic failed"); return
            }
            #expect(viaBasic.method == "client_secret_basic")
            guard case .client(let viaPost) = try await stage.authenticate(presentation(form: ["client_id": agent.clientID, "client_secret": "cs_s3cret:with+reserved"])) else {
                Issue.record("post failed"); return
            }
            #expect(viaPost.method == "client_secret_post")
            #expect(try await stage.authenticate(presentation()) == nil, "no credentials: not mine")
            #expect(try await stage.authenticate(presentation(form: ["x": "y"], purpose: .apiAccess)) == nil)
        }
    }

    @Test("wrong secrets, unknown clients, inactive and expired agents are invalid_client")
    func failures() async throws {
        try await StageEnvironment.with { environment in
            let stage = try authenticator(environment)
            let active = try await environment.agent(secret: "cs_a")
            let inactive = try await environment.agent(secret: "cs_b", active: false)
            let expired = try await environment.agent(secret: "cs_c", expiresAt: environment.clock.now.addingTimeInterval(-1))
            for (id, secret) in [(active.clientID, "cs_wrong"), ("cid_unknown", "cs_a"), (inactive.clientID, "cs_b"), (expired.clientID, "cs_c")] {
                await #expect(throws: OAuthError.self) { _ = try await stage.authenticate(presentation(basic: (id, secret))) }
            }
            let failure = await #expect(throws: OAuthError.self) {
                _ = try await stage.authenticate(presentation(basic: (active.clientID, "cs_wrong")))
            }
            #expect(failure?.challenge == .basic && failure?.status == 401 && failure?.code == "invalid_client")
        }
    }

    @Test("an inactive agent may prove itself for reactivation only")
    func reactivation() async throws {
        try await StageEnvironment.with { environment in
            let inactive = try await environment.agent(secret: "cs_b", active: false)
            let principal = try await authenticator(environment).authenticate(presentation(basic: (inactive.clientID, "cs_b"), purpose: .reactivation))
            #expect(principal != nil)
        }
    }

    @Test("both methods at once, or a disabled method, are refused")
    func methodRules() async throws {
        try await StageEnvironment.with { environment in
            let agent = try await environment.agent(secret: "cs_a")
            let stage = try authenticator(environment)
            await #expect(throws: OAuthError.invalidRequest("use one client authentication method, not both Basic and client_secret")) {
                _ = try await stage.authenticate(presentation(basic: (agent.clientID, "cs_a"), form: ["client_secret": "cs_a"]))
            }
            let basicOnly = try authenticator(environment, .init(allowBasic: true, allowPost: false))
            await #expect(throws: OAuthError.self) {
                _ = try await basicOnly.authenticate(presentation(form: ["client_id": agent.clientID, "client_secret": "cs_a"]))
            }
        }
    }
}
