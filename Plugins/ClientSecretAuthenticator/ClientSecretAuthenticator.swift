public import Foundation
public import MachineAuthCore

/// Authenticates an agent by client id and secret. The secret is checked against every
/// usable stored hash (the current one and any still in a rotation grace period) in constant time.
public struct ClientSecretAuthenticator: Authenticator {
    let config: ClientSecretAuthenticatorFactory.Config
    let agents: any AgentStore
    let hasher: SecretHasher
    let now: @Sendable () -> Date

    public init(config: ClientSecretAuthenticatorFactory.Config, agents: any AgentStore, hasher: SecretHasher, now: @escaping @Sendable () -> Date) {
        self.config = config
        self.agents = agents
        self.hasher = hasher
        self.now = now
        self.capabilities = AuthenticatorCapabilities(
            purposes: [.clientAuthentication, .reactivation],
            clientAuthMethods: (config.allowBasic ? ["client_secret_basic"] : []) + (config.allowPost ? ["client_secret_post"] : []),
            credentialParameters: ["client_secret"], usesBasic: true)
    }

    /// Built once: the authenticator chain reads it on every request.
    public let capabilities: AuthenticatorCapabilities

    public func authenticate(_ presentation: CredentialPresentation) async throws -> Caller? {
        guard presentation.purpose == .clientAuthentication || presentation.purpose == .reactivation else { return nil }
        guard let credentials = try ClientCredentials.extract(from: presentation, config: config) else { return nil }
        let challenge: OAuthError.Challenge? = credentials.method == "client_secret_basic" ? .basic : nil
        let failure = OAuthError.invalidClient("client authentication failed", challenge: challenge)
        guard let agent = try await agents.agentForAuthentication(clientID: credentials.clientID) else {
            _ = hasher.verify(credentials.secret, against: "hmac-sha256:")
            throw failure
        }
        let time = now()
        let matches = agent.secrets.filter { $0.isUsable(at: time) }.reduce(false) { found, stored in
            hasher.verify(credentials.secret, against: stored.hash) || found
        }
        // A client that signs assertions or shows a certificate has no secret; refused by its method, not only by an empty list.
        guard matches, agent.usesSecret else { throw failure.counted(against: agent.clientID) }
        return .client(try AgentPrincipal.admitting(agent, method: credentials.method, purpose: presentation.purpose, at: time, challenge: challenge))
    }
}
