import Foundation
import MachineAuthCore

/// The agents a caller reaches, and the rules for placing them: the API's agent routes and the
/// dashboard both go through here, so the organization limits and the audience rule exist once.
/// An agent outside the caller's organizations answers 404 (never 403, so ids do not leak).
///
/// ```swift
/// let agents = ScopedAgents(runtime: runtime, scope: try context.scope(), origin: context.origin(request))
/// let agent = try await agents.visible(id)
/// ```
struct ScopedAgents: Sendable {
    let runtime: MachineAuthRuntime
    let scope: AccessScope
    let origin: RequestOrigin

    var attribution: Attribution { Attribution(actor: scope.attributionActor, origin: origin) }

    /// The agent `id` if the caller may see it.
    func visible(_ id: String) async throws -> Agent {
        guard let agent = try await runtime.storage.agent(id: id), scope.sees(organization: agent.organizationID) else {
            throw APIError.notFound("agent")
        }
        return agent
    }

    /// A page of the agents the caller may see. Without an organization, an organization
    /// administrator lists the one they work in; `fixedOrganization` (a route's own) must be visible.
    func list(_ filter: AgentFilter, fixedOrganization: String? = nil) async throws -> Page<Agent> {
        var query = AgentQuery(search: filter.search, page: filter.page)
        if let status = filter.status {
            guard let parsed = AgentStatus(rawValue: status) else {
                throw ValidationError("status", "must be one of active, inactive, expired")
            }
            query.status = parsed
        }
        query.organizationID = fixedOrganization ?? filter.organizationID ?? scope.currentOrganization
        query.teamID = filter.teamID
        query.scope = filter.scope
        if scope.organizations != nil {
            guard let wanted = query.organizationID, scope.sees(organization: wanted) else {
                if fixedOrganization != nil { throw APIError.notFound("organization") }
                return Page(items: [], total: 0, request: filter.page)
            }
        }
        return try await runtime.storage.listAgents(query)
    }

    /// Creates an agent: an organization administrator's lands in their current organization
    /// unless it names another of theirs.
    func create(_ draft: AgentDraft) async throws -> CreatedAgent {
        var draft = draft
        draft.allowedAudiences = try checkAudiences(draft.allowedAudiences) ?? []
        if draft.organizationID == nil, scope.organizations != nil { draft.organizationID = scope.currentOrganization }
        try await checkPlacement(organizationID: draft.organizationID, teamID: draft.teamID)
        return try await runtime.services.agents.create(draft, by: attribution)
    }

    /// Changes a visible agent; a new team must belong to the agent's organization.
    func update(_ agent: Agent, _ changes: AgentChanges) async throws -> Agent {
        var changes = changes
        changes.allowedAudiences = try checkAudiences(changes.allowedAudiences)
        if let teamID = changes.teamID { try await checkPlacement(organizationID: agent.organizationID, teamID: teamID) }
        guard let updated = try await runtime.services.agents.update(id: agent.id, changes, by: attribution) else {
            throw APIError.notFound("agent")
        }
        return updated
    }

    /// A new secret; the old one keeps working for `gracePeriod` seconds.
    func rotate(_ agent: Agent, gracePeriod: Int) async throws -> (Agent, String) {
        guard let rotated = try await runtime.services.agents.rotate(id: agent.id, gracePeriod: gracePeriod, by: attribution) else {
            throw APIError.notFound("agent")
        }
        return rotated
    }

    func deactivate(_ agent: Agent) async throws -> Agent {
        guard let updated = try await runtime.services.agents.deactivate(id: agent.id, by: attribution) else { throw APIError.notFound("agent") }
        return updated
    }

    func reactivate(_ agent: Agent) async throws -> Agent {
        guard let updated = try await runtime.services.agents.reactivate(id: agent.id, by: attribution) else { throw APIError.notFound("agent") }
        return updated
    }

    func delete(_ agent: Agent) async throws {
        _ = try await runtime.services.agents.delete(id: agent.id, by: attribution)
    }

    /// Only the instance owner grants agents audiences beyond the deployment's
    /// `tokens.allowed_audiences`: an organization must not mint tokens for another's resources.
    func checkAudiences(_ audiences: [String]?) throws -> [String]? {
        guard let audiences, !scope.isOwner else { return audiences }
        let deployment = Set(runtime.settings.tokens.allowedAudiences + AudienceRequest(settings: runtime.settings).defaultAudience)
        if let outside = audiences.first(where: { !deployment.contains($0) }) {
            throw ValidationError(
                "allowed_audiences", "\"\(outside)\" is not among the deployment's tokens.allowed_audiences; only the owner may grant other audiences")
        }
        return audiences
    }

    /// The organization must be visible to the caller (404 otherwise); the team must belong to it.
    func checkPlacement(organizationID: String?, teamID: String?) async throws {
        if let organizationID {
            guard scope.sees(organization: organizationID), try await runtime.storage.organization(id: organizationID) != nil else {
                throw APIError.notFound("organization")
            }
        } else if scope.organizations != nil {
            throw ValidationError("organization_id", "is required for an organization administrator or API key")
        }
        if let teamID {
            guard let team = try await runtime.storage.team(id: teamID), team.organizationID == organizationID else {
                throw ValidationError("team_id", "must be a team of the agent's organization")
            }
        }
    }
}

/// What a list of agents is filtered by, as the caller gave it (the status still as text).
struct AgentFilter: Sendable {
    var search: String?
    var status: String?
    var organizationID: String?
    var teamID: String?
    var scope: String?
    var page = PageRequest()
}
