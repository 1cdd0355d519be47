public import Foundation
public import Logging

/// What authenticator, enricher and notifier stages are given when they are built.
public struct StageContext: Sendable {
    public var storage: any Storage
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
