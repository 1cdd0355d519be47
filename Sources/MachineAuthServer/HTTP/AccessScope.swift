import Hummingbird
import MachineAuthCore

/// What an API caller may see and change. The instance owner sees everything; an
/// organization admin only its organizations; a viewer reads only; an API key acts for its
/// organization. Anything outside the scope answers 404, so ids do not leak.
struct AccessScope: Sendable {
    /// `nil`: every organization (and agents without one).
    var organizations: Set<String>?
    var canWrite: Bool
    var caller: Caller
    var isOwner: Bool
    /// The organization an administrator works in (`switch-org`), used when a list names none.
    var currentOrganization: String?

    /// Resolves the scope of a caller; agents are refused (403). Memberships and roles are
    /// read from storage on every request, so changes apply at once.
    static func resolve(_ caller: Caller, storage: any Storage) async throws -> AccessScope {
        switch caller {
        case .admin(let session) where session.isOwner:
            return AccessScope(organizations: nil, canWrite: true, caller: caller, isOwner: true, currentOrganization: session.organizationID)
        case .admin(let session):
            guard let user = try await storage.user(id: session.userID) else {
                throw OAuthError.invalidToken("the administrator account no longer exists")
            }
            let current = session.organizationID.flatMap { user.organizationIDs.contains($0) ? $0 : nil } ?? user.organizationIDs.first
            return AccessScope(organizations: Set(user.organizationIDs), canWrite: user.role != .viewer, caller: caller, isOwner: false,
                               currentOrganization: current)
        case .apiKey(let key):
            return AccessScope(organizations: [key.organizationID], canWrite: true, caller: caller, isOwner: false,
                               currentOrganization: key.organizationID)
        case .agent:
            throw APIError.forbidden("this operation requires an administrator or an organization API key")
        }
    }

    func sees(organization: String?) -> Bool {
        guard let organizations else { return true }
        return organization.map(organizations.contains) ?? false
    }

    func requireWrite() throws {
        guard canWrite else { throw APIError.forbidden("a viewer cannot change anything") }
    }

    func requireOwner() throws {
        guard isOwner else { throw APIError.forbidden("only the instance owner can do this") }
    }

    /// Administrators only (owner, admin, viewer): API keys may not manage organizations or keys.
    func requireAdministrator() throws {
        if case .apiKey = caller { throw APIError.forbidden("an API key cannot do this; sign in as an administrator") }
    }

    var isAPIKey: Bool {
        if case .apiKey = caller { return true }
        return false
    }

    var attributionActor: EventActor { caller.actor }
}

extension Authentication {
    /// The caller's access scope (401 without credentials, 403 for agents).
    func scope(_ request: Request, context: AppRequestContext) async throws -> AccessScope {
        try await AccessScope.resolve(try await requireCaller(request, context: context), storage: runtime.storage)
    }
}
