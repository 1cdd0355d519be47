public import Foundation
public import Logging
public import MachineAuthCore
public import Prometheus

/// Everything a running server needs, built once at start-up from a loaded pipeline: the
/// opened storage, the built stages in configuration order, and the core's services.
public final class MachineAuthRuntime: Sendable {
    public let pipeline: LoadedPipeline
    public let storage: any Storage
    public let stages: BuiltStages
    /// Token issuance, validation, agents, tenants, administrators, keys, the gateway, provisioning.
    public let services: CoreServices
    public let logger: Logger
    public let now: @Sendable () -> Date
    public let metricsRegistry: PrometheusCollectorRegistry

    public var settings: CoreSettings { pipeline.settings }

    init(
        pipeline: LoadedPipeline, storage: any Storage, stages: BuiltStages, services: CoreServices, metrics: PrometheusCollectorRegistry,
        logger: Logger, now: @escaping @Sendable () -> Date
    ) {
        self.pipeline = pipeline
        self.storage = storage
        self.stages = stages
        self.services = services
        self.metricsRegistry = metrics
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
            let masterKey = try await secretKey(settings.security, storage: storage)
            let hasher = SecretHasher(key: masterKey)
            let metrics = PrometheusCollectorRegistry()
            var metricsFactory = PrometheusMetricsFactory(registry: metrics)
            metricsFactory.durationHistogramBuckets[Telemetry.signingTimeLabel] = Telemetry.signingTimeBuckets
            let telemetry = Telemetry(factory: metricsFactory, now: now)
            let secretBox = SecretBox(masterKey: masterKey)
            let context = StageContext(
                storage: storage, hasher: hasher, secretBox: secretBox, telemetry: telemetry, settings: settings,
                logger: logger, now: now)
            let stages = try await BuiltStages.build(pipeline, context: context)
            let keyRing = KeyRing(store: storage, settings: settings.tokens)
            try await keyRing.load(now: now())
            let revocations = RevocationList()
            try await revocations.load(from: storage)
            let services = CoreServices(
                settings: settings, storage: storage, stages: stages, keyRing: keyRing, hasher: hasher, secretBox: secretBox,
                revocations: revocations, telemetry: telemetry, now: now)
            return MachineAuthRuntime(pipeline: pipeline, storage: storage, stages: stages, services: services, metrics: metrics, logger: logger, now: now)
        } catch {
            try? await storage.close()
            throw error
        }
    }

    /// The instance's secret key (`SECRET_HASH_KEY`), or the one generated on first start and kept
    /// in storage. It keys the secret hashes and seals webhook signing secrets.
    private static func secretKey(_ security: SecuritySettings, storage: any Storage) async throws -> Data {
        if !security.secretHashKey.isEmpty { return Data(security.secretHashKey.utf8) }
        let generated = Base64URL.encode(RandomToken.randomBytes(32))
        return Data(try await storage.insertSettingIfAbsent(SecretHasher.settingName, value: generated).utf8)
    }

    /// Applies the pipeline's `provision:` section; generated secrets are printed once to
    /// standard output (never to the log).
    public func applyProvision() async throws {
        guard let document = pipeline.provision, !document.isEmpty || document.prune else { return }
        let report = try await services.provisioner.apply(document, dryRun: false)
        logger.notice("provisioned from \(pipeline.source): \(report.lines.filter { $0.action == .create }.count) created, \(report.lines.filter { $0.action == .update }.count) updated, \(report.lines.filter { $0.action == .delete }.count) deleted")
        ProvisionOutput.printSecrets(report)
    }

    /// Flushes usage counters and notifiers, then closes storage (for commands that use a
    /// runtime without serving; the server does the same through its service group).
    public func stop() async {
        await flushUsage()
        for notifier in stages.notifiers { await notifier.shutdown() }
        await closeStorage()
    }

    func flushUsage() async {
        do {
            try await services.usage.flush()
        } catch {
            logger.error("flushing usage counters failed", metadata: ["error": "\(error)"])
        }
    }

    func closeStorage() async {
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
