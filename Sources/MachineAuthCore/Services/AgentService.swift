public import Foundation
import Synchronization

/// Creates and changes agents: validates input, generates credentials, keeps tokens in
/// step with the agent's state (rotation, deactivation, deletion), and publishes events.
public struct AgentService: Sendable {
    let storage: any Storage
    let hasher: SecretHasher
    let events: EventBus
    let settings: CoreSettings
    let now: @Sendable () -> Date

    /// The registered grants: what agents' `grant_types` may name, and what new agents get.
    public let grantTypes: [String]
    /// The client authentication methods the authenticator stages offer: what an agent's
    /// `token_endpoint_auth_method` may name.
    public let authMethods: [String]

    public init(
        storage: any Storage, hasher: SecretHasher, events: EventBus, settings: CoreSettings, grantTypes: [String],
        authMethods: [String] = [Agent.defaultAuthMethod], now: @escaping @Sendable () -> Date
    ) {
        self.storage = storage
        self.hasher = hasher
        self.events = events
        self.settings = settings
        self.grantTypes = grantTypes
        self.authMethods = authMethods
        self.now = now
    }

    /// A new client secret: 256 random bits.
    public static func generateSecret() -> String { RandomToken.make(prefix: "cs_", bytes: 32) }

    public func create(_ draft: AgentDraft, by attribution: Attribution) async throws -> CreatedAgent {
        let time = now()
        if let expiresAt = draft.expiresAt { try FieldRules.expiry(expiresAt, now: time) }
        let credentials = try authentication(
            method: draft.tokenEndpointAuthMethod, jwks: draft.jwks, jwksURI: draft.jwksURI,
            subject: try FieldRules.tlsClientAuthSubject(draft.tlsClientAuthFields))
        let method = credentials.method
        let usesSecret = Agent.usesSecret(method)
        let secret = usesSecret && draft.secretHash == nil ? Self.generateSecret() : nil
        let secrets = usesSecret ? [ClientSecretHash(hash: draft.secretHash ?? hasher.hash(secret!), createdAt: time)] : []
        var agent = Agent(
            id: RandomToken.uuid(), name: try FieldRules.name(draft.name), description: try FieldRules.description(draft.description),
            tags: try FieldRules.tags(draft.tags), metadata: try FieldRules.metadata(draft.metadata),
            clientID: draft.clientID ?? RandomToken.hex(prefix: "cid_", bytes: 12),
            secrets: secrets,
            scopes: try FieldRules.scopes(draft.scopes), organizationID: draft.organizationID, teamID: draft.teamID,
            createdAt: time, expiresAt: draft.expiresAt, managedBy: draft.managedBy,
            grantTypes: try draft.grantTypes.map { try FieldRules.grantTypes($0, valid: grantTypes) } ?? grantTypes,
            allowedAudiences: try FieldRules.audiences(draft.allowedAudiences), tokenEndpointAuthMethod: method, jwks: credentials.jwks,
            dpopBoundAccessTokens: draft.dpopBoundAccessTokens, tlsClientCertificateBoundAccessTokens: draft.tlsClientCertificateBoundAccessTokens,
            tlsClientAuthSubject: credentials.subject)
        agent.jwksURI = credentials.jwksURI
        try await storage.insertAgent(agent)
        await publish("agent.created", agent, attribution, data: ["name": .string(agent.name), "client_id": .string(agent.clientID)])
        return CreatedAgent(agent: agent, clientSecret: secret)
    }

    public func update(id: String, _ changes: AgentChanges, by attribution: Attribution) async throws -> Agent? {
        let time = now()
        let name = try changes.name.map { try FieldRules.name($0) }
        let description = try changes.description.map { try FieldRules.description($0) }
        let tags = try changes.tags.map { try FieldRules.tags($0) }
        let scopes = try changes.scopes.map { try FieldRules.scopes($0) }
        let metadata = try changes.metadata.map { try FieldRules.metadata($0) }
        let grants = try changes.grantTypes.map { try FieldRules.grantTypes($0, valid: grantTypes) }
        let audiences = try changes.allowedAudiences.map { try FieldRules.audiences($0) }
        if case .some(.some(let expiry)) = changes.expiresAt { try FieldRules.expiry(expiry, now: time) }
        let method = try changes.tokenEndpointAuthMethod.map { try FieldRules.authMethod($0, valid: authMethods) }
        let keys = changes.jwks
        let allowHTTP = settings.security.allowInsecureIssuers
        let keysURL = try changes.jwksURI.map { try $0.map { try FieldRules.keySetURL($0, allowHTTP: allowHTTP) } }
        let subject = try changes.tlsClientAuthFields.map { try FieldRules.tlsClientAuthSubject($0) }
        let horizon = tokenHorizon(time)
        let cutoff = TokenCutoff(issuedBefore: time, effectiveAt: time)
        let newCredentials = Mutex(false)
        guard let agent = try await storage.updateAgent(id: id, { [self] agent in
            if method != nil || keys != nil || keysURL != nil || subject != nil {
                let target = method ?? (agent.tokenEndpointAuthMethod == Agent.defaultAuthMethod ? nil : agent.tokenEndpointAuthMethod)
                let targetMethod = target ?? Agent.defaultAuthMethod
                // Naming one source of keys (jwks, jwks_uri) replaces the other; naming neither keeps the agent's.
                let named = keys != nil || keysURL != nil
                let targetKeys = named ? keys ?? nil : (Agent.usesKeys(targetMethod) ? agent.jwks : nil)
                let targetURL = named ? keysURL ?? nil : (targetMethod == Agent.privateKeyJWT ? agent.jwksURI : nil)
                let targetSubject = subject ?? (targetMethod == Agent.tlsClientAuth ? agent.tlsClientAuthSubject : nil)
                let new = try authentication(method: target, jwks: targetKeys, jwksURI: targetURL, subject: targetSubject)
                // New credentials end what the old ones obtained, as a rotation without grace does. A client
                // that moves to signed assertions or certificates keeps no secret; one that moves back gets one by rotation.
                if new != RegisteredCredentials(agent) {
                    new.apply(to: &agent)
                    if !Agent.usesSecret(new.method) { agent.secrets = [] }
                    agent.tokenCutoffs = agent.tokenCutoffs.filter { $0.issuedBefore > horizon } + [cutoff]
                    newCredentials.withLock { $0 = true }
                }
            }
            if let name { agent.name = name }
            if let description { agent.description = description }
            if let tags { agent.tags = tags }
            if let scopes { agent.scopes = scopes }
            if let metadata { agent.metadata = metadata }
            if let grants { agent.grantTypes = grants }
            if let audiences { agent.allowedAudiences = audiences }
            if let bound = changes.dpopBoundAccessTokens { agent.dpopBoundAccessTokens = bound }
            if let bound = changes.tlsClientCertificateBoundAccessTokens { agent.tlsClientCertificateBoundAccessTokens = bound }
            if let expiresAt = changes.expiresAt { agent.expiresAt = expiresAt }
            if let teamID = changes.teamID { agent.teamID = teamID }
            agent.updatedAt = time
        }) else { return nil }
        if newCredentials.withLock({ $0 }) {
            try await storage.revokeRefreshTokens(agentID: id, at: time)
            await publish("agent.rotated", agent, attribution, data: ["token_endpoint_auth_method": .string(agent.tokenEndpointAuthMethod)])
        }
        await publish("agent.updated", agent, attribution)
        return agent
    }

    /// Issues a new secret. The old one keeps working for `gracePeriod` seconds (0: stops at
    /// once), and so do tokens issued before the rotation; refresh tokens are revoked.
    public func rotate(id: String, gracePeriod: Int, by attribution: Attribution) async throws -> (Agent, String)? {
        guard gracePeriod >= 0, gracePeriod <= 30 * 86400 else {
            throw ValidationError("grace_period_seconds", "must be between 0 and 2592000 (30 days)")
        }
        let time = now()
        let secret = Self.generateSecret()
        let hash = hasher.hash(secret)
        let graceEnd = time.addingTimeInterval(TimeInterval(gracePeriod))
        let horizon = tokenHorizon(time)
        guard let agent = try await storage.updateAgent(id: id, { agent in
            guard agent.usesSecret else {
                throw ValidationError(
                    "token_endpoint_auth_method",
                    "the agent authenticates with \(agent.tokenEndpointAuthMethod) and has no secret: replace its jwks or certificate subject instead")
            }
            var kept = agent.secrets.filter { $0.expiresAt != nil && $0.isUsable(at: time) }
            if gracePeriod > 0, let current = agent.secrets.first(where: { $0.expiresAt == nil }) {
                kept.append(ClientSecretHash(hash: current.hash, createdAt: current.createdAt, expiresAt: graceEnd))
            }
            agent.secrets = [ClientSecretHash(hash: hash, createdAt: time)] + kept
            agent.tokenCutoffs = agent.tokenCutoffs.filter { $0.issuedBefore > horizon } + [TokenCutoff(issuedBefore: time, effectiveAt: graceEnd)]
            agent.updatedAt = time
        }) else { return nil }
        try await storage.revokeRefreshTokens(agentID: id, at: time)
        await publish("agent.rotated", agent, attribution, data: ["grace_period_seconds": .int(gracePeriod)])
        return (agent, secret)
    }

    /// Replaces the agent's secret with a given hash (declarative provisioning); like a rotation
    /// without grace, earlier tokens and refresh tokens stop working.
    public func replaceSecret(id: String, hash: String, by attribution: Attribution) async throws -> Agent? {
        let time = now()
        let horizon = tokenHorizon(time)
        guard let agent = try await storage.updateAgent(id: id, { agent in
            guard agent.usesSecret else {
                throw ValidationError("client_secret", "the agent authenticates with \(agent.tokenEndpointAuthMethod) and takes no secret")
            }
            agent.secrets = [ClientSecretHash(hash: hash, createdAt: time)]
            agent.tokenCutoffs = agent.tokenCutoffs.filter { $0.issuedBefore > horizon } + [TokenCutoff(issuedBefore: time, effectiveAt: time)]
            agent.updatedAt = time
        }) else { return nil }
        try await storage.revokeRefreshTokens(agentID: id, at: time)
        await publish("agent.rotated", agent, attribution, data: ["source": "provision"])
        return agent
    }

    /// Deactivates the agent: its tokens stop working at once, even after a later reactivation.
    /// Remembers who did it: an agent deactivating itself may reactivate itself later.
    public func deactivate(id: String, by attribution: Attribution) async throws -> Agent? {
        let time = now()
        let horizon = tokenHorizon(time)
        let source: Deactivation = attribution.actor == .agent(id) ? .selfService : .administrator
        guard let agent = try await storage.updateAgent(id: id, { agent in
            if agent.isActive || source == .administrator { agent.deactivatedBy = source }
            agent.isActive = false
            agent.tokenCutoffs = agent.tokenCutoffs.filter { $0.issuedBefore > horizon } + [TokenCutoff(issuedBefore: time, effectiveAt: time)]
            agent.updatedAt = time
        }) else { return nil }
        try await storage.revokeRefreshTokens(agentID: id, at: time)
        await publish("agent.deactivated", agent, attribution)
        return agent
    }

    /// Reactivates the agent. The agent itself may only undo its own deactivation
    /// (``ReactivationRefused`` otherwise); an administrator's stays until an administrator lifts it.
    public func reactivate(id: String, by attribution: Attribution) async throws -> Agent? {
        let time = now()
        let bySelf = attribution.actor == .agent(id)
        guard let agent = try await storage.updateAgent(id: id, { agent in
            if bySelf, !agent.isActive, agent.deactivatedBy != .selfService { throw ReactivationRefused() }
            agent.isActive = true
            agent.deactivatedBy = nil
            agent.updatedAt = time
        }) else { return nil }
        await publish("agent.reactivated", agent, attribution)
        return agent
    }

    /// Deletes the agent; its tokens stop working at once.
    public func delete(id: String, by attribution: Attribution) async throws -> Agent? {
        guard let agent = try await storage.deleteAgent(id: id) else { return nil }
        await publish("agent.deleted", agent, attribution, data: ["name": .string(agent.name)])
        return agent
    }

    /// Cut-offs older than the longest token lifetime can no longer matter.
    private func tokenHorizon(_ time: Date) -> Date {
        time.addingTimeInterval(-TimeInterval(settings.tokens.accessTokenTTL.seconds + settings.tokens.clockSkew.seconds))
    }

    private func publish(_ type: String, _ agent: Agent, _ attribution: Attribution, data: [String: JSONValue] = [:]) async {
        await events.publish(DomainEvent(
            type: type, time: now(), actor: attribution.actor, target: .agent(agent.id), organizationID: agent.organizationID,
            teamID: agent.teamID, data: data, origin: attribution.origin))
    }
}

/// An agent tried to lift a deactivation an administrator made.
public struct ReactivationRefused: Error, Sendable, CustomStringConvertible {
    public var description: String { "an administrator deactivated this agent; only an administrator can reactivate it" }
}
