public import Foundation
public import Logging

/// What authenticator, grant, enricher and notifier stages are given when they are built: the
/// narrow stores they may use — never the whole storage driver, its lifecycle or its locks.
public struct StageContext: Sendable {
    private let storage: any Storage
    /// Agents and their usage counters.
    public var agents: any AgentStore { storage }
    /// Refresh tokens and access-token revocations.
    public var tokens: any TokenStore { storage }
    /// Identifiers that may be used once (assertion `jti`s), shared across instances.
    public var replays: any ReplayStore { storage }
    /// Organizations, teams, API keys and administrators.
    public var tenants: any TenantStore { storage }
    /// The audit trail.
    public var audit: any AuditStore { storage }
    /// Webhook subscriptions and the delivery outbox.
    public var webhooks: any WebhookStore { storage }
    /// Trusted issuers made through the API (workload identity federation); every driver keeps them.
    public var trustedIssuers: any TrustedIssuerStore { storage }
    /// Changes other instances made, for caches that must follow them.
    public var changeFeed: any ChangeFeed { storage }
    /// Hashes secrets the way the rest of the server does (keyed HMAC-SHA-256).
    public var hasher: SecretHasher
    /// Encrypts secrets the server must read back (webhook signing secrets).
    public var secretBox: SecretBox
    public var telemetry: Telemetry
    public var settings: CoreSettings
    public var logger: Logger
    /// The current time; tests substitute a fixed clock.
    public var now: @Sendable () -> Date

    public init(
        storage: any Storage, hasher: SecretHasher, secretBox: SecretBox, telemetry: Telemetry, settings: CoreSettings,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.hasher = hasher
        self.secretBox = secretBox
        self.telemetry = telemetry
        self.settings = settings
        self.logger = logger
        self.now = now
    }
}
