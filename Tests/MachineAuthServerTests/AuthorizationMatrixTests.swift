import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
@testable import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// Walks the one authorization table: every route of ``RouteTable`` with every kind of caller
/// (owner, organization administrator, viewer, API key, agent token, none). A caller the route's
/// rule refuses gets exactly 401 (no credentials; a dashboard page redirects to its sign-in
/// form instead) or 403; a caller it admits gets past the rule (neither 401 nor 403) and never a 5xx.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    static let yaml = RuntimeFixture.yaml(extra: """
        gateway:
          rules:
            - match: { path: "/**" }
              allow_anonymous: true
        """).replacingOccurrences(of: "  - type: recording", with: "  - type: recording\n  - type: webhooks\n    allow_private_targets: true\n    timeout: 500ms\n    lease: 2s")

    enum Caller: String, CaseIterable {
        case owner, administrator, viewer, apiKey, agent, none

        var role: Role? {
            switch self {
            case .owner: return .owner
            case .administrator: return .administrator
            case .viewer: return .viewer
            case .apiKey: return .apiKey
            case .agent: return .agent
            case .none: return nil
            }
        }
    }

    @Test("every route × every caller: refused callers get 401 or 403, admitted ones get past the rule")
    func matrix() async throws {
        try await Harness.with(Self.yaml) { h in
            var world = try await MatrixWorld.make(h)
            for route in RouteTable.routes {
                // Refused callers first: their requests change nothing.
                let callers = Caller.allCases.sorted { !route.access.allows($0.role) && route.access.allows($1.role) }
                for caller in callers {
                    let targets = try await world.targets(for: route, h)
                    let credential = try await world.credential(caller, h)
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let credential { headers[.authorization] = "Bearer \(credential)" }
                    let reply = try await h.send(route.method, targets.uri, headers: headers, body: targets.body)
                    let label = "\(route.key) as \(caller.rawValue) → \(reply.status.code) \(reply.text.prefix(200))"
                    #expect(reply.status.code < 500, "\(label)")
                    if !route.access.allows(caller.role), caller == .none, route.kind == .page {
                        #expect(reply.status == .seeOther && reply.headers[.location]?.hasPrefix("/dashboard/login") == true, "\(label)")
                    } else if !route.access.allows(caller.role) {
                        #expect(reply.status == (caller == .none ? .unauthorized : .forbidden), "\(label)")
                    } else if route.access.needsCaller {
                        #expect(reply.status != .unauthorized && reply.status != .forbidden, "\(label)")
                    }
                    // Signing out or switching ends the session; an agent changing itself may end its token.
                    let endsSession = ["POST /api/auth/logout", "POST /api/auth/switch-org", "POST /dashboard/logout"].contains(route.key)
                    if endsSession || (caller == .agent && route.path.hasPrefix("/api/agents/me")) {
                        world.forget(caller)
                    }
                }
            }
        }
    }
}

/// The objects and credentials the matrix needs: organization A with a team, an administrator
/// and a viewer of A, an API key of A, and an agent of A with its own token. Targets that a
/// route may destroy are made fresh for each request.
struct MatrixWorld {
    var organizationID = ""
    var teamID = ""
    var sessions: [AuthorizationMatrixTests.Caller: String] = [:]
    var apiKey = ""

    static func make(_ h: Harness) async throws -> MatrixWorld {
        var world = MatrixWorld()
        let owner = try await h.adminToken()
        world.sessions[.owner] = owner
        world.organizationID = try await h.json(.post, "/api/organizations", token: owner, ["name": "A", "slug": "org-a"])["organization"]?
            .objectValue?["id"]?.stringValue ?? ""
        world.teamID = try await h.json(.post, "/api/organizations/\(world.organizationID)/teams", token: owner, ["name": "t"])["team"]?
            .objectValue?["id"]?.stringValue ?? ""
        for (role, email) in [("admin", "matrix-admin@example.com"), ("viewer", "matrix-viewer@example.com")] {
            let created = try await h.json(.post, "/api/users", token: owner, [
                "email": .string(email), "password": "matrix-password-1", "role": .string(role),
                "organization_ids": [.string(world.organizationID)],
            ])
            #expect(created.status == .created, "\(created.text)")
        }
        world.apiKey = try await h.json(.post, "/api/organizations/\(world.organizationID)/api-keys", token: owner, ["name": "matrix"])
            .string("key")
        #expect(world.apiKey.hasPrefix("sk_"))
        return world
    }

    /// The caller's credential, signing in again (or making a new agent) when a route ended it.
    mutating func credential(_ caller: AuthorizationMatrixTests.Caller, _ h: Harness) async throws -> String? {
        if let session = sessions[caller] { return session }
        let made: String?
        switch caller {
        case .owner: made = try await h.adminToken()
        case .administrator: made = try await login("matrix-admin@example.com", h)
        case .viewer: made = try await login("matrix-viewer@example.com", h)
        case .apiKey: made = apiKey
        case .agent: made = try await h.accessToken(try await agent(h, name: "caller"))
        case .none: made = nil
        }
        sessions[caller] = made
        return made
    }

    mutating func forget(_ caller: AuthorizationMatrixTests.Caller) {
        sessions[caller] = nil
    }

    func login(_ email: String, _ h: Harness) async throws -> String {
        let reply = try await h.json(.post, "/api/auth/login", ["email": .string(email), "password": "matrix-password-1"])
        #expect(reply.status == .ok, "\(reply.text)")
        return reply.string("token")
    }

    func agent(_ h: Harness, name: String) async throws -> Harness.Credentials {
        try await h.createAgent(try await h.adminToken(), name: name, extra: ["organization_id": .string(organizationID)])
    }

    /// The URI (path parameters filled with objects of organization A) and a valid body.
    mutating func targets(for route: Route, _ h: Harness) async throws -> (uri: String, body: String?) {
        let owner = try await credential(.owner, h) ?? ""
        var uri = route.path.replacingOccurrences(of: "**", with: "v1/x")
            .replacingOccurrences(of: "{file}", with: (try? DashboardResources.shared.get().stylesheet.fileName) ?? "missing.css")
        if uri.contains("{team_id}") { uri = uri.replacingOccurrences(of: "{team_id}", with: teamID) }
        if uri.contains("{key_id}") {
            let key = try await h.json(.post, "/api/organizations/\(organizationID)/api-keys", token: owner, ["name": "target"])
            uri = uri.replacingOccurrences(of: "{key_id}", with: key["api_key"]?.objectValue?["id"]?.stringValue ?? "")
        }
        if uri.contains("{id}") {
            let id: String
            if uri.hasPrefix("/api/agents/") || uri.hasPrefix("/dashboard/agents/") {
                id = try await agent(h, name: "target").id
            } else if uri.hasPrefix("/api/users/") || uri.hasPrefix("/dashboard/users/") {
                let user = try await h.json(.post, "/api/users", token: owner, [
                    "email": .string("target-\(RandomToken.hex(bytes: 4))@example.com"), "password": "matrix-password-1",
                ])
                id = user["user"]?.objectValue?["id"]?.stringValue ?? ""
            } else if uri.hasPrefix("/api/webhooks/") || uri.hasPrefix("/dashboard/webhooks/") {
                let webhook = try await h.json(.post, "/api/webhooks", token: owner, [
                    "url": "http://127.0.0.1:9/hook", "organization_id": .string(organizationID),
                ])
                id = webhook["webhook"]?.objectValue?["id"]?.stringValue ?? ""
            } else if uri.hasPrefix("/api/trusted-issuers/") {
                let issuer = try await h.json(.post, "/api/trusted-issuers", token: owner, Self.trustedIssuer())
                id = issuer["trusted_issuer"]?.objectValue?["id"]?.stringValue ?? ""
            } else {
                id = organizationID
            }
            uri = uri.replacingOccurrences(of: "{id}", with: id)
        }
        return (uri, Self.body(route, organizationID: organizationID))
    }

    /// A valid trusted issuer with an issuer URL of its own.
    static func trustedIssuer() -> JSONValue {
        ["issuer": .string("https://matrix-\(RandomToken.hex(bytes: 4)).example"), "rules": [["subject": "s", "agent": "cid_matrix"]]]
    }

    /// The smallest valid JSON body: every required field.
    static func body(_ route: Route, organizationID: String) -> String? {
        if route.key == "POST /api/auth/switch-org" { return JSONValue.object(["organization_id": .string(organizationID)]).jsonText }
        if route.key == "POST /api/webhooks" { return JSONValue.object(["url": "http://127.0.0.1:9/hook"]).jsonText }
        if route.key == "POST /api/trusted-issuers" { return trustedIssuer().jsonText }
        guard let schema = route.body, !schema.fields.isEmpty else { return nil }
        var body: [String: JSONValue] = [:]
        for field in schema.fields where field.required {
            switch field.name {
            case "email": body[field.name] = .string("new-\(RandomToken.hex(bytes: 4))@example.com")
            case "password": body[field.name] = "matrix-password-2"
            case "slug": body[field.name] = .string("org-\(RandomToken.hex(bytes: 4))")
            default: body[field.name] = "matrix"
            }
        }
        return JSONValue.object(body).jsonText
    }
}
