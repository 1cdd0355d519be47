import Foundation
import Hummingbird
import MachineAuthCore
import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

@Suite("Trusted issuer API")
struct TrustedIssuerAPITests {
    static let jwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    static let yaml = RuntimeFixture.yaml(grants: ["client_credentials", "refresh_token", "jwt_bearer"])

    static let github: JSONValue = [
        "name": "GitHub Actions", "issuer": "https://token.actions.githubusercontent.com", "preset": "github_actions",
        "audiences": ["https://auth.example"], "max_token_lifetime": 600,
        "rules": [["subject": "repo:acme/deploy:ref:refs/heads/main", "claims": ["workflow": "release"], "agent": "cid_deploy", "scopes": ["deploy"]]],
    ]

    func with(_ body: JSONValue, _ changes: [String: JSONValue]) -> JSONValue {
        var object = body.objectValue ?? [:]
        for (key, value) in changes { object[key] = value }
        return .object(object)
    }

    @Test("create, list, get, patch and delete; server-made id and times; events and audit records")
    func lifecycle() async throws {
        try await Harness.with(Self.yaml) { h in
            let owner = try await h.adminToken()
            let before = h.fixture.notifier.events.count
            let created = try await h.json(.post, "/api/trusted-issuers", token: owner, Self.github)
            #expect(created.status == .created, "\(created.text)")
            let issuer = try #require(created["trusted_issuer"]?.objectValue)
            let id = try #require(issuer["id"]?.stringValue)
            #expect(id.hasPrefix("tis_") && id.count > 12)
            #expect(issuer["preset"] == "github_actions" && issuer["max_token_lifetime"] == 600 && issuer["jwks"] == .null)
            #expect(issuer["created_at"]?.stringValue != nil && issuer["created_at"] == issuer["updated_at"])
            #expect(issuer["rules"]?.arrayValue?.first?.objectValue?["claims"] == ["workflow": "release"])

            let listed = try await h.json(.get, "/api/trusted-issuers", token: owner)
            #expect(listed["trusted_issuers"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } == [id])
            #expect(try await h.json(.get, "/api/trusted-issuers/\(id)", token: owner)["trusted_issuer"] == .object(issuer))

            let patched = try await h.json(.patch, "/api/trusted-issuers/\(id)", token: owner, ["name": .null, "max_token_lifetime": 300, "single_use": false])
            #expect(patched.status == .ok, "\(patched.text)")
            let changed = try #require(patched["trusted_issuer"]?.objectValue)
            #expect(changed["name"] == .null && changed["max_token_lifetime"] == 300 && changed["single_use"] == false)
            #expect(changed["issuer"] == issuer["issuer"] && changed["rules"] == issuer["rules"], "members not named stay")
            #expect(changed["created_at"] == issuer["created_at"] && changed["id"] == .string(id))
            #expect(try await h.runtime.storage.trustedIssuer(id: id)?.maxTokenLifetime == 300, "stored")

            let deleted = try await h.json(.delete, "/api/trusted-issuers/\(id)", token: owner)
            #expect(deleted.status == .ok && deleted.string("id") == id)
            for method in [HTTPRequest.Method.get, .delete] {
                #expect(try await h.json(method, "/api/trusted-issuers/\(id)", token: owner).status == .notFound)
            }
            #expect(try await h.json(.patch, "/api/trusted-issuers/\(id)", token: owner, ["name": "x"]).status == .notFound)

            let events = h.fixture.notifier.events.dropFirst(before).filter { $0.type.hasPrefix("trusted_issuer.") }
            #expect(events.map(\.type) == ["trusted_issuer.created", "trusted_issuer.updated", "trusted_issuer.deleted"])
            #expect(events.allSatisfy { $0.target == EventTarget(kind: "trusted_issuer", id: id) && $0.actor.kind == "admin" })
            #expect(events.dropFirst().first?.data["changed"] == ["max_token_lifetime", "name", "single_use"])
            let audit = try await h.json(.get, "/api/audit-logs?action=trusted_issuer.*", token: owner)
            #expect(audit["pagination"]?.objectValue?["total"] == 3, "\(audit.text)")
        }
    }

    typealias Case = (changes: [String: JSONValue], field: String)
    static let ed25519Key: JSONValue = ["kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "kid": "k"]
    static let githubWithoutOwner: Case = (["rules": [["subject": "repo:*", "agent": "cid_x"]]], "rules[0].subject")
    static let spiffeWithoutDomain: Case = (
        ["issuer": "https://spiffe.example", "preset": "spiffe", "rules": [["subject": "spiffe://example.org/ci", "agent": "cid_x"]]], "trust_domain")
    static let bothKeySources: Case = (["jwks_uri": "https://keys.example/jwks", "jwks": ["keys": [ed25519Key]]], "jwks")
    static let badInput: [Case] = [
        githubWithoutOwner, spiffeWithoutDomain, bothKeySources,
        (["issuer": "http://token.actions.githubusercontent.com"], "issuer"),
        (["jwks_uri": "http://keys.example/jwks"], "jwks_uri"),
        (["preset": "travis"], "preset"),
        (["max_token_lifetime": 10], "max_token_lifetime"),
        (["max_token_lifetime": .int(Int.max)], "max_token_lifetime"),
        (["rules": []], "rules"),
        (["rules": [["subject": "repo:acme/x:*", "agent": "cid_x", "role": "admin"]]], "rules[0].role"),
        (["rules": [["subject": "repo:acme/x:*"]]], "rules[0].agent"),
        (["rules": ["repo:acme/x:*"]], "rules[0]"),
        (["id": "tis_mine"], "id"),
        (["created_at": "2030-01-01T00:00:00Z"], "created_at"),
        (["colour": "blue"], "colour"),
        (["audiences": "https://auth.example"], "audiences"),
    ]

    @Test("bad input is a 400 naming the field", arguments: badInput)
    func refused(changes: [String: JSONValue], field: String) async throws {
        try await Harness.with(Self.yaml) { h in
            let owner = try await h.adminToken()
            let reply = try await h.json(.post, "/api/trusted-issuers", token: owner, with(Self.github, changes))
            #expect(reply.status == .badRequest && reply.string("field") == field, "\(reply.text)")
            #expect(try await h.runtime.storage.listTrustedIssuers().isEmpty, "nothing was stored")
        }
    }

    @Test("a patch is checked whole: a bad result is a 400 naming the field and changes nothing")
    func refusedPatch() async throws {
        try await Harness.with(Self.yaml) { h in
            let owner = try await h.adminToken()
            let id = try await h.json(.post, "/api/trusted-issuers", token: owner, Self.github)["trusted_issuer"]?.objectValue?["id"]?.stringValue ?? ""
            for (patch, field) in [
                (["issuer": "https://spiffe.example", "preset": "spiffe"] as JSONValue, "trust_domain"), (["preset": .null], "preset"), (["jwks_uri": "https://k.example/jwks", "jwks": ["keys": []]], "jwks"),
                (["issuer": "http://plain.example"], "issuer"), (["rules": .null], "rules"), (["max_token_lifetime": "600"], "max_token_lifetime"),
            ] {
                let reply = try await h.json(.patch, "/api/trusted-issuers/\(id)", token: owner, patch)
                #expect(reply.status == .badRequest && reply.string("field") == field, "\(patch.jsonText) → \(reply.text)")
            }
            let stored = try await h.runtime.storage.trustedIssuer(id: id)
            #expect(stored?.preset == .githubActions && stored?.jwksURI == nil && stored?.issuer == "https://token.actions.githubusercontent.com")
        }
    }

    @Test("an issuer URL already trusted is a 409, on create and on patch")
    func conflict() async throws {
        try await Harness.with(Self.yaml) { h in
            let owner = try await h.adminToken()
            #expect(try await h.json(.post, "/api/trusted-issuers", token: owner, Self.github).status == .created)
            let again = try await h.json(.post, "/api/trusted-issuers", token: owner, Self.github)
            #expect(again.status == .conflict && again.string("error") == "conflict", "\(again.text)")
            let other = try await h.json(.post, "/api/trusted-issuers", token: owner, with(Self.github, ["issuer": "https://other.example"]))
            let otherID = other["trusted_issuer"]?.objectValue?["id"]?.stringValue ?? ""
            let moved = try await h.json(.patch, "/api/trusted-issuers/\(otherID)", token: owner, ["issuer": "https://token.actions.githubusercontent.com"])
            #expect(moved.status == .conflict, "\(moved.text)")
            #expect(try await h.json(.get, "/api/trusted-issuers", token: owner)["trusted_issuers"]?.arrayValue?.count == 2)
        }
    }

    @Test("only the owner: organization admins, viewers, API keys and agents are refused")
    func ownerOnly() async throws {
        try await Harness.with(Self.yaml) { h in
            let tenants = try await TwoTenants.make(h)
            let owner = try await h.adminToken()
            let id = try await h.json(.post, "/api/trusted-issuers", token: owner, Self.github)["trusted_issuer"]?.objectValue?["id"]?.stringValue ?? ""
            let agentToken = try await h.accessToken(tenants.a.agent)
            for credential in [tenants.a.adminToken, tenants.a.viewerToken, tenants.a.apiKey, agentToken] {
                for (method, path) in [(HTTPRequest.Method.get, "/api/trusted-issuers"), (.post, "/api/trusted-issuers"), (.get, "/api/trusted-issuers/\(id)"),
                                       (.patch, "/api/trusted-issuers/\(id)"), (.delete, "/api/trusted-issuers/\(id)")] {
                    let reply = try await h.json(method, path, token: credential, method == .get || method == .delete ? nil : Self.github)
                    #expect(reply.status == .forbidden, "\(method) \(path) → \(reply.text)")
                }
            }
            #expect(try await h.json(.get, "/api/trusted-issuers").status == .unauthorized)
            #expect(try await h.runtime.storage.trustedIssuer(id: id)?.name == "GitHub Actions", "untouched")
        }
    }

    @Test("an issuer made through the API is trusted by the jwt-bearer grant at once, and no longer once deleted")
    func grantFollowsTheAPI() async throws {
        try await Harness.with(Self.yaml) { h in
            let owner = try await h.adminToken()
            let agent = try await h.createAgent(owner, name: "workload", extra: ["grant_types": [.string(Self.jwtBearer)]])
            let key = DPoPTestKey(.p256)
            var jwk = key.publicJWK
            jwk["kid"] = "k1"
            let created = try await h.json(.post, "/api/trusted-issuers", token: owner, [
                "issuer": "https://cluster.example", "preset": "kubernetes", "jwks": ["keys": [.object(jwk)]],
                "rules": [["subject": "system:serviceaccount:ci:*", "agent": .string(agent.clientID)]],
            ])
            #expect(created.status == .created, "\(created.text)")
            let id = created["trusted_issuer"]?.objectValue?["id"]?.stringValue ?? ""
            func exchange() async throws -> Harness.Reply {
                let now = Int(Date().timeIntervalSince1970)
                let assertion = key.signJWT(claims: [
                    "iss": "https://cluster.example", "sub": "system:serviceaccount:ci:runner", "aud": "http://issuer.test",
                    "iat": .int(now), "exp": .int(now + 300), "jti": .string(UUID().uuidString),
                ], kid: "k1")
                return try await h.form("/oauth/token", [("grant_type", Self.jwtBearer), ("assertion", assertion)])
            }
            let issued = try await waitFor(.ok) { try await exchange() }
            #expect(issued.status == .ok && !issued.string("access_token").isEmpty, "\(issued.text)")
            #expect(try await h.json(.delete, "/api/trusted-issuers/\(id)", token: owner).status == .ok)
            let refused = try await waitFor(.badRequest) { try await exchange() }
            #expect(refused.status == .badRequest && refused.string("error") == "invalid_grant", "\(refused.text)")
        }
    }

    /// The reply once it has `status` (the grant reloads its issuers when the store announces a
    /// change, a moment after the API answered), or the last one after two seconds.
    func waitFor(_ status: HTTPResponse.Status, _ attempt: () async throws -> Harness.Reply) async throws -> Harness.Reply {
        var reply = try await attempt()
        for _ in 0..<40 where reply.status != status {
            try await Task.sleep(for: .milliseconds(50))
            reply = try await attempt()
        }
        return reply
    }
}
