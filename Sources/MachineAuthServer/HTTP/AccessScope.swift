import Hummingbird
import MachineAuthCore

/// The authenticated caller of an API request, its ``Role`` in the authorization table, and
/// which organizations it reaches. The instance owner reaches everything; an organization
/// administrator or viewer only its organizations; an API key its own; an agent only itself.
/// Anything outside answers 404, so ids do not leak.
struct AccessScope: Sendable {
    var caller: Caller
    var role: Role
    /// `nil`: every organization (and agents without one).
    var organizations: Set<String>?
    /// The organization an administrator works in (`switch-org`), used when a list names none.
    var currentOrganization: String?

    var isOwner: Bool { role == .owner }

    /// Resolves the caller's role and reach. Memberships, roles and passwords are read from
    /// storage on every request, so changes apply at once.
    static func resolve(_ caller: Caller, runtime: MachineAuthRuntime) async throws -> AccessScope {
        switch caller {
        case .admin(let session) where session.isOwner:
            return AccessScope(caller: caller, role: .owner, organizations: nil, currentOrganization: session.organizationID)
        case .admin(let session):
            guard let user = try await runtime.storage.user(id: session.userID), user.role != .owner else {
                throw OAuthError.invalidToken("the administrator account no longer exists")
            }
            guard ConstantTime.equals(session.passwordVersion, runtime.services.adminSessions.passwordVersion(of: user)) else {
                throw OAuthError.invalidToken("the password changed since this session began; sign in again")
            }
            let current = session.organizationID.flatMap { user.organizationIDs.contains($0) ? $0 : nil } ?? user.organizationIDs.first
            return AccessScope(caller: caller, role: user.role == .viewer ? .viewer : .administrator,
                               organizations: Set(user.organizationIDs), currentOrganization: current)
        case .apiKey(let key):
            return AccessScope(caller: caller, role: .apiKey, organizations: [key.organizationID], currentOrganization: key.organizationID)
        case .agentToken, .client:
            let agent = caller.agent
            return AccessScope(caller: caller, role: .agent, organizations: Set(agent?.organizationID.map { [$0] } ?? []),
                               currentOrganization: agent?.organizationID)
        }
    }

    func sees(organization: String?) -> Bool {
        guard let organizations else { return true }
        return organization.map(organizations.contains) ?? false
    }

    /// The agent's own validated token (routes whose access is ``Access/agentToken``).
    var agentToken: ValidatedAccessToken? {
        if case .agentToken(let token) = caller { return token }
        return nil
    }

    /// Whether the caller may learn about (or revoke) a token of `agent`: an agent its own
    /// tokens, administrators and API keys the tokens of agents in their organizations.
    func owns(_ agent: Agent) -> Bool {
        if let own = caller.agent { return own.id == agent.id }
        return sees(organization: agent.organizationID)
    }

    /// Whether the caller may change anything (viewers may not).
    var mayWrite: Bool { role != .viewer }

    /// The administrator's session, for any role but API keys and agents.
    var session: AdminSession? {
        if case .admin(let session) = caller { return session }
        return nil
    }

    var attributionActor: EventActor { caller.actor }
}

extension AppRequestContext {
    /// The caller admitted by the route's access rule (set before the handler runs).
    func scope() throws -> AccessScope {
        guard let identity else { throw OAuthError.missingCredentials }
        return identity
    }
}
