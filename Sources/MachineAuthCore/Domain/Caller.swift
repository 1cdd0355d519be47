/// Who is calling — one type for every way in: authenticator stages answer with it, the
/// token, introspection and revocation endpoints, the API's access rules and the gateway all
/// speak it.
public enum Caller: Sendable {
    /// An OAuth client that proved itself with its client credentials.
    case client(AgentPrincipal)
    /// An agent presenting its own access token.
    case agentToken(ValidatedAccessToken)
    /// An organization API key.
    case apiKey(APIKeyPrincipal)
    /// A signed-in administrator (the owner, an organization administrator or a viewer).
    case admin(AdminSession)

    /// Who events and audit records name.
    public var actor: EventActor {
        switch self {
        case .client(let principal): return .agent(principal.agent.id)
        case .agentToken(let token): return .agent(token.agent.id)
        case .apiKey(let key): return .apiKey(key.keyID)
        case .admin(let session): return .admin(session.email)
        }
    }

    /// The agent calling for itself (with its credentials or its token), if it is one.
    public var agent: Agent? {
        switch self {
        case .client(let principal): return principal.agent
        case .agentToken(let token): return token.agent
        case .apiKey, .admin: return nil
        }
    }
}
