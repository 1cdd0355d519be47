import Foundation
import Logging
import MachineAuthCore

/// Everything a running server needs, built once at start-up from a loaded pipeline: the
/// opened storage, the built stages in configuration order, the key ring and the services.
public final class MachineAuthRuntime: Sendable {
    public let pipeline: LoadedPipeline
    public let storage: any Storage
    public let authenticators: [any Authenticator]
    public let enrichers: [any ClaimEnricher]
    public let notifiers: [any Notifier]
    public let keyRing: KeyRing
    public let hasher: SecretHasher
    public let logger: Logger
    public let now: @Sendable () -> Date

    public var settings: CoreSettings { pipeline.settings }

    init(
        pipeline: LoadedPipeline, storage: any Storage, authenticators: [any Authenticator], enrichers: [any ClaimEnricher],
        notifiers: [any Notifier], keyRing: KeyRing, hasher: SecretHasher, logger: Logger, now: @escaping @Sendable () -> Date
    ) {
        self.pipeline = pipeline
        self.storage = storage
        self.authenticators = authenticators
        self.enrichers = enrichers
        self.notifiers = notifiers
        self.keyRing = keyRing
        self.hasher = hasher
        self.logger = logger
        self.now = now
    }

    /// Opens storage, checks production safety, builds every stage and loads the key ring.
    public static func start(
        _ pipeline: LoadedPipeline, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> MachineAuthRuntime {
        let settings = pipeline.settings
        if let weakness = settings.admin.passwordWeakness {
            guard settings.server.environment != .production else {
                throw StartupError("refusing to start in production: \(weakness); set ADMIN_PASSWORD to a strong password (12+ characters)")
            }
            logger.warning("\(weakness); acceptable in development only — set ADMIN_PASSWORD before deploying")
        }
        let storage = try await pipeline.storage.make(StorageContext(logger: logger, environment: settings.server.environment.rawValue))
        try await storage.open()
        do {
            let hasher = try await makeHasher(settings.security, storage: storage)
            let context = StageContext(storage: storage, hasher: hasher, settings: settings, logger: logger, now: now)
            var authenticators: [any Authenticator] = []
            for stage in pipeline.authenticators { authenticators.append(try await stage.make(context)) }
            var enrichers: [any ClaimEnricher] = []
            for stage in pipeline.enrichers { enrichers.append(try await stage.make(context)) }
            var notifiers: [any Notifier] = []
            for stage in pipeline.notifiers { notifiers.append(try await stage.make(context)) }
            let keyRing = KeyRing(store: storage, settings: settings.tokens)
            try await keyRing.load(now: now())
            return MachineAuthRuntime(
                pipeline: pipeline, storage: storage, authenticators: authenticators, enrichers: enrichers,
                notifiers: notifiers, keyRing: keyRing, hasher: hasher, logger: logger, now: now)
        } catch {
            try? await storage.close()
            throw error
        }
    }

    /// The configured secret-hashing key, or the one generated on first start and kept in storage.
    private static func makeHasher(_ security: SecuritySettings, storage: any Storage) async throws -> SecretHasher {
        if !security.secretHashKey.isEmpty { return SecretHasher(key: Data(security.secretHashKey.utf8)) }
        let generated = Base64URL.encode(RandomToken.randomBytes(32))
        let stored = try await storage.insertSettingIfAbsent("secret_hash_key", value: generated)
        return SecretHasher(key: Data(stored.utf8))
    }

    /// Flushes notifiers and closes storage.
    public func stop() async {
        for notifier in notifiers { await notifier.shutdown() }
        do {
            try await storage.close()
        } catch {
            logger.error("closing storage failed", metadata: ["error": "\(error)"])
        }
    }
}

/// A reason the server cannot start, printed as is.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
