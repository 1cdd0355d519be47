import Foundation
import Hummingbird
import MachineAuthCore

/// `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`.
struct AdminAuthRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: RouteRegistrar) {
        router.post("/api/auth/login") { request, context in try await login(request, context: context) }
        router.post("/api/auth/logout") { request, context in try await logout(request, context: context) }
        router.get("/api/auth/me") { request, context in try await me(request, context) }
        router.post("/api/auth/switch-org") { request, context in try await switchOrganization(request, context) }
        router.post("/api/auth/signup") { request, context in try await signup(request, context) }
    }

    private func me(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        guard let session = scope.session else { throw APIError.forbidden("this operation requires an administrator session") }
        let organizations = try await runtime.storage.listOrganizations(ids: scope.organizations, page: PageRequest(page: 1, limit: 500))
        return JSONResponse.value([
            "user": user(session), "expires_at": AgentView.timestamp(session.expiresAt),
            "current_organization_id": scope.currentOrganization.map(JSONValue.string) ?? .null,
            "organizations": .array(organizations.items.map(TenancyView.organization)),
        ])
    }

    /// Issues a new session working in another organization the administrator belongs to.
    private func switchOrganization(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        guard let session = scope.session else { throw APIError.forbidden("this operation requires an administrator session") }
        let body = try await JSONBody.read(request, schema: RequestSchemas.switchOrganization, maxBytes: runtime.settings.server.maxBodyBytes)
        guard let organizationID = body.string("organization_id") ?? body.string("org_id"), !organizationID.isEmpty else {
            throw APIError.invalidField("organization_id", "is required")
        }
        guard scope.sees(organization: organizationID), try await runtime.storage.organization(id: organizationID) != nil else {
            throw APIError.notFound("organization")
        }
        let next = try await runtime.services.administrators.switchOrganization(session, to: organizationID)
        return sessionResponse(next, context: context)
    }

    /// Self-service sign-up (off unless `admin.allow_signup`): a new administrator and their organization.
    private func signup(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard runtime.settings.admin.allowSignup else {
            throw APIError(.forbidden, code: "signup_disabled", "sign-up is disabled on this server (admin.allow_signup)")
        }
        let body = try await JSONBody.read(request, schema: RequestSchemas.signup, maxBytes: runtime.settings.server.maxBodyBytes)
        let email = try FieldRules.email(body.requiredString("email"))
        let password = try FieldRules.password(body.requiredString("password"))
        let organizationName = body.requiredString("organization_name")
        let slug = body.string("organization_slug") ?? Self.slugify(organizationName)
        guard try await runtime.storage.user(email: email) == nil, email.lowercased() != runtime.settings.admin.email.lowercased() else {
            throw APIError.conflict("an account with this e-mail exists")
        }
        let attribution = Attribution(actor: .admin(email), origin: context.origin(request))
        let organization = try await runtime.services.tenants.createOrganization(name: organizationName, slug: slug, ownerEmail: email, by: attribution)
        let account = try await runtime.services.administrators.createUser(
            email: email, password: password, name: body.string("name") ?? "", role: AdminRole.admin.rawValue,
            organizationIDs: [organization.id], by: attribution)
        let session = try runtime.services.adminSessions.issue(
            email: email, role: account.role.rawValue, userID: account.id, organizationID: organization.id,
            passwordVersion: runtime.services.adminSessions.passwordVersion(of: account))
        var response = sessionResponse(session, context: context)
        response.status = .created
        return response
    }

    static func slugify(_ name: String) -> String {
        let lowered = name.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII ? $0 : "-" }
        let collapsed = String(lowered).split(separator: "-").joined(separator: "-")
        return String(collapsed.prefix(63))
    }

    /// The session as JSON (bearer token and CSRF token) and as cookies: the session itself
    /// (HttpOnly) and its CSRF token (readable by the dashboard's script).
    private func sessionResponse(_ session: AdminSession, context: AppRequestContext) -> Response {
        let csrf = runtime.services.adminSessions.csrfToken(for: session)
        var response = JSONResponse.value(
            [
                "token": .string(session.token), "token_type": "Bearer", "expires_in": .int(runtime.settings.admin.sessionTTL.seconds),
                "expires_at": AgentView.timestamp(session.expiresAt), "user": user(session),
                "current_organization_id": session.organizationID.map(JSONValue.string) ?? .null, "csrf_token": .string(csrf),
            ], headers: .noStore)
        SessionCookies.set(on: &response, session: session, csrf: csrf, lifetime: runtime.settings.admin.sessionTTL.seconds, context: context)
        return response
    }

    func user(_ session: AdminSession) -> JSONValue {
        ["id": .string(session.userID), "email": .string(session.email), "role": .string(session.role)]
    }

    private func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, schema: RequestSchemas.login, maxBytes: runtime.settings.server.maxBodyBytes)
        let session = try await AdminSignIn(runtime: runtime).signIn(
            email: body.requiredString("email"), password: body.requiredString("password"), request: request, context: context)
        return sessionResponse(session, context: context)
    }

    private func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let session = try context.scope().session else { throw APIError.forbidden("this operation requires an administrator session") }
        try await runtime.services.administrators.logout(session, origin: context.origin(request))
        var response = JSONResponse.value(["message": "signed out"], headers: .noStore)
        SessionCookies.clear(on: &response, context: context)
        return response
    }
}

extension APIError {
    /// Adds a `Retry-After` to the error (stored in the message-free header slot).
    func with(retryAfter seconds: Int) -> RetryingAPIError {
        RetryingAPIError(error: self, retryAfter: seconds)
    }
}

/// An API error that tells the client when to retry.
struct RetryingAPIError: Error {
    var error: APIError
    var retryAfter: Int
}
