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
            let scope = try context.scope()
            let id = try context.parameters.require("id")
            guard let user = try await runtime.storage.deleteUser(id: id) else { throw APIError.notFound("user") }
            await publish("user.deleted", user, scope, request, context)
            return JSONResponse.value(["message": "user deleted", "id": .string(user.id)])
        }
    }

    private func roles(_ text: String?) throws -> AdminRole? {
        guard let text else { return nil }
        guard let role = AdminRole(rawValue: text), role != .owner else { throw APIError.invalidField("role", "must be admin or viewer") }
        return role
    }

    private func organizations(_ ids: [String]?) async throws -> [String]? {
        guard let ids else { return nil }
        for id in ids where try await runtime.storage.organization(id: id) == nil {
            throw APIError.invalidField("organization_ids", "unknown organization \(id)")
        }
        return Array(Set(ids)).sorted()
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let body = try await JSONBody.read(request, schema: RequestSchemas.createUser, maxBytes: runtime.settings.server.maxBodyBytes)
        let email = try FieldRules.email(body.requiredString("email"))
        guard email.lowercased() != runtime.settings.admin.email.lowercased() else { throw APIError.conflict("that is the instance owner's e-mail") }
        let password = try FieldRules.password(body.requiredString("password"))
        let user = AdminUser(
            id: RandomToken.uuid(), email: email, name: body.string("name") ?? "", passwordHash: try PasswordHasher.hash(password),
            role: try roles(body.string("role")) ?? .admin, organizationIDs: try await organizations(body.strings("organization_ids")) ?? [],
            createdAt: runtime.now())
        try await runtime.storage.insertUser(user)
        await publish("user.created", user, scope, request, context)
        return JSONResponse.value(["user": TenancyView.user(user)], status: .created)
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try context.parameters.require("id")
        let body = try await JSONBody.read(request, schema: RequestSchemas.updateUser, maxBytes: runtime.settings.server.maxBodyBytes)
        let name = body.string("name")
        let role = try roles(body.string("role"))
        let memberships = try await organizations(body.strings("organization_ids"))
        let passwordHash = try body.string("password").map { try PasswordHasher.hash(try FieldRules.password($0)) }
        let time = runtime.now()
        guard let user = try await runtime.storage.updateUser(id: id, { user in
            if let name { user.name = name }
            if let role { user.role = role }
            if let memberships { user.organizationIDs = memberships }
            if let passwordHash { user.passwordHash = passwordHash }
            user.updatedAt = time
        }) else { throw APIError.notFound("user") }
        await publish("user.updated", user, scope, request, context)
        return JSONResponse.value(["user": TenancyView.user(user)])
    }

    private func publish(_ type: String, _ user: AdminUser, _ scope: AccessScope, _ request: Request, _ context: AppRequestContext) async {
        await runtime.events.publish(DomainEvent(
            type: type, time: runtime.now(), actor: scope.attributionActor, target: EventTarget(kind: "user", id: user.id),
            data: ["email": .string(user.email), "role": .string(user.role.rawValue)], origin: context.origin(request)))
    }
}
