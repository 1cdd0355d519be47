public import Foundation

/// The one chain of authenticator stages: which client is calling (token, introspection,
/// revocation and reactivation requests) and which API key is presented. Each stage owns its
/// credential forms and answers `nil` for any other. Failed client authentications count
/// against (client, address) and the address, publish `token.failed` and the agent's failure
/// counter.
public struct ClientAuthentication: Sendable {
    let authenticators: [any Authenticator]
    let limiter: FailureLimiter
    let usage: UsageRecorder
    let events: EventBus
    let agents: any AgentStore
    let now: @Sendable () -> Date

    public init(
        authenticators: [any Authenticator], limiter: FailureLimiter, usage: UsageRecorder, events: EventBus, agents: any AgentStore,
        now: @escaping @Sendable () -> Date
    ) {
        self.authenticators = authenticators
        self.limiter = limiter
        self.usage = usage
        self.events = events
        self.agents = agents
        self.now = now
    }

    /// The authenticated client, or `nil` when the request carries no client credentials.
    public func client(_ presentation: CredentialPresentation, origin: RequestOrigin) async throws -> AgentPrincipal? {
        let time = now()
        let candidates = authenticators.filter { $0.capabilities.purposes.contains(presentation.purpose) }
        let presented = candidates.filter { $0.capabilities.isPresented(in: presentation) }
        if presented.count > 1 { throw OAuthError.invalidRequest("use one client authentication method per request (RFC 6749 §2.3)") }
        let claimed = presented.first.map { $0.claimedClientID(in: presentation) } ?? presentation.claimedClientID
        let keys = FailureKeys.client(claimed, address: presentation.remoteAddress)
        if let wait = limiter.retryAfter(keys, at: time) { throw OAuthError.slowDown(retryAfter: wait) }
        do {
            for authenticator in candidates {
                if case .client(let principal) = try await authenticator.authenticate(presentation) {
                    limiter.recordSuccess(keys, at: time)
                    return principal
                }
            }
            return nil
        } catch let error as OAuthError where error.code == "invalid_client" {
            limiter.recordFailure(keys, at: time)
            if let clientID = error.clientID, let agent = try? await agents.agent(clientID: clientID) {
                usage.record(agent.id, UsageDelta(failures: 1))
            }
            await events.publish(DomainEvent(
                type: "token.failed", time: time, actor: .anonymous, outcome: .failure,
                data: ["error": .string(error.code), "client_id": .string(error.clientID ?? claimed ?? "")],
                origin: origin))
            throw error
        }
    }

    /// The API key a bearer credential stands for; `nil` when no stage owns the credential.
    public func apiKey(_ credential: String, remoteAddress: String?) async throws -> APIKeyPrincipal? {
        let presentation = CredentialPresentation(purpose: .apiAccess, authorization: "Bearer \(credential)", remoteAddress: remoteAddress)
        for authenticator in authenticators where authenticator.capabilities.purposes.contains(.apiAccess) && authenticator.owns(bearer: credential) {
            if case .apiKey(let key) = try await authenticator.authenticate(presentation) { return key }
        }
        return nil
    }

    /// Whether some stage owns the credential as an API key (so it is not an access token).
    public func isAPIKey(_ credential: String) -> Bool {
        authenticators.contains { $0.capabilities.purposes.contains(.apiAccess) && $0.owns(bearer: credential) }
    }

    /// `token_endpoint_auth_methods_supported`.
    public var methods: [String] {
        Array(Set(authenticators.flatMap(\.capabilities.clientAuthMethods))).sorted()
    }

    /// `token_endpoint_auth_signing_alg_values_supported`: empty when no stage verifies signed assertions.
    public var signingAlgorithms: [String] {
        Array(Set(authenticators.flatMap(\.capabilities.signingAlgorithms))).sorted()
    }
}
