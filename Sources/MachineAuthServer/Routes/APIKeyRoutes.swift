import Hummingbird
import MachineAuthCore

/// `/api/organizations/{id}/api-keys` and `/api-keys/{key_id}`. Keys are listed, made and
/// revoked by administrators only; the `sk_…` value is returned once.
struct APIKeyRoutes: Sendable {
    let runtime: MachineAuthRuntime
    let organizations: OrganizationRoutes
    static let keyNotice = "Save this key - it will not be shown again!"

    func register(on router: RouteRegistrar) {
        router.get("/api/organizations/{id}/api-keys") { request, context in
            let (_, organization) = try await organizations.visible(request, context)
            let keys = try await runtime.storage.listAPIKeys(organizationID: organization.id)
            return JSONResponse.value(["api_keys": .array(keys.map { TenancyView.apiKey($0, now: runtime.now()) })])
        }
        router.post("/api/organizations/{id}/api-keys") { request, context in
            let (tenancy, organization) = try await organizations.visible(request, context)
            let body = try await JSONBody.read(request, schema: RequestSchemas.createAPIKey, maxBytes: runtime.settings.server.maxBodyBytes)
            let (key, secret) = try await tenancy.createAPIKey(
                in: organization, name: body.requiredString("name"), expiresAt: try body.expiry(now: runtime.now()) ?? nil)
            return JSONResponse.value(
                ["api_key": TenancyView.apiKey(key, now: runtime.now()), "key": .string(secret), "message": .string(Self.keyNotice)],
                status: .created, headers: .noStore)
        }
        router.delete("/api/organizations/{id}/api-keys/{key_id}") { request, context in
            let (tenancy, organization) = try await organizations.visible(request, context)
            let key = try await tenancy.revokeAPIKey(try context.parameters.require("key_id"), of: organization)
            return JSONResponse.value(["api_key": TenancyView.apiKey(key, now: runtime.now()), "message": "API key revoked"])
        }
    }
}
