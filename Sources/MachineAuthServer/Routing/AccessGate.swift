import Hummingbird
import MachineAuthCore

/// Authenticates the caller of a route once, before its handler, and applies the route's
/// ``Access`` rule: 401 without valid credentials, 403 for a caller the rule does not admit
/// and for a cookie-authenticated change without the session's CSRF token — in the
/// `X-CSRF-Token` header, or for a dashboard page in the form's `csrf_token` field.
struct AccessGate: Sendable {
    let runtime: MachineAuthRuntime

    /// - Parameters:
    ///   - form: the form a dashboard page was posted with (read before the gate), whose
    ///     `csrf_token` field counts like the header.
    func admit(_ route: Route, _ request: Request, _ context: inout AppRequestContext, form: RequestParameters? = nil) async throws {
        guard route.access.needsCaller else { return }
        let authentication = Authentication(runtime: runtime)
        guard let credential = authentication.presented(request) else { throw OAuthError.missingCredentials }
        let caller = try await authentication.caller(request, context: context, credential: credential.value)
        if credential.source == .cookie {
            guard case .admin(let session) = caller else { throw OAuthError.invalidToken("the session cookie holds no admin session") }
            let fromForm = route.kind == .page ? (try? form?.single(Self.csrfField)) ?? nil : nil
            let sent = request.headers[Authentication.csrfHeader] ?? fromForm ?? ""
            guard Self.isSafe(request.method) || ConstantTime.equals(sent, runtime.services.adminSessions.csrfToken(for: session)) else {
                throw APIError(.forbidden, code: "csrf_token_invalid",
                               "a request authenticated by the session cookie must send the session's CSRF token in X-CSRF-Token")
            }
        }
        let scope = try await AccessScope.resolve(caller, runtime: runtime)
        guard route.access.allows(scope.role) else { throw APIError.forbidden(Self.refusal(route.access, scope.role)) }
        context.identity = scope
        context.notes.record(caller.actor)
    }

    /// The form field of a dashboard page that carries the CSRF token.
    static let csrfField = "csrf_token"

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        method == .get || method == .head || method == .options
    }

    static func refusal(_ access: Access, _ role: Role) -> String {
        switch access {
        case .agentToken: return "this operation requires the agent's own access token"
        case .owner: return "only the instance owner can do this"
        case .orgWrite where role == .viewer, .adminWrite where role == .viewer: return "a viewer cannot change anything"
        case .adminRead, .adminWrite, .adminSession: return "this operation requires an administrator session"
        default: return "this operation requires an administrator or an organization API key"
        }
    }
}
