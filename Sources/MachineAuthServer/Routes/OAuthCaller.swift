import Hummingbird
import MachineAuthCore

/// Who calls introspection or revocation, and which tokens it may see or revoke.
enum OAuthCaller: Sendable {
    /// An agent authenticated with its client credentials: its own tokens.
    case client(Agent)
    /// An administrator: every token of the organizations it may see (`nil`: all); viewers only read.
    case admin(AdminSession, organizations: Set<String>?, viewer: Bool)
    /// An organization API key: tokens of that organization's agents.
    case apiKey(APIKeyPrincipal)
    /// A token introspecting itself (when `allow_self_introspection` is on): tokens of the same agent.
    case selfToken(Agent)

    /// Whether the caller may learn about (or revoke) a token of `agent`.
    func owns(_ agent: Agent) -> Bool {
        switch self {
        case .client(let client), .selfToken(let client): return client.id == agent.id
        case .admin(_, let organizations, _): return organizations.map { agent.organizationID.map($0.contains) ?? false } ?? true
        case .apiKey(let key): return agent.organizationID == key.organizationID
        }
    }

    var actor: EventActor {
        switch self {
        case .client(let agent), .selfToken(let agent): return .agent(agent.id)
        case .admin(let session, _, _): return .admin(session.email)
        case .apiKey(let key): return .apiKey(key.keyID)
        }
    }

    /// Whether the caller may revoke tokens (viewers change nothing).
    var mayRevoke: Bool {
        if case .admin(_, _, let viewer) = self { return !viewer }
        return true
    }

    /// Client credentials, an admin token, an API key, or (if allowed) the agent's own token.
    static func resolve(
        _ request: Request, context: AppRequestContext, parameters: RequestParameters, runtime: MachineAuthRuntime, allowSelf: Bool
    ) async throws -> OAuthCaller {
        let authentication = Authentication(runtime: runtime)
        if let client = try await authentication.authenticateClient(request, context: context, parameters: parameters) {
            return .client(client.agent)
        }
        let caller: Caller?
        do {
            caller = try await authentication.caller(request, context: context)
        } catch let error as OAuthError {
            throw OAuthError.invalidClient("caller authentication failed: \(error.message)")
        }
        switch caller {
        case .admin(let session):
            let scope = try await AccessScope.resolve(.admin(session), runtime: runtime)
            return .admin(session, organizations: scope.organizations, viewer: scope.role == .viewer)
        case .apiKey(let key): return .apiKey(key)
        case .agent(let token) where allowSelf: return .selfToken(token.agent)
        case .agent:
            throw OAuthError.invalidClient("authenticate with client credentials (self-introspection is disabled)", challenge: .basic)
        case nil:
            throw OAuthError.invalidClient("client authentication is required", challenge: .basic)
        }
    }
}
