import Foundation
import Hummingbird
import MachineAuthCore

/// `/api/organizations` and everything below one organization: teams, agents and API keys.
/// Every by-id route checks the caller's scope and answers 404 outside it.
struct OrganizationRoutes: Sendable {
    let runtime: MachineAuthRuntime
    var agents: AgentRoutes { AgentRoutes(runtime: runtime) }

    func register(on router: RouteRegistrar) {
        router.get("/api/organizations") { request, context in try await list(request, context) }
        router.post("/api/organizations") { request, context in try await create(request, context) }
        router.get("/api/organizations/{id}") { request, context in
            let (_, organization) = try await visible(request, context)
            return JSONResponse.value(["organization": TenancyView.organization(organization)])
        }
        router.put("/api/organizations/{id}") { request, context in try await update(request, context) }
        router.patch("/api/organizations/{id}") { request, context in try await update(request, context) }
        router.delete("/api/organizations/{id}") { request, context in try await delete(request, context) }
        router.get("/api/organizations/{id}/agents") { request, context in
            let (_, organization) = try await visible(request, context)
            return try await agents.list(request, context: context, organizationID: organization.id)
        }
        router.post("/api/organizations/{id}/agents") { request, context in
            let (_, organization) = try await visible(request, context)
            return try await agents.create(request, context: context, organizationID: organization.id)
        }
        TeamRoutes(runtime: runtime, organizations: self).register(on: router)
        APIKeyRoutes(runtime: runtime, organizations: self).register(on: router)
    }

    func attribution(_ scope: AccessScope, _ request: Request, _ context: AppRequestContext) -> Attribution {
        Attribution(actor: scope.attributionActor, origin: context.origin(request))
    }

    /// The organization `{id}` if the caller may see it.
    func visible(_ request: Request, _ context: AppRequestContext) async throws -> (AccessScope, Organization) {
        let scope = try context.scope()
        let id = try context.parameters.require("id")
        guard scope.sees(organization: id), let organization = try await runtime.storage.organization(id: id) else {
            throw APIError.notFound("organization")
        }
        return (scope, organization)
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let page = try await runtime.storage.listOrganizations(ids: scope.organizations, page: try QueryParameters(request: request).page())
        return JSONResponse.value(["organizations": .array(page.items.map(TenancyView.organization)), "pagination": page.pagination])
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let body = try await JSONBody.read(request, schema: RequestSchemas.createOrganization, maxBytes: runtime.settings.server.maxBodyBytes)
        let organization = try await runtime.services.tenants.createOrganization(
            name: body.requiredString("name"), slug: body.requiredString("slug"),
            ownerEmail: body.string("owner_email"), by: attribution(scope, request, context))
        if case .admin(let session) = scope.caller, !scope.isOwner {
            _ = try await runtime.storage.updateUser(id: session.userID) { $0.organizationIDs.append(organization.id) }
        }
        return JSONResponse.value(["organization": TenancyView.organization(organization)], status: .created)
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (scope, organization) = try await visible(request, context)
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateOrganization, maxBytes: runtime.settings.server.maxBodyBytes)
        let owner: String?? = body.has("owner_email") ? .some(body.string("owner_email")) : nil
        guard let updated = try await runtime.services.tenants.updateOrganization(
            id: organization.id, name: body.string("name"), slug: body.string("slug"), ownerEmail: owner,
            by: attribution(scope, request, context))
        else { throw APIError.notFound("organization") }
        return JSONResponse.value(["organization": TenancyView.organization(updated)])
    }

    private func delete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (scope, organization) = try await visible(request, context)
        let cascade = try QueryParameters(request: request).bool("cascade") ?? false
        guard let removed = try await runtime.services.tenants.deleteOrganization(id: organization.id, cascade: cascade, by: attribution(scope, request, context)) else {
            throw APIError.notFound("organization")
        }
        return JSONResponse.value(["message": "organization deleted", "id": .string(organization.id), "agents_deleted": .int(removed.count)])
    }
}
