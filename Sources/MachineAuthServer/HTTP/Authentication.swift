import Foundation
import Hummingbird
import MachineAuthCore

/// Who is calling the API: an administrator, an organization API key, or an agent with its
/// own access token.
enum Caller: Sendable {
    case admin(AdminSession)
    case apiKey(APIKeyPrincipal)
    case agent(ValidatedAccessToken)

    var actor: EventActor {
        switch self {
        case .admin(let session): return .admin(session.email)
        case .apiKey(let key): return .apiKey(key.keyID)
        case .agent(let token): return .agent(token.agent.id)
        }
    }
}

/// Resolves callers from bearer credentials, and OAuth clients through the authenticator
/// stages with per-client and per-address rate limiting of failures.
struct Authentication: Sendable {
    static let adminCookie = "machineauth_admin"
    let runtime: MachineAuthRuntime

    /// The bearer credential: `Authorization: Bearer`, `X-API-Key`, or the admin session cookie.
    func bearer(_ request: Request) -> String? {
        if let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " {
            return header.dropFirst(7).trimmingASCIIWhitespace
        }
        if let key = request.headers[.xAPIKey], !key.isEmpty { return key }
        return request.cookies[Self.adminCookie]?.value
    }

    /// The caller, or `nil` when the request carries no bearer credential. Invalid credentials throw 401.
    func caller(_ request: Request, context: AppRequestContext) async throws -> Caller? {
        guard let credential = bearer(request) else { return nil }
        return try await caller(request, context: context, credential: credential)
    }

    /// The caller a given credential stands for.
    func caller(_ request: Request, context: AppRequestContext, credential: String) async throws -> Caller? {
        if credential.hasPrefix("sk_") {
            let presentation = CredentialPresentation(
                purpose: .apiAccess, authorization: "Bearer \(credential)", remoteAddress: context.clientAddress)
            for authenticator in runtime.authenticators where authenticator.capabilities.purposes.contains(.apiAccess) {
                if case .apiKey(let key) = try await authenticator.authenticate(presentation) { return .apiKey(key) }
            }
            throw OAuthError.invalidToken("the API key is invalid, expired or revoked")
        }
        do {
            if let session = try runtime.adminSessions.validate(credential) { return .admin(session) }
            return .agent(try await runtime.validator.validate(credential))
        } catch let rejection as TokenRejection {
            throw OAuthError.invalidToken(rejection.message)
        }
    }

    /// The caller; 401 with a Bearer challenge when there is none.
    func requireCaller(_ request: Request, context: AppRequestContext) async throws -> Caller {
        guard let caller = try await caller(request, context: context) else { throw OAuthError.missingCredentials }
        return caller
    }

    /// An administrator (or, when `allowAPIKey`, an organization API key); agents get 403.
    func requireAdmin(_ request: Request, context: AppRequestContext) async throws -> AdminSession {
        switch try await requireCaller(request, context: context) {
        case .admin(let session): return session
        case .apiKey, .agent: throw APIError.forbidden("this operation requires an administrator")
        }
    }

    /// An agent presenting its own access token.
    func requireAgent(_ request: Request, context: AppRequestContext) async throws -> ValidatedAccessToken {
        switch try await requireCaller(request, context: context) {
        case .agent(let token): return token
        case .admin, .apiKey: throw APIError.forbidden("this operation requires the agent's own access token")
        }
    }

    /// Authenticates an OAuth client with the configured stages; `nil` when it sent no client credentials.
    func authenticateClient(_ request: Request, context: AppRequestContext, parameters: RequestParameters) async throws -> AgentPrincipal? {
        let presentation = CredentialPresentation.from(request, context: context, parameters: parameters, purpose: .clientAuthentication)
        let time = runtime.now()
        let keys = limiterKeys(presentation)
        if let wait = keys.compactMap({ runtime.clientFailures.retryAfter($0, at: time) }).max() {
            throw OAuthError.slowDown(retryAfter: wait)
        }
        do {
            for authenticator in runtime.authenticators where authenticator.capabilities.purposes.contains(.clientAuthentication) {
                if case .agent(let principal) = try await authenticator.authenticate(presentation) { return principal }
            }
            return nil
        } catch let error as OAuthError where error.code == "invalid_client" {
            for key in keys { runtime.clientFailures.recordFailure(key, at: time) }
            if let clientID = error.clientID, let agent = try? await runtime.storage.agent(clientID: clientID) {
                runtime.usage.record(agent.id, UsageDelta(failures: 1))
            }
            await runtime.events.publish(DomainEvent(
                type: "token.failed", time: time, actor: .anonymous, outcome: .failure,
                data: ["error": .string(error.code), "client_id": .string(error.clientID ?? presentation.parameters["client_id"] ?? "")],
                origin: context.origin(request)))
            throw error
        }
    }

    private func limiterKeys(_ presentation: CredentialPresentation) -> [String] {
        var keys = ["address:\(presentation.remoteAddress ?? "-")"]
        if let clientID = presentation.parameters["client_id"] ?? basicClientID(presentation.authorization) {
            keys.append("client:\(clientID)")
        }
        return keys
    }

    private func basicClientID(_ authorization: String?) -> String? {
        guard let authorization, authorization.prefix(6).lowercased() == "basic ",
            let data = Base64URL.decodeStandard(authorization.dropFirst(6).trimmingASCIIWhitespace), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return RequestParameters.decodeComponent(text[..<colon])
    }
}

extension OAuthError {
    /// No credentials at all: 401 with a bare Bearer challenge (RFC 6750 §3.1).
    static let missingCredentials = OAuthError(
        code: "unauthorized", message: "authentication is required", status: 401, challenge: .bearer)
}
