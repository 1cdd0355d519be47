/// A message shown after a change that redirected (post, redirect, get). Only these fixed
/// codes travel in the URL (`?notice=agent-deactivated`) — never a name, a value or a secret.
enum Notice: String, Sendable, CaseIterable {
    case signedOut = "signed-out"
    case sessionEnded = "session-ended"
    case agentDeactivated = "agent-deactivated"
    case agentReactivated = "agent-reactivated"
    case agentDeleted = "agent-deleted"
    case organizationCreated = "organization-created"
    case teamCreated = "team-created"
    case apiKeyRevoked = "api-key-revoked"
    case webhookUpdated = "webhook-updated"
    case webhookDeleted = "webhook-deleted"
    case keysRotated = "keys-rotated"
    case userCreated = "user-created"
    case userDeleted = "user-deleted"

    var message: String {
        switch self {
        case .signedOut: return "You have signed out."
        case .sessionEnded: return "Your session has ended. Sign in again."
        case .agentDeactivated: return "The agent is deactivated; its tokens no longer work."
        case .agentReactivated: return "The agent is active again; it needs new tokens."
        case .agentDeleted: return "The agent is deleted; its tokens no longer work."
        case .organizationCreated: return "The organization is created."
        case .teamCreated: return "The team is created."
        case .apiKeyRevoked: return "The API key is revoked."
        case .webhookUpdated: return "The webhook is saved."
        case .webhookDeleted: return "The webhook and its deliveries are deleted."
        case .keysRotated: return "A new signing key is active; the old one stays published until its tokens expire."
        case .userCreated: return "The administrator account is created."
        case .userDeleted: return "The administrator account is deleted."
        }
    }

    /// The message of a code from the URL (`nil` for anything else).
    static func text(_ code: String) -> String? { Notice(rawValue: code)?.message }
}
