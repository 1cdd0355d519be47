import Foundation
import MachineAuthCore
import MachineAuthTesting
import Testing

@Suite("Storage conformance: tenants")
struct TenantStoreConformance {
    @Test("organizations: unique slugs, updates, scoped lists", arguments: TestDatabases.drivers)
    func organizations(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let acme = Fixture.organization("acme")
            let globex = Fixture.organization("globex")
            try await store.insertOrganization(acme)
            try await store.insertOrganization(globex)
            await #expect(throws: StorageError.self) { try await store.insertOrganization(Fixture.organization("acme")) }
            #expect(try await store.organization(slug: "acme")?.id == acme.id)
            await #expect(throws: StorageError.self) { _ = try await store.updateOrganization(id: acme.id) { $0.slug = "globex" } }
            #expect(try await store.updateOrganization(id: acme.id) { $0.name = "Acme Inc" }?.name == "Acme Inc")
            #expect(try await store.organization(id: acme.id)?.name == "Acme Inc")
            #expect(try await store.listOrganizations(ids: nil, page: PageRequest()).items.map(\.slug) == ["acme", "globex"])
            #expect(try await store.listOrganizations(ids: [globex.id], page: PageRequest()).items.map(\.slug) == ["globex"])
            #expect(try await store.listOrganizations(ids: [], page: PageRequest()).total == 0)
        }
    }

    @Test("deleting an organization removes its agents, teams, keys and memberships at once", arguments: TestDatabases.drivers)
    func cascade(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let acme = Fixture.organization("acme")
            let other = Fixture.organization("other")
            try await store.insertOrganization(acme)
            try await store.insertOrganization(other)
            try await store.insertTeam(Team(id: "t1", organizationID: acme.id, name: "core", createdAt: Date()))
            let inside = Fixture.agent(organization: acme.id, team: "t1")
            let outside = Fixture.agent(organization: other.id)
            try await store.insertAgent(inside)
            try await store.insertAgent(outside)
            try await store.insertRefreshToken(Fixture.refresh(agent: inside))
            let key = APIKey(id: "k1", organizationID: acme.id, name: "ci", prefix: "sk_x", hash: "hmac-sha256:k1", createdAt: Date())
            try await store.insertAPIKey(key)
            try await store.insertUser(AdminUser(id: "u1", email: "a@acme.test", name: "", passwordHash: "p", role: .admin,
                                                 organizationIDs: [acme.id, other.id], createdAt: Date()))
            let removed = try #require(try await store.deleteOrganization(id: acme.id))
            #expect(removed.map(\.id) == [inside.id])
            #expect(try await store.agent(id: inside.id) == nil)
            #expect(try await store.agent(id: outside.id) != nil)
            #expect(try await store.team(id: "t1") == nil)
            #expect(try await store.apiKey(hash: key.hash) == nil)
            #expect(try await store.user(id: "u1")?.organizationIDs == [other.id])
            #expect(try await store.deleteOrganization(id: acme.id) == nil)
        }
    }

    @Test("teams: need their organization; deleting one keeps its agents", arguments: TestDatabases.drivers)
    func teams(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let acme = Fixture.organization("acme")
            try await store.insertOrganization(acme)
            await #expect(throws: StorageError.self) { try await store.insertTeam(Team(id: "t0", organizationID: "ghost", name: "x", createdAt: Date())) }
            try await store.insertTeam(Team(id: "t2", organizationID: acme.id, name: "b", createdAt: Date()))
            try await store.insertTeam(Team(id: "t1", organizationID: acme.id, name: "a", createdAt: Date()))
            #expect(try await store.listTeams(organizationID: acme.id).map(\.id) == ["t1", "t2"])
            #expect(try await store.updateTeam(id: "t1") { $0.description = "d" }?.description == "d")
            let member = Fixture.agent(organization: acme.id, team: "t1")
            try await store.insertAgent(member)
            #expect(try await store.deleteTeam(id: "t1")?.id == "t1")
            let kept = try await store.agent(clientID: member.clientID)
            #expect(kept != nil && kept?.teamID == nil)
        }
    }

    @Test("API keys are found by hash; updates keep the hash", arguments: TestDatabases.drivers)
    func apiKeys(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            let acme = Fixture.organization("acme")
            try await store.insertOrganization(acme)
            let key = APIKey(id: "k1", organizationID: acme.id, name: "ci", prefix: "sk_x", hash: "hmac-sha256:k1", createdAt: Date())
            try await store.insertAPIKey(key)
            await #expect(throws: StorageError.self) { try await store.insertAPIKey(APIKey(id: "k2", organizationID: acme.id, name: "dup", prefix: "p", hash: key.hash, createdAt: Date())) }
            #expect(try await store.apiKey(hash: key.hash)?.id == "k1")
            let revoked = try await store.updateAPIKey(id: "k1") { $0.revokedAt = Date(); $0.hash = "tampered" }
            #expect(revoked?.hash == key.hash && revoked?.revokedAt != nil)
            #expect(try await store.apiKey(hash: key.hash)?.revokedAt != nil, "a revocation is seen at once")
            #expect(try await store.listAPIKeys(organizationID: acme.id).count == 1)
        }
    }

    @Test("administrator accounts: unique e-mail (any case), update, delete", arguments: TestDatabases.drivers)
    func users(driver: String) async throws {
        try await withStore(driver) { handle async throws in
            let store = handle.storage
            try await store.insertUser(AdminUser(id: "u1", email: "Ops@Example.com", name: "", passwordHash: "p", role: .viewer, organizationIDs: [], createdAt: Date()))
            await #expect(throws: StorageError.self) {
                try await store.insertUser(AdminUser(id: "u2", email: "ops@example.com", name: "", passwordHash: "p", role: .admin, organizationIDs: [], createdAt: Date()))
            }
            #expect(try await store.user(email: "OPS@example.COM")?.id == "u1")
            #expect(try await store.updateUser(id: "u1") { $0.role = .admin }?.role == .admin)
            #expect(try await store.listUsers().map(\.id) == ["u1"])
            #expect(try await store.deleteUser(id: "u1")?.id == "u1")
            #expect(try await store.user(id: "u1") == nil)
        }
    }
}
