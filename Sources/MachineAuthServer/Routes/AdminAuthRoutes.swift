import Foundation
import Hummingbird
import MachineAuthCore

/// `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`.
struct AdminAuthRoutes: Sendable {
    let runtime: MachineAuthRuntime

    func register(on router: Router<AppRequestContext>) {
        router.post("/api/auth/login") { request, context in try await login(request, context: context) }
        router.post("/api/auth/logout") { request, context in try await logout(request, context: context) }
        router.get("/api/auth/me") { request, context in
            let session = try await Authentication(runtime: runtime).requireAdmin(request, context: context)
            return JSONResponse.value(["user": user(session), "expires_at": AgentView.timestamp(session.expiresAt)])
        }
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
            session = try runtime.adminSessions.login(email: email, password: password, from: context.clientAddress)
        } catch AdminLoginError.rateLimited(let wait) {
            throw APIError(.tooManyRequests, code: "too_many_requests", "too many failed sign-ins; retry after \(wait) seconds")
                .with(retryAfter: wait)
        } catch AdminLoginError.invalidCredentials {
            await publish("admin.login", email: email, outcome: .failure, request: request, context: context)
            throw APIError(.unauthorized, code: "invalid_credentials", "wrong e-mail or password")
        }
        await publish("admin.login", email: session.email, outcome: .success, request: request, context: context)
        var response = JSONResponse.value(
            [
                "token": .string(session.token), "token_type": "Bearer", "expires_in": .int(runtime.settings.admin.sessionTTL.seconds),
                "expires_at": AgentView.timestamp(session.expiresAt), "user": user(session),
            ], headers: .noStore)
        response.setCookie(Cookie(
            name: Authentication.adminCookie, value: session.token, maxAge: runtime.settings.admin.sessionTTL.seconds, path: "/",
            secure: context.scheme == "https", httpOnly: true, sameSite: .strict))
        return response
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
