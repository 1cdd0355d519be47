import Hummingbird
import MachineAuthCore

/// `/api/organizations/{id}/api-keys` and `/api-keys/{key_id}`. Keys are listed, made and
/// revoked by administrators only; the `sk_…` value is returned once.
struct APIKeyRoutes: Sendable {
    let runtime: MachineAuthRuntime
    let organizations: OrganizationRoutes

    func register(on router: RouteRegistrar) {
        router.get("/api/organizations/{id}/api-keys") { request, context in
            let (_, organization) = try await organizations.visible(request, context)
            let keys = try await runtime.storage.listAPIKeys(organizationID: organization.id)
            return JSONResponse.value(["api_keys": .array(keys.map { TenancyView.apiKey($0, now: runtime.now()) })])
        }
        router.post("/api/organizations/{id}/api-keys") { request, context in
            let (scope, organization) = try await organizations.visible(request, context)
            let body = try await JSONBody.read(request, schema: RequestSchemas.createAPIKey, maxBytes: runtime.settings.server.maxBodyBytes)
            let (key, secret) = try await runtime.services.tenants.createAPIKey(
                organizationID: organization.id, name: body.requiredString("name"), expiresIn: nil,
                expiresAt: try body.expiry(now: runtime.now()) ?? nil, by: organizations.attribution(scope, request, context))
            return JSONResponse.value(
                [
                    "api_key": TenancyView.apiKey(key, now: runtime.now()), "key": .string(secret),
                    "message": "Save this key - it will not be shown again!",
                ], status: .created, headers: .noStore)
        }
        router.delete("/api/organizations/{id}/api-keys/{key_id}") { request, context in
            let (scope, organization) = try await organizations.visible(request, context)
            let keyID = try context.parameters.require("key_id")
            guard try await runtime.storage.listAPIKeys(organizationID: organization.id).contains(where: { $0.id == keyID }),
                let key = try await runtime.services.tenants.revokeAPIKey(id: keyID, by: organizations.attribution(scope, request, context))
            else { throw APIError.notFound("API key") }
            return JSONResponse.value(["api_key": TenancyView.apiKey(key, now: runtime.now()), "message": "API key revoked"])
        }
    }
}
