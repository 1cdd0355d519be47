import Foundation
import Hummingbird
import MachineAuthCore

/// The admin agents API: list, create, read, update, delete, rotate, deactivate, reactivate.
/// Administrators see every agent; an organization API key only its organization's.
struct AgentRoutes: Sendable {
    let runtime: MachineAuthRuntime
    static let secretNotice = "Save this client_secret - it will not be shown again!"

    func register(on router: RouteRegistrar) {
        router.get("/api/agents") { request, context in try await list(request, context: context, organizationID: nil) }
        router.post("/api/agents") { request, context in try await create(request, context: context, organizationID: nil) }
        router.get("/api/agents/{id}") { request, context in
            let (_, agent) = try await visibleAgent(request, context: context)
            return JSONResponse.value(["agent": view(agent)])
        }
        router.patch("/api/agents/{id}") { request, context in try await update(request, context: context) }
        router.put("/api/agents/{id}") { request, context in try await update(request, context: context) }
        router.delete("/api/agents/{id}") { request, context in
            let (scope, agent) = try await visibleAgent(request, context: context)
            _ = try await runtime.services.agents.delete(id: agent.id, by: attribution(scope, request, context))
            return JSONResponse.value(["message": "agent deleted", "id": .string(agent.id)])
        }
        router.post("/api/agents/{id}/rotate") { request, context in
            let (scope, agent) = try await visibleAgent(request, context: context)
            return try await rotate(agent, request: request, context: context, attribution: attribution(scope, request, context))
        }
        router.post("/api/agents/{id}/deactivate") { request, context in
            let (scope, agent) = try await visibleAgent(request, context: context)
            let updated = try await runtime.services.agents.deactivate(id: agent.id, by: attribution(scope, request, context))
            return try respond(updated, message: "agent deactivated; its tokens no longer work")
        }
        router.post("/api/agents/{id}/reactivate") { request, context in
            let (scope, agent) = try await visibleAgent(request, context: context)
            let updated = try await runtime.services.agents.reactivate(id: agent.id, by: attribution(scope, request, context))
            return try respond(updated, message: "agent reactivated")
        }
    }

    func view(_ agent: Agent) -> JSONValue {
        AgentView.render(agent, usage: runtime.services.usage.unflushed(agent.id), now: runtime.now())
    }

    func attribution(_ scope: AccessScope, _ request: Request, _ context: AppRequestContext) -> Attribution {
        Attribution(actor: scope.attributionActor, origin: context.origin(request))
    }

    /// The agent named by `{id}` when the caller may see it; 404 otherwise (never 403, so ids do not leak).
    func visibleAgent(_ request: Request, context: AppRequestContext) async throws -> (AccessScope, Agent) {
        let scope = try context.scope()
        let id = try context.parameters.require("id")
        guard let agent = try await runtime.storage.agent(id: id), scope.sees(organization: agent.organizationID) else {
            throw APIError.notFound("agent")
        }
        return (scope, agent)
    }

    func respond(_ agent: Agent?, message: String) throws -> Response {
        guard let agent else { throw APIError.notFound("agent") }
        return JSONResponse.value(["agent": view(agent), "message": .string(message)])
    }

    /// Lists agents; `organizationID` is set by the organization-scoped route.
    func list(_ request: Request, context: AppRequestContext, organizationID: String?) async throws -> Response {
        let scope = try context.scope()
        let query = QueryParameters(request: request)
        var filter = AgentQuery(search: query.string("q"), page: try query.page())
        if let status = query.string("status") {
            guard let parsed = AgentStatus(rawValue: status) else {
                throw APIError.invalidField("status", "must be one of active, inactive, expired")
            }
            filter.status = parsed
        }
        filter.organizationID = organizationID ?? query.string("organization_id") ?? query.string("org_id") ?? scope.currentOrganization
        filter.teamID = query.string("team_id")
        filter.scope = query.string("scope")
        if scope.organizations != nil {
            guard let wanted = filter.organizationID, scope.sees(organization: wanted) else {
                if organizationID != nil { throw APIError.notFound("organization") }
                return JSONResponse.value(["agents": [], "pagination": Page<Agent>(items: [], total: 0, request: filter.page).pagination])
            }
        }
        let page = try await runtime.storage.listAgents(filter)
        return JSONResponse.value(["agents": .array(page.items.map(view)), "pagination": page.pagination])
    }

    /// Creates an agent; `organizationID` is set by the organization-scoped route.
    func create(_ request: Request, context: AppRequestContext, organizationID: String?) async throws -> Response {
        let scope = try context.scope()
        let schema = organizationID == nil ? RequestSchemas.createAgent : RequestSchemas.createOrganizationAgent
        let body = try await JSONBody.read(request, schema: schema, maxBytes: runtime.settings.server.maxBodyBytes)
        var draft = AgentDraft(name: body.requiredString("name"))
        draft.description = body.string("description") ?? ""
        draft.tags = body.strings("tags") ?? []
        draft.scopes = body.strings("scopes") ?? []
        draft.metadata = body.stringMap("metadata") ?? [:]
        draft.grantTypes = body.strings("grant_types")
        draft.allowedAudiences = try checkAudiences(body.strings("allowed_audiences"), scope: scope) ?? []
        draft.expiresAt = try body.expiry(now: runtime.now()) ?? nil
        draft.organizationID = organizationID ?? body.string("organization_id")
        if draft.organizationID == nil, scope.organizations != nil { draft.organizationID = scope.currentOrganization }
        draft.teamID = body.string("team_id")
        try await checkPlacement(organizationID: draft.organizationID, teamID: draft.teamID, scope: scope)
        let created = try await runtime.services.agents.create(draft, by: attribution(scope, request, context))
        return JSONResponse.value(
            [
                "agent": view(created.agent), "client_id": .string(created.agent.clientID),
                "client_secret": created.clientSecret.map(JSONValue.string) ?? .null, "message": .string(Self.secretNotice),
            ], status: .created, headers: .noStore)
    }

    private func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, agent) = try await visibleAgent(request, context: context)
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateAgent, maxBytes: runtime.settings.server.maxBodyBytes)
        var changes = AgentChanges()
        changes.name = body.string("name")
        changes.description = body.string("description")
        changes.tags = body.strings("tags")
        changes.scopes = body.strings("scopes")
        changes.metadata = body.stringMap("metadata")
        changes.grantTypes = body.strings("grant_types")
        changes.allowedAudiences = try checkAudiences(body.strings("allowed_audiences"), scope: scope)
        changes.expiresAt = try body.expiry(now: runtime.now())
        if body.has("team_id") {
            let teamID = body.string("team_id")
            try await checkPlacement(organizationID: agent.organizationID, teamID: teamID, scope: scope)
            changes.teamID = .some(teamID)
        }
        let updated = try await runtime.services.agents.update(id: agent.id, changes, by: attribution(scope, request, context))
        return try respond(updated, message: "agent updated")
    }

    /// Only the instance owner grants agents audiences beyond the deployment's
    /// `tokens.allowed_audiences`: an organization must not mint tokens for another's resources.
    func checkAudiences(_ audiences: [String]?, scope: AccessScope) throws -> [String]? {
        guard let audiences, !scope.isOwner else { return audiences }
        let deployment = Set(runtime.settings.tokens.allowedAudiences + AudienceRequest(settings: runtime.settings).defaultAudience)
        if let outside = audiences.first(where: { !deployment.contains($0) }) {
            throw APIError.invalidField("allowed_audiences", "\"\(outside)\" is not among the deployment's tokens.allowed_audiences; only the owner may grant other audiences")
        }
        return audiences
    }

    /// The organization must be visible to the caller (404 otherwise); the team must belong to it.
    func checkPlacement(organizationID: String?, teamID: String?, scope: AccessScope) async throws {
        if let organizationID {
            guard scope.sees(organization: organizationID), try await runtime.storage.organization(id: organizationID) != nil else {
                throw APIError.notFound("organization")
            }
        } else if scope.organizations != nil {
            throw APIError.invalidField("organization_id", "is required for an organization administrator or API key")
        }
        if let teamID {
            guard let team = try await runtime.storage.team(id: teamID), team.organizationID == organizationID else {
                throw APIError.invalidField("team_id", "must be a team of the agent's organization")
            }
        }
    }

    /// Rotates the secret; `grace_period_seconds` keeps the old one working for a while.
    func rotate(_ agent: Agent, request: Request, context: AppRequestContext, attribution: Attribution) async throws -> Response {
        let body = try await JSONBody.read(request, schema: RequestSchemas.rotate, maxBytes: runtime.settings.server.maxBodyBytes)
        let grace = body.int("grace_period_seconds") ?? 0
        guard let (updated, secret) = try await runtime.services.agents.rotate(id: agent.id, gracePeriod: grace, by: attribution) else {
            throw APIError.notFound("agent")
        }
        var response: [String: JSONValue] = [
            "agent": view(updated), "client_id": .string(updated.clientID), "client_secret": .string(secret),
            "grace_period_seconds": .int(grace), "message": .string(Self.secretNotice),
        ]
        if grace > 0 {
            response["previous_secret_expires_at"] = AgentView.timestamp(runtime.now().addingTimeInterval(TimeInterval(grace)))
        }
        return JSONResponse.value(.object(response), headers: .noStore)
    }
}
