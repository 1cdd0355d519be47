import Hummingbird
import MachineAuthCore

/// What an API caller may see and change: every organization or only some, read-only or not.
struct AccessScope: Sendable {
    /// `nil`: every organization (and agents without one).
    var organizations: Set<String>?
    var canWrite: Bool
    var caller: Caller

    /// The scope of an admin or API-key caller; agents are refused.
    static func of(_ caller: Caller) throws -> AccessScope {
        switch caller {
        case .admin(let session):
            return AccessScope(organizations: nil, canWrite: session.role != "viewer", caller: caller)
        case .apiKey(let key):
            return AccessScope(organizations: [key.organizationID], canWrite: true, caller: caller)
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

    var attributionActor: EventActor { caller.actor }
}
