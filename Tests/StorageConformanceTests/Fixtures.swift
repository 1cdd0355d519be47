import Foundation
import MachineAuthCore
import MachineAuthTesting

/// Record builders for the conformance suite.
enum Fixture {
    static func agent(_ name: String = "agent", organization: String? = nil, team: String? = nil, scopes: [String] = ["read"],
                      active: Bool = true, expiresAt: Date? = nil, created: Date = Date()) -> Agent {
        Agent(id: RandomToken.uuid(), name: name, description: "d", tags: ["t"], metadata: ["k": "v"],
              clientID: RandomToken.hex(prefix: "cid_", bytes: 8), secrets: [ClientSecretHash(hash: "hmac-sha256:x", createdAt: created)],
              scopes: scopes, isActive: active, organizationID: organization, teamID: team, createdAt: created, expiresAt: expiresAt)
    }

    static func refresh(agent: Agent, family: String = RandomToken.uuid(), expires: Date = Date().addingTimeInterval(3600)) -> RefreshTokenRecord {
        RefreshTokenRecord(hash: "hmac-sha256:" + RandomToken.hex(bytes: 8), familyID: family, agentID: agent.id, clientID: agent.clientID,
                           scopes: ["read"], audience: ["https://api"], createdAt: Date(), expiresAt: expires)
    }

    static func organization(_ slug: String) -> Organization {
        Organization(id: RandomToken.uuid(), name: slug.uppercased(), slug: slug, ownerEmail: "\(slug)@example.com", createdAt: Date())
    }

    static func audit(_ action: String, agent: String? = nil, actor: String? = nil, organization: String? = nil, time: Date = Date()) -> AuditRecord {
        AuditRecord(id: RandomToken.uuid(), time: time, action: action, actorType: "admin", actorID: actor, targetType: "agent",
                    targetID: agent, agentID: agent, organizationID: organization, outcome: "success", ipAddress: "10.0.0.1",
                    userAgent: "ua", requestID: "r", details: ["n": 1])
    }
}

/// Runs `body` against a fresh store of `driver` and cleans up.
func withStore(_ driver: String, _ body: (TestDatabases.Handle) async throws -> Void) async throws {
    let handle = try await TestDatabases.open(driver)
    do {
        try await body(handle)
    } catch {
        try? await handle.storage.close()
        handle.cleanup()
        throw error
    }
    try? await handle.storage.close()
    handle.cleanup()
}
