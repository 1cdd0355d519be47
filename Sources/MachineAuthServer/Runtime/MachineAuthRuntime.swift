import Foundation
import Logging
import MachineAuthCore
import Prometheus

/// Everything a running server needs, built once at start-up from a loaded pipeline: the
/// opened storage, the built stages in configuration order, the key ring and the services.
public final class MachineAuthRuntime: Sendable {
    public let pipeline: LoadedPipeline
    public let storage: any Storage
    public let authenticators: [any Authenticator]
    public let grants: [any GrantHandler]
    public let enrichers: [any ClaimEnricher]
    public let notifiers: [any Notifier]
    public let keyRing: KeyRing
    public let hasher: SecretHasher
    public let logger: Logger
    public let now: @Sendable () -> Date

    public let revocations: RevocationList
    public let issuer: TokenIssuer
    /// `POST /oauth/token`: client authentication, grants, signing, events.
    public let tokens: TokenService
    /// The authenticator chain: clients and API keys.
    public let clients: ClientAuthentication
    /// `POST /oauth/revoke`: refresh tokens through their grant, access tokens on the denylist.
    public let revocation: RevocationService
    public let validator: TokenValidator
    public let usage: UsageRecorder
    public let events: EventBus
    public let agents: AgentService
    public let tenants: TenantService
    /// Signing-key rotation, announced.
    public let signingKeys: SigningKeyService
    public let gateway: GatewayEngine
    public let provisioner: Provisioner
    public let adminSessions: AdminSessions
    /// Signing in and out, and the administrator accounts.
    public let administrators: AdministratorService
    /// Failed client authentications, per (client id, address) and per address.
    public let clientFailures: FailureLimiter
    public let metricsRegistry: PrometheusCollectorRegistry
    public let telemetry: Telemetry

    public var settings: CoreSettings { pipeline.settings }

    /// The notifier that delivers webhooks (`nil` when the `webhooks` stage is not configured).
    public var webhookDispatcher: (any WebhookDispatcher)? {
        notifiers.lazy.compactMap { $0 as? any WebhookDispatcher }.first
    }

    init(
        pipeline: LoadedPipeline, storage: any Storage, stages: BuiltStages, keyRing: KeyRing, hasher: SecretHasher, secretBox: SecretBox,
        revocations: RevocationList, metrics: PrometheusCollectorRegistry, telemetry: Telemetry, logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        let settings = pipeline.settings
        self.pipeline = pipeline
        self.storage = storage
        self.authenticators = stages.authenticators
        self.grants = stages.grants
        self.enrichers = stages.enrichers
        self.notifiers = stages.notifiers
        self.keyRing = keyRing
        self.hasher = hasher
        self.logger = logger
        self.now = now
        self.revocations = revocations
        let issuer = TokenIssuer(keyRing: keyRing, enrichers: stages.enrichers, settings: settings, now: now)
        self.issuer = issuer
        let validator = TokenValidator(keyRing: keyRing, revocations: revocations, agents: storage, settings: settings, now: now)
        self.validator = validator
        let usage = UsageRecorder(store: storage)
        self.usage = usage
        let events = EventBus(notifiers: stages.notifiers)
        self.events = events
        let clientFailures = FailureLimiter(
            limit: settings.security.maxFailedAuthentications, window: TimeInterval(settings.security.failureWindow.seconds))
        self.clientFailures = clientFailures
        let clients = ClientAuthentication(
            authenticators: stages.authenticators, limiter: clientFailures, usage: usage, events: events, agents: storage, now: now)
        self.clients = clients
        self.tokens = TokenService(
            clients: clients, grants: stages.grants, issuer: issuer, usage: usage, events: events, telemetry: telemetry, settings: settings, now: now)
        self.agents = AgentService(
            storage: storage, hasher: hasher, events: events, settings: settings, grantTypes: stages.grants.map(\.grantType), now: now)
        self.tenants = TenantService(storage: storage, hasher: hasher, events: events, now: now)
        self.signingKeys = SigningKeyService(keyRing: keyRing, events: events, now: now)
        self.revocation = RevocationService(
            grants: stages.grants, keyRing: keyRing, revocations: revocations, storage: storage, events: events, telemetry: telemetry,
            settings: settings, now: now)
        self.gateway = GatewayEngine(settings: settings.gateway, validator: validator, clients: clients, tenants: storage)
        self.provisioner = Provisioner(storage: storage, agents: agents, tenants: tenants, hasher: hasher, secretBox: secretBox, now: now)
        let adminSessions = AdminSessions(keyRing: keyRing, revocations: revocations, settings: settings, hasher: hasher, now: now)
        self.adminSessions = adminSessions
        self.administrators = AdministratorService(
            sessions: adminSessions, storage: storage, revocations: revocations, events: events, settings: settings, now: now)
        self.metricsRegistry = metrics
        self.telemetry = telemetry
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
            let telemetry = Telemetry(factory: PrometheusMetricsFactory(registry: metrics))
            let secretBox = SecretBox(masterKey: masterKey)
            let context = StageContext(
                storage: storage, hasher: hasher, secretBox: secretBox, telemetry: telemetry, settings: settings,
                logger: logger, now: now)
            let stages = try await BuiltStages.build(pipeline, context: context)
            let keyRing = KeyRing(store: storage, settings: settings.tokens)
            try await keyRing.load(now: now())
            let revocations = RevocationList()
            try await revocations.load(from: storage)
            return MachineAuthRuntime(
                pipeline: pipeline, storage: storage, stages: stages, keyRing: keyRing, hasher: hasher, secretBox: secretBox,
                revocations: revocations, metrics: metrics, telemetry: telemetry, logger: logger, now: now)
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
        return Data(try await storage.insertSettingIfAbsent("secret_hash_key", value: generated).utf8)
    }

    /// Applies the pipeline's `provision:` section; generated secrets are printed once to
    /// standard output (never to the log).
    public func applyProvision() async throws {
        guard let document = pipeline.provision, !document.isEmpty || document.prune else { return }
        let report = try await provisioner.apply(document, dryRun: false)
        logger.notice("provisioned from \(pipeline.source): \(report.lines.filter { $0.action == .create }.count) created, \(report.lines.filter { $0.action == .update }.count) updated, \(report.lines.filter { $0.action == .delete }.count) deleted")
        ProvisionOutput.printSecrets(report)
    }

    /// Flushes usage counters and notifiers, then closes storage (for commands that use a
    /// runtime without serving; the server does the same through its service group).
    public func stop() async {
        await flushUsage()
        for notifier in notifiers { await notifier.shutdown() }
        await closeStorage()
    }

    func flushUsage() async {
        do {
            try await usage.flush()
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

/// The stages of a pipeline, built in configuration order.
struct BuiltStages: Sendable {
    var authenticators: [any Authenticator] = []
    var grants: [any GrantHandler] = []
    var enrichers: [any ClaimEnricher] = []
    var notifiers: [any Notifier] = []

    static func build(_ pipeline: LoadedPipeline, context: StageContext) async throws -> BuiltStages {
        var stages = BuiltStages()
        for stage in pipeline.authenticators { stages.authenticators.append(try await stage.make(context)) }
        for stage in pipeline.grants { stages.grants.append(try await stage.make(context)) }
        for stage in pipeline.enrichers { stages.enrichers.append(try await stage.make(context)) }
        for stage in pipeline.notifiers { stages.notifiers.append(try await stage.make(context)) }
        return stages
    }
}

/// A reason the server cannot start, printed as is.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
