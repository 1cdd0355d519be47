/// Who may call a route: the one authorization table of the API is ``RouteTable``, one
/// `Access` per route, enforced by ``RouteRegistrar`` before any handler runs.
///
/// Object-level limits come after it: an organization administrator or API key only reaches
/// its own organizations (anything else answers 404, so ids do not leak).
public enum Access: String, Sendable, CaseIterable {
    /// No credentials needed (health, discovery, sign-in, forward-auth questions, verification).
    case anyone
    /// OAuth client authentication inside the endpoint (client credentials, or an administrator
    /// or API key for introspection and revocation).
    case oauthClient
    /// An agent's own access token, issued for this server (`aud` includes the issuer).
    case agentToken
    /// Any administrator session: the owner, an organization administrator or a viewer.
    case adminSession
    /// Reading organization data: administrators, viewers and organization API keys.
    case orgRead
    /// Changing organization data: administrators and organization API keys, not viewers.
    case orgWrite
    /// Reading what only administrators see (audit log, API keys): not API keys.
    case adminRead
    /// Changing what only administrators change (organizations, API keys): not viewers or API keys.
    case adminWrite
    /// The instance owner only (users, signing keys, instance-wide statistics).
    case owner

    /// Whether a caller with `role` passes (`nil`: no credentials at all).
    public func allows(_ role: Role?) -> Bool {
        switch self {
        case .anyone, .oauthClient: return true
        case .agentToken: return role == .agent
        case .adminSession, .adminRead: return role.map { [.owner, .administrator, .viewer].contains($0) } ?? false
        case .orgRead: return role.map { [.owner, .administrator, .viewer, .apiKey].contains($0) } ?? false
        case .orgWrite: return role.map { [.owner, .administrator, .apiKey].contains($0) } ?? false
        case .adminWrite: return role.map { [.owner, .administrator].contains($0) } ?? false
        case .owner: return role == .owner
        }
    }

    /// Whether the route needs the caller resolved before it runs (the others authenticate inside).
    var needsCaller: Bool { self != .anyone && self != .oauthClient }

    /// The README's "Who" column.
    public var who: String {
        switch self {
        case .anyone: return "anyone"
        case .oauthClient: return "OAuth client"
        case .agentToken: return "agent token"
        case .adminSession: return "owner, admin, viewer"
        case .orgRead: return "owner, admin, viewer, API key"
        case .orgWrite: return "owner, admin, API key"
        case .adminRead: return "owner, admin, viewer"
        case .adminWrite: return "owner, admin"
        case .owner: return "owner"
        }
    }
}

/// The kinds of caller the authorization table distinguishes.
public enum Role: String, Sendable, CaseIterable {
    /// The instance owner (`ADMIN_EMAIL`).
    case owner
    /// An administrator account of some organizations.
    case administrator
    /// A read-only administrator account.
    case viewer
    /// An organization API key.
    case apiKey
    /// An agent with its own access token.
    case agent
}
