import Foundation
import Hummingbird
import MachineAuthCore

/// `/api/organizations` and everything below one organization: teams, agents and API keys.
/// Every by-id route checks the caller's scope (``ScopedTenancy``) and answers 404 outside it.
struct OrganizationRoutes: Sendable {
    let runtime: MachineAuthRuntime
    var agents: AgentRoutes { AgentRoutes(runtime: runtime) }

    func register(on router: RouteRegistrar) {
        router.get("/api/organizations") { request, context in
            let page = try await tenancy(request, context).organizations(page: try QueryParameters(request: request).page())
            return JSONResponse.value(["organizations": .array(page.items.map(TenancyView.organization)), "pagination": page.pagination])
        }
        router.post("/api/organizations") { request, context in try await create(request, context) }
        router.get("/api/organizations/{id}") { request, context in
            let (_, organization) = try await visible(request, context)
            return JSONResponse.value(["organization": TenancyView.organization(organization)])
        }
        router.put("/api/organizations/{id}") { request, context in try await update(request, context) }
        router.patch("/api/organizations/{id}") { request, context in try await update(request, context) }
        router.delete("/api/organizations/{id}") { request, context in
            let (tenancy, organization) = try await visible(request, context)
            let cascade = try QueryParameters(request: request).bool("cascade") ?? false
            let removed = try await tenancy.deleteOrganization(organization, cascade: cascade)
            return JSONResponse.value(["message": "organization deleted", "id": .string(organization.id), "agents_deleted": .int(removed.count)])
        }
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

    /// The caller's reach over organizations, teams and API keys.
    func tenancy(_ request: Request, _ context: AppRequestContext) throws -> ScopedTenancy {
        ScopedTenancy(runtime: runtime, scope: try context.scope(), origin: context.origin(request))
    }

    /// The organization `{id}` if the caller may see it.
    func visible(_ request: Request, _ context: AppRequestContext) async throws -> (ScopedTenancy, Organization) {
        let tenancy = try tenancy(request, context)
        return (tenancy, try await tenancy.organization(try context.parameters.require("id")))
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, schema: RequestSchemas.createOrganization, maxBytes: runtime.settings.server.maxBodyBytes)
        let organization = try await tenancy(request, context).createOrganization(
            name: body.requiredString("name"), slug: body.requiredString("slug"), ownerEmail: body.string("owner_email"))
        return JSONResponse.value(["organization": TenancyView.organization(organization)], status: .created)
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (tenancy, organization) = try await visible(request, context)
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateOrganization, maxBytes: runtime.settings.server.maxBodyBytes)
        let owner: String?? = body.has("owner_email") ? .some(body.string("owner_email")) : nil
        let updated = try await tenancy.updateOrganization(organization, name: body.string("name"), slug: body.string("slug"), ownerEmail: owner)
        return JSONResponse.value(["organization": TenancyView.organization(updated)])
    }
}
