import Foundation
import Hummingbird
import MachineAuthCore

/// `/api/users`: administrator accounts, managed by the instance owner only.
struct UserRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.get("/api/users") { _, _ in
            JSONResponse.value(["users": .array(try await runtime.storage.listUsers().map(TenancyView.user))])
        }
        router.post("/api/users") { request, context in try await create(request, context) }
        router.patch("/api/users/{id}") { request, context in try await update(request, context) }
        router.delete("/api/users/{id}") { request, context in
            let id = try context.parameters.require("id")
            guard let user = try await runtime.services.administrators.deleteUser(id: id, by: try attribution(request, context)) else {
                throw APIError.notFound("user")
            }
            return JSONResponse.value(["message": "user deleted", "id": .string(user.id)])
        }
    }

    private func attribution(_ request: Request, _ context: AppRequestContext) throws -> Attribution {
        Attribution(actor: try context.scope().attributionActor, origin: context.origin(request))
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, schema: RequestSchemas.createUser, maxBytes: runtime.settings.server.maxBodyBytes)
        let user = try await runtime.services.administrators.createUser(
            email: body.requiredString("email"), password: body.requiredString("password"), name: body.string("name") ?? "",
            role: body.string("role"), organizationIDs: body.strings("organization_ids") ?? [], by: try attribution(request, context))
        return JSONResponse.value(["user": TenancyView.user(user)], status: .created)
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateUser, maxBytes: runtime.settings.server.maxBodyBytes)
        guard let user = try await runtime.services.administrators.updateUser(
            id: try context.parameters.require("id"), name: body.string("name"), role: body.string("role"),
            organizationIDs: body.strings("organization_ids"), password: body.string("password"), by: try attribution(request, context))
        else { throw APIError.notFound("user") }
        return JSONResponse.value(["user": TenancyView.user(user)])
    }
}
