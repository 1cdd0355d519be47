/// The domain events MachineAuth publishes, for webhook subscriptions and `GET /api/webhook-events`.
public enum EventCatalog {
    public static let events: [(type: String, description: String)] = [
        ("agent.created", "an agent was created"),
        ("agent.updated", "an agent's name, scopes, metadata or expiry changed"),
        ("agent.deleted", "an agent was deleted"),
        ("agent.rotated", "an agent's client secret was rotated"),
        ("agent.deactivated", "an agent was deactivated; its tokens stopped working"),
        ("agent.reactivated", "an agent was reactivated"),
        ("token.issued", "an access token was issued (client_credentials, or jwt-bearer for a federated identity)"),
        ("token.refreshed", "an access token was issued for a refresh token"),
        ("token.revoked", "an access or refresh token was revoked"),
        ("token.failed", "a client failed to authenticate"),
        ("organization.created", "an organization was created"),
        ("organization.updated", "an organization was changed"),
        ("organization.deleted", "an organization was deleted"),
        ("team.created", "a team was created"),
        ("team.updated", "a team was changed"),
        ("team.deleted", "a team was deleted"),
        ("api_key.created", "an organization API key was created"),
        ("api_key.revoked", "an organization API key was revoked"),
        ("user.created", "an administrator account was created"),
        ("user.updated", "an administrator account was changed"),
        ("user.deleted", "an administrator account was deleted"),
        ("admin.login", "an administrator signed in (or failed to)"),
        ("admin.logout", "an administrator signed out"),
        ("keys.rotated", "the signing key was rotated"),
        ("trusted_issuer.created", "a trusted issuer (workload identity federation) was added through the API"),
        ("trusted_issuer.updated", "a trusted issuer was changed"),
        ("trusted_issuer.deleted", "a trusted issuer was removed; its tokens are no longer accepted"),
        ("webhook.test", "a test delivery requested through the API"),
    ]

    /// Whether a subscription pattern names known events: an event type, `group.*`, or `*`.
    public static func isValidPattern(_ pattern: String) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasSuffix(".*") { return events.contains { $0.type.hasPrefix(pattern.dropLast()) } }
        return events.contains { $0.type == pattern }
    }
}
