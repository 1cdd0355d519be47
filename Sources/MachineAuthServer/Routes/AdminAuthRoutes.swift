import Foundation
import Hummingbird
import MachineAuthCore

/// `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`.
struct AdminAuthRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: Router<AppRequestContext>) {
        router.post("/api/auth/login") { request, context in try await login(request, context: context) }
        router.post("/api/auth/logout") { request, context in try await logout(request, context: context) }
        router.get("/api/auth/me") { request, context in try await me(request, context) }
        router.post("/api/auth/switch-org") { request, context in try await switchOrganization(request, context) }
        router.post("/api/auth/signup") { request, context in try await signup(request, context) }
    }

    private func me(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let authentication = Authentication(runtime: runtime)
        let session = try await authentication.requireAdmin(request, context: context)
        let scope = try await AccessScope.resolve(.admin(session), storage: runtime.storage)
        let organizations = try await runtime.storage.listOrganizations(ids: scope.organizations, page: PageRequest(page: 1, limit: 500))
        return JSONResponse.value([
            "user": user(session), "expires_at": AgentView.timestamp(session.expiresAt),
            "current_organization_id": scope.currentOrganization.map(JSONValue.string) ?? .null,
            "organizations": .array(organizations.items.map(TenancyView.organization)),
        ])
    }

    /// Issues a new session working in another organization the administrator belongs to.
    private func switchOrganization(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try await Authentication(runtime: runtime).requireAdmin(request, context: context)
        let scope = try await AccessScope.resolve(.admin(session), storage: runtime.storage)
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        guard let organizationID = try parameters.single("organization_id") ?? parameters.single("org_id"), !organizationID.isEmpty else {
            throw APIError.invalidField("organization_id", "is required")
        }
        guard scope.sees(organization: organizationID), try await runtime.storage.organization(id: organizationID) != nil else {
            throw APIError.notFound("organization")
        }
        let next = try runtime.adminSessions.issue(email: session.email, role: session.role, userID: session.userID, organizationID: organizationID)
        return sessionResponse(next, context: context)
    }

    /// Self-service sign-up (off unless `admin.allow_signup`): a new administrator and their organization.
    private func signup(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard runtime.settings.admin.allowSignup else {
            throw APIError(.forbidden, code: "signup_disabled", "sign-up is disabled on this server (admin.allow_signup)")
        }
        let body = try await JSONBody.read(request, maxBytes: runtime.settings.server.maxBodyBytes, allowEmpty: false)
        let email = try FieldRules.email(try body.string("email", required: true) ?? "")
        let password = try FieldRules.password(try body.string("password", required: true) ?? "")
        let organizationName = try body.string("organization_name", required: true) ?? ""
        let slug = try body.string("organization_slug") ?? Self.slugify(organizationName)
        guard try await runtime.storage.user(email: email) == nil, email.lowercased() != runtime.settings.admin.email.lowercased() else {
            throw APIError.conflict("an account with this e-mail exists")
        }
        let attribution = Attribution(actor: .admin(email), origin: context.origin(request))
        let organization = try await runtime.tenants.createOrganization(name: organizationName, slug: slug, ownerEmail: email, by: attribution)
        let account = AdminUser(
            id: RandomToken.uuid(), email: email, name: try body.string("name") ?? "", passwordHash: try PasswordHasher.hash(password),
            role: .admin, organizationIDs: [organization.id], createdAt: runtime.now())
        try await runtime.storage.insertUser(account)
        let session = try runtime.adminSessions.issue(email: email, role: account.role.rawValue, userID: account.id, organizationID: organization.id)
        var response = sessionResponse(session, context: context)
        response.status = .created
        return response
    }

    static func slugify(_ name: String) -> String {
        let lowered = name.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII ? $0 : "-" }
        let collapsed = String(lowered).split(separator: "-").joined(separator: "-")
        return String(collapsed.prefix(63))
    }

    private func sessionResponse(_ session: AdminSession, context: AppRequestContext) -> Response {
        var response = JSONResponse.value(
            [
                "token": .string(session.token), "token_type": "Bearer", "expires_in": .int(runtime.settings.admin.sessionTTL.seconds),
                "expires_at": AgentView.timestamp(session.expiresAt), "user": user(session),
                "current_organization_id": session.organizationID.map(JSONValue.string) ?? .null,
            ], headers: .noStore)
        response.setCookie(Cookie(
            name: Authentication.adminCookie, value: session.token, maxAge: runtime.settings.admin.sessionTTL.seconds, path: "/",
            secure: context.scheme == "https", httpOnly: true, sameSite: .strict))
        return response
    }

    func user(_ session: AdminSession) -> JSONValue {
        ["id": .string(session.userID), "email": .string(session.email), "role": .string(session.role)]
    }

    private func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = try await RequestParameters.read(request, maxBytes: runtime.settings.server.maxBodyBytes)
        guard let email = try parameters.single("email"), !email.isEmpty else { throw APIError.invalidField("email", "is required") }
        guard let password = try parameters.single("password"), !password.isEmpty else {
            throw APIError.invalidField("password", "is required")
        }
        let session: AdminSession
        do {
            session = try await runtime.adminSessions.login(email: email, password: password, from: context.clientAddress, users: runtime.storage)
        } catch AdminLoginError.rateLimited(let wait) {
            throw APIError(.tooManyRequests, code: "too_many_requests", "too many failed sign-ins; retry after \(wait) seconds")
                .with(retryAfter: wait)
        } catch AdminLoginError.invalidCredentials {
            await publish("admin.login", email: email, outcome: .failure, request: request, context: context)
            throw APIError(.unauthorized, code: "invalid_credentials", "wrong e-mail or password")
        }
        await publish("admin.login", email: session.email, outcome: .success, request: request, context: context)
        return sessionResponse(session, context: context)
    }

    private func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try await Authentication(runtime: runtime).requireAdmin(request, context: context)
        let revoked = RevokedAccessToken(jti: session.jti, expiresAt: session.expiresAt)
        try await runtime.storage.revokeAccessToken(revoked)
        runtime.revocations.insert(revoked)
        await publish("admin.logout", email: session.email, outcome: .success, request: request, context: context)
        var response = JSONResponse.value(["message": "signed out"], headers: .noStore)
        response.setCookie(Cookie(name: Authentication.adminCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
        return response
    }

    private func publish(_ type: String, email: String, outcome: DomainEvent.Outcome, request: Request, context: AppRequestContext) async {
        await runtime.events.publish(DomainEvent(
            type: type, time: runtime.now(), actor: .admin(email), outcome: outcome, origin: context.origin(request)))
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
