/// What a new webhook subscription is made from; `nil` fields take their defaults (name: the
/// URL, events: `*`, active, the notifier's retries, backoff base 2).
public struct WebhookDraft: Sendable, Hashable {
    public var url: String
    public var name: String?
    public var events: [String]?
    /// Already checked to be an organization the caller may use.
    public var organizationID: String?
    /// Must be a team of `organizationID`.
    public var teamID: String?
    public var isActive: Bool?
    public var maxRetries: Int?
    public var retryBackoffBase: Double?

    public init(url: String) {
        self.url = url
    }
}

/// Changes to a webhook subscription; `nil` fields stay as they are.
public struct WebhookChanges: Sendable, Hashable {
    public var url: String?
    public var name: String?
    public var events: [String]?
    public var isActive: Bool?
    public var maxRetries: Int?
    public var retryBackoffBase: Double?

    public init() {}
}
