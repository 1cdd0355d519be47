import ExternalJWT
public import Foundation
public import Logging
public import MachineAuthCore
public import RemoteKeySets

/// Authenticates an agent by a client assertion (RFC 7523 §2.2, `private_key_jwt`): a JWT the
/// agent signed with one of its registered public keys, naming itself as `iss` and `sub` and
/// this server as `aud`. Each assertion works once: its `jti` is recorded in the store's
/// replay table (shared by every instance) until it expires. The keys are the agent's `jwks`,
/// or the set published at its `jwks_uri` (``RemoteKeySets``: cached, refetched on a new `kid`).
public struct PrivateKeyJWTAuthenticator: Authenticator {
    let agents: any AgentStore
    let replays: any ReplayStore
    let remote: RemoteKeySets
    let rules: ClientAssertionRules
    let logger: Logger
    let now: @Sendable () -> Date

    public init(
        config: PrivateKeyJWTAuthenticatorFactory.Config, agents: any AgentStore, replays: any ReplayStore, remote: RemoteKeySets,
        issuer: String, logger: Logger, now: @escaping @Sendable () -> Date
    ) {
        self.agents = agents
        self.replays = replays
        self.remote = remote
        self.logger = logger
        self.rules = ClientAssertionRules(
            audiences: [issuer, issuer + "/oauth/token"], maxLifetime: TimeInterval(config.maxLifetime.seconds),
            clockSkew: TimeInterval(config.clockSkew.seconds))
        self.now = now
    }

    /// Built once: the authenticator chain reads it on every request.
    public let capabilities = AuthenticatorCapabilities(
        purposes: [.clientAuthentication, .reactivation], clientAuthMethods: [Agent.privateKeyJWT],
        signingAlgorithms: FieldRules.clientAssertionAlgorithms, credentialParameters: ["client_assertion", "client_assertion_type"])

    /// The assertion's unverified `sub` (what the request claims to be), else the `client_id` parameter.
    public func claimedClientID(in presentation: CredentialPresentation) -> String? {
        presentation.parameters["client_assertion"].flatMap { try? ClientAssertion($0).claims.sub } ?? presentation.parameters["client_id"]
    }

    public func authenticate(_ presentation: CredentialPresentation) async throws -> Caller? {
        let parameters = presentation.parameters
        guard parameters["client_assertion"] != nil || parameters["client_assertion_type"] != nil else { return nil }
        guard parameters["client_assertion_type"] == ClientAssertion.type else {
            throw ClientAssertion.refused("client_assertion_type must be \(ClientAssertion.type)")
        }
        guard let text = parameters["client_assertion"], !text.isEmpty else { throw ClientAssertion.refused("client_assertion is missing") }
        let assertion = try ClientAssertion(text)
        guard let clientID = assertion.claims.sub, !clientID.isEmpty else { throw ClientAssertion.refused("the client assertion needs sub (the client_id)") }
        if let posted = parameters["client_id"], posted != clientID {
            throw ClientAssertion.refused("client_id does not match the client assertion's sub")
        }
        guard let agent = try await agents.agentForAuthentication(clientID: clientID) else { throw ClientAssertion.unverified }
        guard agent.tokenEndpointAuthMethod == Agent.privateKeyJWT, agent.jwks != nil || agent.jwksURI != nil else {
            throw ClientAssertion.unverified.counted(against: clientID)
        }
        let time = now()
        do {
            try await assertion.verify(with: try await keys(of: agent, kid: assertion.header.kid))
            let usableUntil = try rules.check(assertion.claims, clientID: clientID, at: time)
            let principal = try AgentPrincipal.admitting(agent, method: Agent.privateKeyJWT, purpose: presentation.purpose, at: time)
            // The client id's length keeps one client's jti from naming another's (ids may hold ':').
            let replayKey = "client_assertion:\(clientID.utf8.count):\(clientID):\(assertion.claims.jti ?? "")"
            guard try await replays.recordFirstUse(replayKey, until: usableUntil, at: time) else {
                throw ClientAssertion.refused("the client assertion was used before (jti)")
            }
            return .client(principal)
        } catch let error as OAuthError {
            throw error.clientID == nil ? error.counted(against: clientID) : error
        }
    }

    /// The agent's registered keys, or those published at its `jwks_uri`. A key set that cannot
    /// be fetched is logged and refused like a wrong signature: the client learns nothing more.
    func keys(of agent: Agent, kid: String?) async throws(OAuthError) -> [[String: JSONValue]] {
        if let jwks = agent.jwks { return jwks.objectValue?["keys"]?.arrayValue?.compactMap(\.objectValue) ?? [] }
        guard let text = agent.jwksURI, let url = await remote.checkedURL(text) else { throw ClientAssertion.unverified }
        do {
            return try await remote.keys(at: url, kid: kid)
        } catch {
            logger.warning("the jwks_uri of client \(agent.clientID) could not be read: \(error)")
            throw ClientAssertion.unverified
        }
    }
}
