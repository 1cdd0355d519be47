public import Foundation

/// A webhook subscription: events matching `events` (exact, `agent.*` or `*`) are delivered
/// to `url`, signed with the webhook's secret (Standard Webhooks).
public struct Webhook: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var url: String
    public var events: [String]
    /// The signing secret, encrypted at rest (see ``SecretBox``).
    public var encryptedSecret: String
    public var organizationID: String?
    public var teamID: String?
    public var isActive: Bool
    public var maxRetries: Int
    public var retryBackoffBase: Double
    public var createdAt: Date
    public var updatedAt: Date
    public var lastTestedAt: Date?
    /// Deliveries that ended `dead` in a row; reaching the limit disables the webhook.
    public var consecutiveFails: Int
    public var disabledReason: String?
    public var managedBy: String?

    public init(
        id: String, name: String, url: String, events: [String], encryptedSecret: String, organizationID: String? = nil,
        teamID: String? = nil, isActive: Bool = true, maxRetries: Int, retryBackoffBase: Double, createdAt: Date, managedBy: String? = nil
    ) {
        self.id = id
        self.name = name
        self.url = url
        self.events = events
        self.encryptedSecret = encryptedSecret
        self.organizationID = organizationID
        self.teamID = teamID
        self.isActive = isActive
        self.maxRetries = maxRetries
        self.retryBackoffBase = retryBackoffBase
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.consecutiveFails = 0
        self.managedBy = managedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, name, url, events
        case encryptedSecret = "encrypted_secret", organizationID = "organization_id", teamID = "team_id", isActive = "is_active"
        case maxRetries = "max_retries", retryBackoffBase = "retry_backoff_base", createdAt = "created_at", updatedAt = "updated_at"
        case lastTestedAt = "last_tested_at", consecutiveFails = "consecutive_fails", disabledReason = "disabled_reason"
        case managedBy = "managed_by"
    }

    /// `text` as a webhook target: an http or https URL naming a host; `nil` for anything else.
    /// The admin API, provisioning and the sender all check targets with this.
    public static func targetURL(_ text: String) -> URL? {
        guard text.utf8.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, (url.port ?? 1).clamped(to: 1...65535) == (url.port ?? 1), url.user == nil
        else { return nil }
        return url
    }

    /// A new signing secret: `whsec_` + 24 random bytes in base64 (Standard Webhooks).
    public static func generateSecret() -> String {
        "whsec_" + Data(RandomToken.randomBytes(24)).base64EncodedString()
    }

    /// Whether this webhook wants `event` (type and organization/team scope).
    public func wants(_ event: DomainEvent) -> Bool {
        guard isActive else { return false }
        if let organizationID, event.organizationID != organizationID { return false }
        if let teamID, event.teamID != teamID { return false }
        return events.contains { pattern in
            pattern == "*" || pattern == event.type || (pattern.hasSuffix(".*") && event.type.hasPrefix(pattern.dropLast()))
        }
    }
}

/// One event on its way to one webhook: the durable outbox entry and its history.
public struct WebhookDelivery: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting for its first attempt.
        case pending
        /// An attempt failed; another is scheduled.
        case retrying
        case delivered
        /// Refused without retrying (for example a private target).
        case failed
        /// Every attempt failed.
        case dead

        public var isFinal: Bool { self == .delivered || self == .failed || self == .dead }
    }

    public var id: String
    public var webhookID: String
    public var eventType: String
    public var eventID: String
    /// The exact JSON body sent (signed as is).
    public var payload: String
    public var status: Status
    public var attempts: Int
    public var maxAttempts: Int
    public var nextAttemptAt: Date
    public var createdAt: Date
    public var lastAttemptAt: Date?
    public var deliveredAt: Date?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var history: [DeliveryAttempt]
    /// The instance working on it and until when (a crashed instance's lease runs out).
    public var leaseOwner: String?
    public var leaseUntil: Date?

    public init(id: String, webhookID: String, eventType: String, eventID: String, payload: String, maxAttempts: Int, createdAt: Date) {
        self.id = id
        self.webhookID = webhookID
        self.eventType = eventType
        self.eventID = eventID
        self.payload = payload
        self.status = .pending
        self.attempts = 0
        self.maxAttempts = maxAttempts
        self.nextAttemptAt = createdAt
        self.createdAt = createdAt
        self.history = []
    }

    enum CodingKeys: String, CodingKey {
        case id, payload, status, attempts, history
        case webhookID = "webhook_id", eventType = "event", eventID = "event_id", maxAttempts = "max_attempts"
        case nextAttemptAt = "next_attempt_at", createdAt = "created_at", lastAttemptAt = "last_attempt_at", deliveredAt = "delivered_at"
        case lastStatusCode = "last_status_code", lastError = "last_error", leaseOwner = "lease_owner", leaseUntil = "lease_until"
    }

    /// Whether a worker may claim it now.
    public func isDue(at now: Date) -> Bool {
        (status == .pending || status == .retrying) && nextAttemptAt <= now && (leaseUntil.map { $0 <= now } ?? true)
    }
}

/// One attempt: when, the HTTP status (if any), how long it took, and the error.
public struct DeliveryAttempt: Sendable, Hashable, Codable {
    public var at: Date
    public var statusCode: Int?
    public var latencyMilliseconds: Int
    public var error: String?

    public init(at: Date, statusCode: Int?, latencyMilliseconds: Int, error: String?) {
        self.at = at
        self.statusCode = statusCode
        self.latencyMilliseconds = latencyMilliseconds
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case at, error
        case statusCode = "status_code", latencyMilliseconds = "latency_ms"
    }
}
