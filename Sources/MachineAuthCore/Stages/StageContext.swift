import Foundation
import Logging

/// What authenticator, enricher and notifier stages are given when they are built.
public struct StageContext: Sendable {
    public var storage: any Storage
    /// Hashes secrets the way the rest of the server does (keyed HMAC-SHA-256).
    public var hasher: SecretHasher
    public var settings: CoreSettings
    public var logger: Logger
    /// The current time; tests substitute a fixed clock.
    public var now: @Sendable () -> Date

    public init(
        storage: any Storage, hasher: SecretHasher, settings: CoreSettings, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.hasher = hasher
        self.settings = settings
        self.logger = logger
        self.now = now
    }
}
