public import Foundation

/// The built stages of a pipeline, in configuration order.
public struct BuiltStages: Sendable {
    public var authenticators: [any Authenticator] = []
    public var grants: [any GrantHandler] = []
    public var enrichers: [any ClaimEnricher] = []
    public var notifiers: [any Notifier] = []
    public var dpop: (any DPoPVerifier)?

    public init() {}

    /// Builds every stage of `pipeline` with `context`.
    public static func build(_ pipeline: LoadedPipeline, context: StageContext) async throws -> BuiltStages {
        var stages = BuiltStages()
        for stage in pipeline.authenticators { stages.authenticators.append(try await stage.make(context)) }
        for stage in pipeline.grants { stages.grants.append(try await stage.make(context)) }
        for stage in pipeline.enrichers { stages.enrichers.append(try await stage.make(context)) }
        for stage in pipeline.notifiers { stages.notifiers.append(try await stage.make(context)) }
        stages.dpop = try await pipeline.dpop?.make(context)
        return stages
    }
}

/// The core's services for one deployment, composed once from the opened storage and the built
/// stages — everything the HTTP layer and the CLI call, with no HTTP in it.
public struct CoreServices: Sendable {
    public let settings: CoreSettings
    public let keyRing: KeyRing
    public let hasher: SecretHasher
    public let revocations: RevocationList
    public let usage: UsageRecorder
    public let events: EventBus
    public let telemetry: Telemetry
    /// Checks access tokens (in memory).
    public let validator: TokenValidator
    /// DPoP-bound tokens (RFC 9449): the token endpoint binds, resources check proofs.
    public let dpop: DPoPBinding
    /// The authenticator chain: clients and API keys.
    public let clients: ClientAuthentication
    /// `POST /oauth/token`: client authentication, grants, signing, events.
    public let tokens: TokenService
    /// `POST /oauth/revoke`: tokens of grants through their stage, access tokens on the denylist.
    public let revocation: RevocationService
    /// `POST /oauth/introspect` and the dashboard's token tools: active or not, and why.
    public let inspector: TokenInspector
    public let agents: AgentService
    public let tenants: TenantService
    /// Webhook subscriptions (`nil` without the `webhooks` notifier stage: nothing would be delivered).
    public let webhooks: WebhookService?
    /// Trusted issuers of workload identity federation made through the API.
    public let trustedIssuers: TrustedIssuerService
    /// Signing-key rotation, announced.
    public let signingKeys: SigningKeyService
    public let gateway: GatewayEngine
    public let provisioner: Provisioner
    public let adminSessions: AdminSessions
    /// Signing in and out, and the administrator accounts.
    public let administrators: AdministratorService

    public init(
        settings: CoreSettings, storage: any Storage, stages: BuiltStages, keyRing: KeyRing, hasher: SecretHasher, secretBox: SecretBox,
        revocations: RevocationList, telemetry: Telemetry, now: @escaping @Sendable () -> Date
    ) {
        self.settings = settings
        self.keyRing = keyRing
        self.hasher = hasher
        self.revocations = revocations
        self.telemetry = telemetry
        let usage = UsageRecorder(store: storage)
        self.usage = usage
        let events = EventBus(notifiers: stages.notifiers)
        self.events = events
        let validator = TokenValidator(keyRing: keyRing, revocations: revocations, agents: storage, settings: settings, now: now)
        self.validator = validator
        let failures = FailureLimiter(limit: settings.security.maxFailedAuthentications, window: TimeInterval(settings.security.failureWindow.seconds))
        let clients = ClientAuthentication(authenticators: stages.authenticators, limiter: failures, usage: usage, events: events, agents: storage, now: now)
        self.clients = clients
        let issuer = TokenIssuer(keyRing: keyRing, enrichers: stages.enrichers, settings: settings, now: now)
        let dpop = DPoPBinding(verifier: stages.dpop, now: now)
        self.dpop = dpop
        tokens = TokenService(
            clients: clients, grants: stages.grants, issuer: issuer, usage: usage, events: events, telemetry: telemetry, settings: settings,
            dpop: dpop, now: now)
        revocation = RevocationService(
            grants: stages.grants, keyRing: keyRing, revocations: revocations, storage: storage, events: events, telemetry: telemetry,
            settings: settings, now: now)
        inspector = TokenInspector(grants: stages.grants, validator: validator, telemetry: telemetry)
        let agents = AgentService(storage: storage, hasher: hasher, events: events, settings: settings, grantTypes: stages.grants.map(\.grantType),
                                  authMethods: clients.methods, now: now)
        self.agents = agents
        let tenants = TenantService(storage: storage, hasher: hasher, events: events, now: now)
        self.tenants = tenants
        webhooks = stages.notifiers.lazy.compactMap(\.webhooks).first.map { WebhookService(storage: storage, dispatcher: $0, now: now) }
        // http issuer URLs exactly when the jwt_bearer grant accepts them in its YAML (security.allow_insecure_issuers).
        trustedIssuers = TrustedIssuerService(store: storage, events: events, allowHTTP: settings.security.allowInsecureIssuers, now: now)
        signingKeys = SigningKeyService(keyRing: keyRing, events: events, now: now)
        gateway = GatewayEngine(settings: settings.gateway, validator: validator, clients: clients, tenants: storage, dpop: dpop)
        provisioner = Provisioner(storage: storage, agents: agents, tenants: tenants, hasher: hasher, secretBox: secretBox, now: now)
        let adminSessions = AdminSessions(keyRing: keyRing, revocations: revocations, settings: settings, hasher: hasher, now: now)
        self.adminSessions = adminSessions
        administrators = AdministratorService(sessions: adminSessions, storage: storage, revocations: revocations, events: events, settings: settings, now: now)
    }
}
