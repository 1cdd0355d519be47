import Foundation
import MachineAuthCore

/// The organizations, teams and API keys a caller reaches: the API's tenancy routes and the
/// dashboard both go through here. Anything outside the caller's organizations answers 404.
struct ScopedTenancy: Sendable {
    let runtime: MachineAuthRuntime
    let scope: AccessScope
    let origin: RequestOrigin

    var attribution: Attribution { Attribution(actor: scope.attributionActor, origin: origin) }

    /// The organization `id` if the caller may see it.
    func organization(_ id: String) async throws -> Organization {
        guard scope.sees(organization: id), let organization = try await runtime.storage.organization(id: id) else {
            throw APIError.notFound("organization")
        }
        return organization
    }

    /// The organizations the caller may see, ordered by name.
    func organizations(page: PageRequest = PageRequest(page: 1, limit: 500)) async throws -> Page<Organization> {
        try await runtime.storage.listOrganizations(ids: scope.organizations, page: page)
    }

    /// A new organization; an organization administrator who makes one becomes its member.
    func createOrganization(name: String, slug: String, ownerEmail: String?) async throws -> Organization {
        let organization = try await runtime.services.tenants.createOrganization(name: name, slug: slug, ownerEmail: ownerEmail, by: attribution)
        if case .admin(let session) = scope.caller, !scope.isOwner {
            _ = try await runtime.storage.updateUser(id: session.userID) { $0.organizationIDs.append(organization.id) }
        }
        return organization
    }

    func updateOrganization(_ organization: Organization, name: String?, slug: String?, ownerEmail: String??) async throws -> Organization {
        guard let updated = try await runtime.services.tenants.updateOrganization(
            id: organization.id, name: name, slug: slug, ownerEmail: ownerEmail, by: attribution)
        else { throw APIError.notFound("organization") }
        return updated
    }

    /// Deletes the organization; `cascade` also deletes its teams, agents and API keys. Returns the deleted agents.
    func deleteOrganization(_ organization: Organization, cascade: Bool) async throws -> [Agent] {
        guard let removed = try await runtime.services.tenants.deleteOrganization(id: organization.id, cascade: cascade, by: attribution) else {
            throw APIError.notFound("organization")
        }
        return removed
    }

    /// The team `teamID` of a visible organization.
    func team(_ teamID: String, of organization: Organization) async throws -> Team {
        guard let team = try await runtime.storage.team(id: teamID), team.organizationID == organization.id else {
            throw APIError.notFound("team")
        }
        return team
    }

    func createTeam(in organization: Organization, name: String, description: String) async throws -> Team {
        try await runtime.services.tenants.createTeam(organizationID: organization.id, name: name, description: description, by: attribution)
    }

    func updateTeam(_ team: Team, name: String?, description: String?) async throws -> Team {
        guard let updated = try await runtime.services.tenants.updateTeam(id: team.id, name: name, description: description, by: attribution) else {
            throw APIError.notFound("team")
        }
        return updated
    }

    func deleteTeam(_ team: Team) async throws {
        _ = try await runtime.services.tenants.deleteTeam(id: team.id, by: attribution)
    }

    /// A new API key of the organization; the `sk_…` value is returned this once.
    func createAPIKey(in organization: Organization, name: String, expiresAt: Date?) async throws -> (APIKey, String) {
        try await runtime.services.tenants.createAPIKey(
            organizationID: organization.id, name: name, expiresIn: nil, expiresAt: expiresAt, by: attribution)
    }

    /// Revokes the organization's key `keyID` (404 for a key of another organization).
    func revokeAPIKey(_ keyID: String, of organization: Organization) async throws -> APIKey {
        guard try await runtime.storage.listAPIKeys(organizationID: organization.id).contains(where: { $0.id == keyID }),
            let key = try await runtime.services.tenants.revokeAPIKey(id: keyID, by: attribution)
        else { throw APIError.notFound("API key") }
        return key
    }
}
