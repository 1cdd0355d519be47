public import Foundation

/// A storage driver stage: everything MachineAuth persists, in one transactional store.
///
/// Drivers keep reads that sit on hot paths (agent lookups, signing keys, the denylist) in
/// memory; every write is durable before it returns. Composed of small stores so each
/// feature's surface stays readable.
public protocol Storage: StorageLifecycle, AgentStore, SigningKeyStore, TokenStore, ReplayStore, AuditStore, SettingsStore, TenantStore, WebhookStore, TrustedIssuerStore,
    SnapshotStore {}

/// Opening, closing and watching a store.
public protocol StorageLifecycle: ChangeFeed {
    /// A description for logs, without credentials (`json:/var/lib/machineauth.json`).
    var summary: String { get }
    /// Loads or connects, creating or migrating the schema. Throws a ``StorageError`` that says what to fix.
    func open() async throws
    /// Finishes pending writes and releases the store.
    func close() async throws
    /// Checks that the store answers; used by `/health/ready`.
    func checkHealth() async throws -> AgentCounts
    /// Runs `body` while holding a named lock shared by every instance (PostgreSQL: an advisory
    /// lock), so concurrent declarative applies take turns.
    func withExclusiveLock<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T
}

/// Changes made by *other* instances sharing the store, so caches can follow them — and the
/// ``TrustedIssuerStore`` changes of this one (a JSON store, which has no other instances,
/// streams only those).
public protocol ChangeFeed: Sendable {
    /// Every call returns a new stream; any number of subscribers may listen.
    func changes() -> AsyncStream<StorageChange>
}

/// A change made elsewhere that in-memory state must follow.
public enum StorageChange: Sendable, Hashable {
    case agentChanged(id: String)
    case accessTokenRevoked(RevokedAccessToken)
    case signingKeysChanged
    /// Webhook subscriptions changed (notifiers reload their list).
    case webhooksChanged
    /// Trusted issuers changed (the `jwt_bearer` grant reloads its list).
    case trustedIssuersChanged
    /// The feed was interrupted: reload everything cached.
    case resynchronize
}

/// Agents and their usage counters.
public protocol AgentStore: Sendable {
    /// Inserts a new agent; throws ``StorageError/conflict`` if its id or client id exists.
    func insertAgent(_ agent: Agent) async throws
    func agent(id: String) async throws -> Agent?
    func agent(clientID: String) async throws -> Agent?
    /// The agent a client credential names, for checking that credential: its secrets, status and
    /// grants are as committed at the time of the call — a rotation or deactivation made by any
    /// instance counts at once — while its usage counters may be out of date. Drivers answer it
    /// without decoding an unchanged agent again.
    func agentForAuthentication(clientID: String) async throws -> Agent?
    /// Reads, changes and writes one agent atomically; `nil` when it does not exist.
    func updateAgent(id: String, _ change: @escaping @Sendable (inout Agent) throws -> Void) async throws -> Agent?
    /// Removes an agent and its refresh tokens; returns what was removed.
    func deleteAgent(id: String) async throws -> Agent?
    func listAgents(_ query: AgentQuery) async throws -> Page<Agent>
    /// Counts by status and summed usage, for `/api/stats`.
    func agentStatistics() async throws -> AgentStatistics
    /// Every scope held by some agent, sorted (for `scopes_supported`).
    func knownScopes() async throws -> [String]
    /// Adds batched usage counters (agents that no longer exist are skipped).
    func applyUsage(_ deltas: [String: UsageDelta]) async throws
}

extension AgentStore {
    /// Stores whose ``agent(clientID:)`` is already an in-memory read need nothing more.
    public func agentForAuthentication(clientID: String) async throws -> Agent? {
        try await agent(clientID: clientID)
    }
}

/// The signing key ring.
public protocol SigningKeyStore: Sendable {
    func signingKeys() async throws -> [SigningKeyRecord]
    /// Stores `candidate` only if there is no active key yet; returns the ring as it now is.
    /// Makes concurrent first starts agree on one key.
    func insertFirstSigningKey(_ candidate: SigningKeyRecord) async throws -> [SigningKeyRecord]
    /// Retires the active key (published until `publishRetiredUntil`), activates `newKey`,
    /// and drops keys whose publication has ended — in one atomic step.
    func rotateSigningKey(to newKey: SigningKeyRecord, publishRetiredUntil: Date) async throws -> [SigningKeyRecord]
}

/// Refresh tokens and the access-token denylist.
public protocol TokenStore: Sendable {
    func insertRefreshToken(_ record: RefreshTokenRecord) async throws
    /// Marks the token used if it was fresh — atomically, so two racing uses cannot both win.
    func useRefreshToken(hash: String, at time: Date) async throws -> RefreshTokenUse
    func refreshToken(hash: String) async throws -> RefreshTokenRecord?
    /// Revokes every token of a family; returns how many were still live.
    @discardableResult func revokeRefreshFamily(_ familyID: String, at time: Date) async throws -> Int
    @discardableResult func revokeRefreshTokens(agentID: String, at time: Date) async throws -> Int
    func revokeAccessToken(_ token: RevokedAccessToken) async throws
    func revokedAccessTokens() async throws -> [RevokedAccessToken]
    /// Forgets denylist entries and refresh tokens that expired before `time`.
    func purgeExpiredTokens(before time: Date) async throws
}

/// Identifiers that may be used once — the `jti` of a client assertion — remembered until they
/// expire, shared by every instance on the same store. Expired ones are forgotten with
/// ``TokenStore/purgeExpiredTokens(before:)``.
public protocol ReplayStore: Sendable {
    /// Records `key` as used until `expiresAt`, atomically: `true` the first time, `false` while
    /// an earlier use has not expired (a replay).
    func recordFirstUse(_ key: String, until expiresAt: Date, at time: Date) async throws -> Bool
}

/// An identifier a ``ReplayStore`` holds, and until when.
public struct UsedIdentifier: Sendable, Hashable, Codable {
    public var key: String
    public var expiresAt: Date

    public init(key: String, expiresAt: Date) {
        self.key = key
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case key, expiresAt = "expires_at"
    }
}

/// The audit trail.
public protocol AuditStore: Sendable {
    func appendAuditRecords(_ records: [AuditRecord]) async throws
    func auditRecords(_ query: AuditQuery) async throws -> Page<AuditRecord>
    /// Deletes records older than `time`; returns how many.
    @discardableResult func deleteAuditRecords(before time: Date) async throws -> Int
}

/// Small instance-wide values, such as the generated secret-hashing key.
public protocol SettingsStore: Sendable {
    func setting(_ name: String) async throws -> String?
    /// Stores `value` unless the setting exists; returns the stored value either way.
    func insertSettingIfAbsent(_ name: String, value: String) async throws -> String
}

/// A storage failure that says what went wrong and what to do.
public struct StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        case conflict, notFound, unavailable, corrupt, invalid
        /// Another process holds the store (a running server holds its JSON store).
        case inUse
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func conflict(_ message: String) -> StorageError { StorageError(.conflict, message) }
    public static func unavailable(_ message: String) -> StorageError { StorageError(.unavailable, message) }
    public static func corrupt(_ message: String) -> StorageError { StorageError(.corrupt, message) }

    public var description: String { message }
}

/// Organizations, teams, API keys and administrator accounts.
public protocol TenantStore: Sendable {
    /// Inserts; a taken slug is ``StorageError/conflict``.
    func insertOrganization(_ organization: Organization) async throws
    func organization(id: String) async throws -> Organization?
    func organization(slug: String) async throws -> Organization?
    func updateOrganization(id: String, _ change: @escaping @Sendable (inout Organization) throws -> Void) async throws -> Organization?
    /// Organizations, all or only `ids`, ordered by name.
    func listOrganizations(ids: Set<String>?, page: PageRequest) async throws -> Page<Organization>
    /// Deletes the organization with its teams, agents (and their refresh tokens) and API keys,
    /// atomically; returns the deleted agents.
    func deleteOrganization(id: String) async throws -> [Agent]?

    func insertTeam(_ team: Team) async throws
    func team(id: String) async throws -> Team?
    func updateTeam(id: String, _ change: @escaping @Sendable (inout Team) throws -> Void) async throws -> Team?
    func listTeams(organizationID: String) async throws -> [Team]
    /// Deletes the team; its agents stay in the organization without a team.
    func deleteTeam(id: String) async throws -> Team?

    func insertAPIKey(_ key: APIKey) async throws
    func apiKey(hash: String) async throws -> APIKey?
    func listAPIKeys(organizationID: String) async throws -> [APIKey]
    func updateAPIKey(id: String, _ change: @escaping @Sendable (inout APIKey) throws -> Void) async throws -> APIKey?

    func insertUser(_ user: AdminUser) async throws
    func user(id: String) async throws -> AdminUser?
    func user(email: String) async throws -> AdminUser?
    func updateUser(id: String, _ change: @escaping @Sendable (inout AdminUser) throws -> Void) async throws -> AdminUser?
    func deleteUser(id: String) async throws -> AdminUser?
    func listUsers() async throws -> [AdminUser]
}

/// Webhook subscriptions and the durable delivery outbox.
public protocol WebhookStore: Sendable {
    func insertWebhook(_ webhook: Webhook) async throws
    func webhook(id: String) async throws -> Webhook?
    func updateWebhook(id: String, _ change: @escaping @Sendable (inout Webhook) throws -> Void) async throws -> Webhook?
    /// Deletes the webhook and its deliveries.
    func deleteWebhook(id: String) async throws -> Webhook?
    /// Webhooks, all or those of `organizationIDs`.
    func listWebhooks(organizationIDs: Set<String>?) async throws -> [Webhook]
    /// Stores deliveries durably (the outbox); returns once they are safe.
    func enqueueDeliveries(_ deliveries: [WebhookDelivery]) async throws
    /// Atomically leases up to `limit` due deliveries to `owner` until `leaseUntil`, so each is
    /// worked on by one instance at a time (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
    func claimDeliveries(owner: String, limit: Int, now: Date, leaseUntil: Date) async throws -> [WebhookDelivery]
    /// Records the outcome of an attempt (and releases the lease), only if `owner` still holds it.
    func finishDelivery(_ delivery: WebhookDelivery, owner: String) async throws -> Bool
    func delivery(id: String) async throws -> WebhookDelivery?
    /// Deliveries of a webhook, newest first, optionally of one status.
    func deliveries(webhookID: String, status: WebhookDelivery.Status?, page: PageRequest) async throws -> Page<WebhookDelivery>
}
