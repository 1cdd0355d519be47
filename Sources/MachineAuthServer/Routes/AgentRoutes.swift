import Foundation
import Hummingbird
import MachineAuthCore

/// The admin agents API: list, create, read, update, delete, rotate, deactivate, reactivate.
/// Administrators see every agent; an organization API key only its organization's.
struct AgentRoutes: Sendable {
    let runtime: MachineAuthRuntime
    static let secretNotice = "Save this client_secret - it will not be shown again!"
    static let keysNotice = "The agent has no secret: it signs client assertions with a key of its jwks (private_key_jwt)."
    static let certificateNotice = "The agent has no secret: it authenticates with its client certificate over mutual TLS (RFC 8705)."

    /// What the creation of an agent without a secret tells the caller.
    static func notice(forSecretless agent: Agent) -> String {
        agent.tokenEndpointAuthMethod == Agent.privateKeyJWT ? keysNotice : certificateNotice
    }

    /// The `tls_client_auth_*` fields of a body that carry a value (`[:]` when only `null`s were
    /// given), or `nil` when it names none.
    static func tlsClientAuthFields(_ body: JSONBody) -> [String: String]? {
        let named = TLSClientAuthSubject.Kind.metadataNames.filter(body.has)
        guard !named.isEmpty else { return nil }
        return Dictionary(uniqueKeysWithValues: named.compactMap { name in body.string(name).map { (name, $0) } })
    }

    func register(on router: RouteRegistrar) {
        router.get("/api/agents") { request, context in try await list(request, context: context, organizationID: nil) }
        router.post("/api/agents") { request, context in try await create(request, context: context, organizationID: nil) }
        router.get("/api/agents/{id}") { request, context in
            let agent = try await agents(request, context).visible(try context.parameters.require("id"))
            return JSONResponse.value(["agent": view(agent)])
        }
        router.patch("/api/agents/{id}") { request, context in try await update(request, context: context) }
        router.put("/api/agents/{id}") { request, context in try await update(request, context: context) }
        router.delete("/api/agents/{id}") { request, context in
            let agents = try agents(request, context)
            let agent = try await agents.visible(try context.parameters.require("id"))
            try await agents.delete(agent)
            return JSONResponse.value(["message": "agent deleted", "id": .string(agent.id)])
        }
        router.post("/api/agents/{id}/rotate") { request, context in
            let agents = try agents(request, context)
            let agent = try await agents.visible(try context.parameters.require("id"))
            let grace = try await gracePeriod(request)
            return rotated(try await agents.rotate(agent, gracePeriod: grace), gracePeriod: grace)
        }
        router.post("/api/agents/{id}/deactivate") { request, context in
            let agents = try agents(request, context)
            let updated = try await agents.deactivate(try await agents.visible(try context.parameters.require("id")))
            return respond(updated, message: "agent deactivated; its tokens no longer work")
        }
        router.post("/api/agents/{id}/reactivate") { request, context in
            let agents = try agents(request, context)
            let updated = try await agents.reactivate(try await agents.visible(try context.parameters.require("id")))
            return respond(updated, message: "agent reactivated")
        }
    }

    func view(_ agent: Agent) -> JSONValue {
        AgentView.render(agent, usage: runtime.services.usage.unflushed(agent.id), now: runtime.now())
    }

    /// The caller's reach over agents.
    func agents(_ request: Request, _ context: AppRequestContext) throws -> ScopedAgents {
        ScopedAgents(runtime: runtime, scope: try context.scope(), origin: context.origin(request))
    }

    func respond(_ agent: Agent, message: String) -> Response {
        JSONResponse.value(["agent": view(agent), "message": .string(message)])
    }

    /// Lists agents; `organizationID` is set by the organization-scoped route.
    func list(_ request: Request, context: AppRequestContext, organizationID: String?) async throws -> Response {
        let query = QueryParameters(request: request)
        let filter = AgentFilter(
            search: query.string("q"), status: query.string("status"),
            organizationID: query.string("organization_id") ?? query.string("org_id"), teamID: query.string("team_id"),
            scope: query.string("scope"), page: try query.page())
        let page = try await agents(request, context).list(filter, fixedOrganization: organizationID)
        return JSONResponse.value(["agents": .array(page.items.map(view)), "pagination": page.pagination])
    }

    /// Creates an agent; `organizationID` is set by the organization-scoped route.
    func create(_ request: Request, context: AppRequestContext, organizationID: String?) async throws -> Response {
        let schema = organizationID == nil ? RequestSchemas.createAgent : RequestSchemas.createOrganizationAgent
        let body = try await JSONBody.read(request, schema: schema, maxBytes: runtime.settings.server.maxBodyBytes)
        var draft = AgentDraft(name: body.requiredString("name"))
        draft.description = body.string("description") ?? ""
        draft.tags = body.strings("tags") ?? []
        draft.scopes = body.strings("scopes") ?? []
        draft.metadata = body.stringMap("metadata") ?? [:]
        draft.grantTypes = body.strings("grant_types")
        draft.allowedAudiences = body.strings("allowed_audiences") ?? []
        draft.expiresAt = try body.expiry(now: runtime.now()) ?? nil
        draft.organizationID = organizationID ?? body.string("organization_id")
        draft.teamID = body.string("team_id")
        draft.tokenEndpointAuthMethod = body.string("token_endpoint_auth_method")
        draft.jwks = body.value("jwks")
        draft.jwksURI = body.string("jwks_uri")
        draft.dpopBoundAccessTokens = body.bool("dpop_bound_access_tokens") ?? false
        draft.tlsClientCertificateBoundAccessTokens = body.bool("tls_client_certificate_bound_access_tokens") ?? false
        draft.tlsClientAuthFields = Self.tlsClientAuthFields(body) ?? [:]
        let created = try await agents(request, context).create(draft)
        return JSONResponse.value(
            [
                "agent": view(created.agent), "client_id": .string(created.agent.clientID),
                "client_secret": created.clientSecret.map(JSONValue.string) ?? .null,
                "message": .string(created.clientSecret == nil ? Self.notice(forSecretless: created.agent) : Self.secretNotice),
            ], status: .created, headers: .noStore)
    }

    private func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agents = try agents(request, context)
        let agent = try await agents.visible(try context.parameters.require("id"))
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateAgent, maxBytes: runtime.settings.server.maxBodyBytes)
        var changes = AgentChanges()
        changes.name = body.string("name")
        changes.description = body.string("description")
        changes.tags = body.strings("tags")
        changes.scopes = body.strings("scopes")
        changes.metadata = body.stringMap("metadata")
        changes.grantTypes = body.strings("grant_types")
        changes.allowedAudiences = body.strings("allowed_audiences")
        changes.expiresAt = try body.expiry(now: runtime.now())
        if body.has("team_id") { changes.teamID = .some(body.string("team_id")) }
        changes.tokenEndpointAuthMethod = body.string("token_endpoint_auth_method")
        if body.has("jwks") { changes.jwks = .some(body.value("jwks")) }
        if body.has("jwks_uri") { changes.jwksURI = .some(body.string("jwks_uri")) }
        changes.dpopBoundAccessTokens = body.bool("dpop_bound_access_tokens")
        changes.tlsClientCertificateBoundAccessTokens = body.bool("tls_client_certificate_bound_access_tokens")
        changes.tlsClientAuthFields = Self.tlsClientAuthFields(body)
        return respond(try await agents.update(agent, changes), message: "agent updated")
    }

    /// `grace_period_seconds` of a rotation body (default 0).
    func gracePeriod(_ request: Request) async throws -> Int {
        let body = try await JSONBody.read(request, schema: RequestSchemas.rotate, maxBytes: runtime.settings.server.maxBodyBytes)
        return body.int("grace_period_seconds") ?? 0
    }

    /// The response to a rotation: the new secret once; with a grace period, when the old one stops.
    func rotated(_ rotation: (Agent, String), gracePeriod grace: Int) -> Response {
        let (updated, secret) = rotation
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
