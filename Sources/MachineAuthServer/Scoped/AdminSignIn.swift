import Hummingbird
import MachineAuthCore

/// Signing in with an e-mail address and a password, for the API and the dashboard alike: the
/// field checks, the core's ``AdministratorService`` (rate limited per e-mail and address,
/// audited), and its refusals as API errors (`invalid_credentials` 401, 429 with `Retry-After`).
struct AdminSignIn: Sendable {
    let runtime: MachineAuthRuntime

    func signIn(email: String, password: String, request: Request, context: AppRequestContext) async throws -> AdminSession {
        guard !email.isEmpty, email.utf8.count <= 254 else { throw APIError.invalidField("email", "must be an e-mail address") }
        guard !password.isEmpty, password.utf8.count <= 1024 else { throw APIError.invalidField("password", "must be 1 to 1024 characters") }
        do {
            return try await runtime.services.administrators.login(
                email: email, password: password, from: context.clientAddress, origin: context.origin(request))
        } catch AdminLoginError.rateLimited(let wait) {
            throw APIError(.tooManyRequests, code: "too_many_requests", "too many failed sign-ins; retry after \(wait) seconds")
                .with(retryAfter: wait)
        } catch AdminLoginError.invalidCredentials {
            throw APIError(.unauthorized, code: "invalid_credentials", "wrong e-mail or password")
        }
    }
}
