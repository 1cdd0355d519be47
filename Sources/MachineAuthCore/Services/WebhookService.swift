public import Foundation

/// Creates and changes webhook subscriptions, free of HTTP: checks targets, event patterns and
/// placement, seals signing secrets, and tells the delivering notifier (``WebhookDispatcher``).
/// Only exists when the `webhooks` notifier stage is configured.
///
/// ```swift
/// let (webhook, secret) = try await webhooks.create(WebhookDraft(url: "https://example.com/hook"))
/// ```
public struct WebhookService: Sendable {
    let storage: any Storage
    public let dispatcher: any WebhookDispatcher
    let now: @Sendable () -> Date

    public init(storage: any Storage, dispatcher: any WebhookDispatcher, now: @escaping @Sendable () -> Date) {
        self.storage = storage
        self.dispatcher = dispatcher
        self.now = now
    }

    /// A new subscription; the signing secret is returned this once.
    public func create(_ draft: WebhookDraft) async throws -> (Webhook, String) {
        try checkTarget(draft.url)
        let events = try Self.events(draft.events) ?? ["*"]
        if let teamID = draft.teamID {
            guard let team = try await storage.team(id: teamID), team.organizationID == draft.organizationID else {
                throw ValidationError("team_id", "must be a team of the webhook's organization")
            }
        }
        let secret = Webhook.generateSecret()
        let webhook = Webhook(
            id: RandomToken.uuid(), name: try FieldRules.name(draft.name ?? draft.url), url: draft.url, events: events,
            encryptedSecret: try dispatcher.sealSecret(secret), organizationID: draft.organizationID, teamID: draft.teamID,
            isActive: draft.isActive ?? true, maxRetries: draft.maxRetries ?? dispatcher.defaultMaxRetries,
            retryBackoffBase: draft.retryBackoffBase ?? 2, createdAt: now())
        try await storage.insertWebhook(webhook)
        dispatcher.subscriptionsChanged()
        return (webhook, secret)
    }

    /// Changes a subscription; re-enabling one clears its failure count. `nil` when it does not exist.
    public func update(id: String, _ changes: WebhookChanges) async throws -> Webhook? {
        if let url = changes.url { try checkTarget(url) }
        let name = try changes.name.map { try FieldRules.name($0) }
        let events = try Self.events(changes.events)
        let time = now()
        guard let updated = try await storage.updateWebhook(id: id, { stored in
            if let url = changes.url { stored.url = url }
            if let name { stored.name = name }
            if let events { stored.events = events }
            if let retries = changes.maxRetries { stored.maxRetries = retries }
            if let backoff = changes.retryBackoffBase { stored.retryBackoffBase = backoff }
            if let active = changes.isActive {
                stored.isActive = active
                if active {
                    stored.consecutiveFails = 0
                    stored.disabledReason = nil
                }
            }
            stored.updatedAt = time
        }) else { return nil }
        dispatcher.subscriptionsChanged()
        return updated
    }

    /// A new signing secret, returned this once.
    public func rotateSecret(id: String) async throws -> (Webhook, String)? {
        let secret = Webhook.generateSecret()
        let sealed = try dispatcher.sealSecret(secret)
        let time = now()
        guard let updated = try await storage.updateWebhook(id: id, { $0.encryptedSecret = sealed; $0.updatedAt = time }) else { return nil }
        return (updated, secret)
    }

    /// Deletes the subscription and its deliveries.
    public func delete(id: String) async throws -> Webhook? {
        let deleted = try await storage.deleteWebhook(id: id)
        dispatcher.subscriptionsChanged()
        return deleted
    }

    /// Sends one `webhook.test` delivery now and returns it with its outcome.
    public func sendTest(_ webhook: Webhook, message: String?) async throws -> WebhookDelivery {
        try await dispatcher.sendTest(webhook: webhook, data: ["message": .string(message ?? "test delivery from MachineAuth")])
    }

    /// An http(s) URL; a literal internal address is refused now (unless private targets are
    /// allowed), a name whenever a delivery resolves it.
    func checkTarget(_ url: String) throws(ValidationError) {
        guard let host = Webhook.targetURL(url)?.host else { throw ValidationError("url", "must be an http or https URL") }
        if !dispatcher.allowsPrivateTargets, IPAddressRange.isInternal(host) {
            throw ValidationError("url", "private, loopback and link-local targets are not allowed (allow_private_targets)")
        }
    }

    /// At least one event, each an event type, `group.*` or `*`.
    static func events(_ events: [String]?) throws(ValidationError) -> [String]? {
        guard let events else { return nil }
        for event in events where !EventCatalog.isValidPattern(event) {
            throw ValidationError("events", "unknown event \"\(event)\" (see GET /api/webhook-events; wildcards: agent.*, *)")
        }
        guard !events.isEmpty else { throw ValidationError("events", "must name at least one event") }
        return events
    }
}
