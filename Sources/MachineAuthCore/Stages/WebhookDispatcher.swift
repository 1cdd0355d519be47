/// What the notifier that delivers webhooks offers the webhook API (``Notifier/webhooks``):
/// test sends, sealed secrets, and hearing about changed subscriptions.
public protocol WebhookDispatcher: Sendable {
    /// Default `max_retries` for new webhooks.
    var defaultMaxRetries: Int { get }
    /// Whether private, loopback and link-local targets are allowed.
    var allowsPrivateTargets: Bool { get }
    /// Sends one `webhook.test` delivery right away and returns it with its outcome.
    func sendTest(webhook: Webhook, data: [String: JSONValue]) async throws -> WebhookDelivery
    /// Seals a new signing secret for storage.
    func sealSecret(_ secret: String) throws -> String
    /// Tells the dispatcher a subscription was created, changed or deleted.
    func subscriptionsChanged()
}
