import Foundation
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// A grant is one stage and one registration line: ``EchoGrant`` lives in the testing target,
/// and the server advertises, validates and answers it without a line of its own.
@Suite("Extension grants")
struct ExtensionGrantTests {
    static let yaml = RuntimeFixture.yaml(grants: ["client_credentials", "refresh_token", "echo"])
    static let echo = "urn:machineauth:params:oauth:grant-type:echo"

    @Test("a registered grant appears in the metadata, is accepted in agents' grant_types and issues tokens")
    func echoGrant() async throws {
        try await Harness.with(Self.yaml, registry: .withEchoGrant) { h in
            let metadata = try await h.send(.get, "/.well-known/oauth-authorization-server")
            #expect(metadata["grant_types_supported"] == ["client_credentials", "refresh_token", .string(Self.echo)])
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin, scopes: ["echo", "write"])
            let view = try await h.json(.get, "/api/agents/\(agent.id)", token: admin)["agent"]?.objectValue
            #expect(view?["grant_types"]?.arrayValue?.contains(.string(Self.echo)) == true, "new agents get every registered grant")
            let reply = try await h.form("/oauth/token", [("grant_type", Self.echo), ("subject", "someone")],
                                         headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            #expect(reply.status == .ok && reply.string("scope") == "echo", "\(reply.text)")
            #expect(reply.string("issued_token_type") == "urn:ietf:params:oauth:token-type:access_token", "the grant added to the response")
            #expect(try await h.isActive(reply.string("access_token"), admin: admin))
            let missing = try await h.form("/oauth/token", [("grant_type", Self.echo)], headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            #expect(missing.string("error") == "invalid_request")
            let restricted = try await h.createAgent(admin, name: "cc-only", extra: ["grant_types": ["client_credentials"]])
            let refused = try await h.form("/oauth/token", [("grant_type", Self.echo), ("subject", "x")],
                                           headers: [.authorization: Harness.basic(restricted.clientID, restricted.secret)])
            #expect(refused.string("error") == "unauthorized_client")
        }
    }

    @Test("without the stage the grant is neither advertised nor accepted")
    func unregistered() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let agent = try await h.createAgent(admin)
            let reply = try await h.form("/oauth/token", [("grant_type", Self.echo), ("subject", "x")],
                                         headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
            #expect(reply.string("error") == "unsupported_grant_type")
            let made = try await h.json(.post, "/api/agents", token: admin, ["name": "x", "grant_types": .array([.string(Self.echo)])])
            #expect(made.status == .badRequest && made.string("field") == "grant_types")
        }
    }
}
