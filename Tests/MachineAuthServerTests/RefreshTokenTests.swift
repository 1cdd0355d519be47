import Foundation
import Hummingbird
import MachineAuthCore
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Refresh tokens")
struct RefreshTokenTests {
    func refresh(_ h: Harness, _ agent: Harness.Credentials, _ token: String, path: String = "/oauth/token", extra: [(String, String)] = []) async throws -> Harness.Reply {
        try await h.form(path, [("grant_type", "refresh_token"), ("refresh_token", token)] + extra,
                         headers: [.authorization: Harness.basic(agent.clientID, agent.secret)])
    }

    @Test("refresh rotates the token; /oauth/refresh is an alias")
    func rotation() async throws {
        try await Harness.with { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let first = try await h.token(agent).string("refresh_token")
            let second = try await refresh(h, agent, first)
            #expect(second.status == .ok)
            let next = second.string("refresh_token")
            #expect(next.hasPrefix("rt_") && next != first)
            let third = try await refresh(h, agent, next, path: "/oauth/refresh")
            #expect(third.status == .ok)
        }
    }

    @Test("re-using a rotated token revokes the whole family")
    func replay() async throws {
        try await Harness.with { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let first = try await h.token(agent).string("refresh_token")
            let second = try await refresh(h, agent, first).string("refresh_token")
            let replay = try await refresh(h, agent, first)
            #expect(replay.status == .badRequest && replay.string("error") == "invalid_grant")
            let afterReplay = try await refresh(h, agent, second)
            #expect(afterReplay.string("error") == "invalid_grant", "the newest token of the family is revoked too")
        }
    }

    @Test("scope can be narrowed, never widened")
    func scopes() async throws {
        try await Harness.with { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let token = try await h.token(agent, [("scope", "read")]).string("refresh_token")
            let widened = try await refresh(h, agent, token, extra: [("scope", "read write")])
            #expect(widened.string("error") == "invalid_scope")
            let other = try await h.token(agent).string("refresh_token")
            let narrowed = try await refresh(h, agent, other, extra: [("scope", "write")])
            #expect(narrowed.string("scope") == "write")
        }
    }

    @Test("a refresh token of another client, or without client authentication, is refused")
    func binding() async throws {
        try await Harness.with { h in
            let admin = try await h.adminToken()
            let owner = try await h.createAgent(admin, name: "owner")
            let thief = try await h.createAgent(admin, name: "thief")
            let token = try await h.token(owner).string("refresh_token")
            #expect(try await refresh(h, thief, token).string("error") == "invalid_grant")
            let other = try await h.token(owner).string("refresh_token")
            let anonymous = try await h.form("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", other)])
            #expect(anonymous.status == .unauthorized && anonymous.string("error") == "invalid_client")
        }
    }

    @Test("removing the refresh_token stage removes refresh tokens and the grant")
    func stageRemoved() async throws {
        try await Harness.with(RuntimeFixture.yaml(grants: ["client_credentials"])) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let reply = try await h.token(agent)
            #expect(reply.status == .ok)
            #expect(reply["refresh_token"] == nil)
            let grant = try await refresh(h, agent, "rt_anything")
            #expect(grant.string("error") == "unsupported_grant_type")
            let metadata = try await h.send(.get, "/.well-known/oauth-authorization-server")
            #expect(metadata["grant_types_supported"] == ["client_credentials"])
        }
    }

    @Test("removing the client_credentials stage removes the grant; removing client_secret leaves clients no way to authenticate")
    func clientCredentialsRemoved() async throws {
        try await Harness.with(RuntimeFixture.yaml(grants: ["refresh_token"])) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            #expect(try await h.token(agent).string("error") == "unsupported_grant_type")
            let metadata = try await h.send(.get, "/.well-known/oauth-authorization-server")
            #expect(metadata["grant_types_supported"] == ["refresh_token"])
        }
        try await Harness.with(RuntimeFixture.yaml(authenticators: ["api_key"])) { h in
            let agent = try await h.createAgent(try await h.adminToken())
            let reply = try await h.token(agent)
            #expect(reply.status == .unauthorized && reply.string("error") == "invalid_client")
            #expect(try await h.send(.get, "/.well-known/oauth-authorization-server")["token_endpoint_auth_methods_supported"] == [])
        }
    }
}
