import Foundation
import HTTPTypes
import Hummingbird
import MachineAuthCore
@testable import MachineAuthServer
import MachineAuthServerTesting
import MachineAuthTesting
import Testing

/// The dashboard keeps the API's role and organization limits: a viewer sees no write
/// controls and the server refuses their forged posts; an organization administrator sees only
/// their organization; users and signing keys are the owner's.
@Suite("Dashboard access")
struct DashboardAccessTests {
    /// Organization A with an agent, organization B with an agent, and accounts of A.
    struct World {
        var organizationA = ""
        var organizationB = ""
        var agentA = ""
        var agentB = ""
    }

    static func world(_ h: Harness) async throws -> World {
        let owner = try await h.adminToken()
        var world = World()
        world.organizationA = try await h.json(.post, "/api/organizations", token: owner, ["name": "Alpha", "slug": "alpha"])["organization"]?
            .objectValue?["id"]?.stringValue ?? ""
        world.organizationB = try await h.json(.post, "/api/organizations", token: owner, ["name": "Beta", "slug": "beta"])["organization"]?
            .objectValue?["id"]?.stringValue ?? ""
        world.agentA = try await h.createAgent(owner, name: "alpha-agent", extra: ["organization_id": .string(world.organizationA)]).id
        world.agentB = try await h.createAgent(owner, name: "beta-agent", extra: ["organization_id": .string(world.organizationB)]).id
        for (role, email) in [("viewer", "viewer@example.com"), ("admin", "alpha-admin@example.com")] {
            let created = try await h.json(.post, "/api/users", token: owner, [
                "email": .string(email), "password": "dashboard-password-1", "role": .string(role), "organization_ids": [.string(world.organizationA)],
            ])
            #expect(created.status == .created, "\(created.text)")
        }
        return world
    }

    @Test("a viewer sees no write controls, and forged posts with a valid CSRF token are refused")
    func viewer() async throws {
        try await Harness.with(DashboardTests.yaml) { h in
            let world = try await Self.world(h)
            var viewer = try await DashboardSession.signIn(h, email: "viewer@example.com", password: "dashboard-password-1")
            for path in ["/dashboard/agents", "/dashboard/agents/\(world.agentA)", "/dashboard/organizations", "/dashboard/organizations/\(world.organizationA)",
                         "/dashboard/tokens", "/dashboard/webhooks"] {
                let page = try await viewer.get(path)
                #expect(page.status == .ok, "\(path)")
                for control in ["New agent", "Rotate secret", "Deactivate", "Delete", "Create organization", "Create team", "Create API key",
                                "Issue token", "Revoke token", "Create webhook"] {
                    #expect(!page.text.contains(control), "\(path) shows \(control) to a viewer")
                }
            }
            #expect(try await viewer.get("/dashboard/agents/new").status == .forbidden)
            for (path, fields) in [
                ("/dashboard/agents", [("name", "forged")]), ("/dashboard/agents/\(world.agentA)/deactivate", []),
                ("/dashboard/agents/\(world.agentA)/rotate", []), ("/dashboard/agents/\(world.agentA)/delete", []),
                ("/dashboard/organizations", [("name", "X"), ("slug", "x")]), ("/dashboard/tokens/revoke", [("token", "x")]),
            ] {
                let forged = try await viewer.post(path, fields)
                #expect(forged.status == .forbidden && forged.text.contains("A viewer cannot change anything."), "\(path): \(forged.status)")
            }
            let agent = try await h.json(.get, "/api/agents/\(world.agentA)", token: try await h.adminToken())
            #expect(agent["agent"]?.objectValue?["status"] == "active", "nothing changed")
            #expect(try await viewer.post("/dashboard/tokens/inspect", [("token", "not-a-token")]).status == .ok, "reading is allowed")
        }
    }

    @Test("an organization administrator sees only their organization")
    func organizationScope() async throws {
        try await Harness.with { h in
            let world = try await Self.world(h)
            var admin = try await DashboardSession.signIn(h, email: "alpha-admin@example.com", password: "dashboard-password-1")
            let list = try await admin.get("/dashboard/agents")
            #expect(list.text.contains("alpha-agent") && !list.text.contains("beta-agent"))
            #expect(try await admin.get("/dashboard/agents/\(world.agentB)").status == .notFound)
            #expect(try await admin.get("/dashboard/organizations/\(world.organizationB)").status == .notFound)
            let organizations = try await admin.get("/dashboard/organizations")
            #expect(organizations.text.contains("Alpha") && !organizations.text.contains("Beta"))
            let foreign = try await admin.get("/dashboard/agents?organization_id=\(world.organizationB)")
            #expect(foreign.status == .ok && !foreign.text.contains("beta-agent"), "another organization lists nothing, as in the API")
            #expect(try await admin.post("/dashboard/agents/\(world.agentB)/deactivate", []).status == .notFound)
            #expect(try await admin.get("/dashboard/users").status == .forbidden)
            #expect(try await admin.get("/dashboard/keys").status == .forbidden)
            let created = try await admin.post("/dashboard/agents", [("name", "made-by-alpha"), ("grant_types", "client_credentials")])
            #expect(created.status == .ok && created.text.contains("Alpha"), "lands in their organization")
            let overview = try await admin.get("/dashboard")
            #expect(overview.text.contains("your organizations"))
        }
    }

    @Test("the owner manages users and signing keys")
    func ownerPages() async throws {
        try await Harness.with { h in
            var owner = try await DashboardSession.signIn(h)
            let created = try await owner.post("/dashboard/users", [("email", "new-admin@example.com"), ("password", "long-enough-password"), ("role", "viewer")])
            #expect(created.status == .seeOther && created.headers[.location] == "/dashboard/users?notice=user-created")
            #expect(try await owner.get("/dashboard/users").text.contains("new-admin@example.com"))
            let before = try await h.runtime.storage.signingKeys().count
            #expect(try await owner.post("/dashboard/keys/rotate", []).status == .seeOther)
            #expect(try await h.runtime.storage.signingKeys().count == before + 1)
            #expect(try await owner.get("/dashboard/keys?notice=keys-rotated").text.contains("A new signing key is active"))
        }
    }
}
