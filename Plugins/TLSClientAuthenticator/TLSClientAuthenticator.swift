public import Foundation
public import MachineAuthCore

/// Authenticates an agent by its client certificate (RFC 8705 §2). The request names the client
/// with `client_id` and carries no other client credential; the certificate is the one a trusted
/// proxy passed on (``CredentialPresentation/clientCertificate``), whose TLS handshake proved the
/// client holds its key.
///
/// - `tls_client_auth` (§2.1): the certificate carries the agent's registered subject DN or SAN.
///   MachineAuth checks no chain: the proxy must accept only certificates of the CA it trusts.
/// - `self_signed_tls_client_auth` (§2.2): the certificate is, byte for byte, the first `x5c`
///   certificate of a key in the agent's `jwks`.
///
/// Requests of agents registered with another method are not this stage's ("not mine"). Every
/// failure is `401 invalid_client`, counted against the agent; a token issued after it is bound
/// to the certificate (`cnf."x5t#S256"`, §3), as every token requested with a certificate is.
public struct TLSClientAuthenticator: Authenticator {
    let methods: Set<String>
    let agents: any AgentStore
    let now: @Sendable () -> Date

    public init(methods: [String], agents: any AgentStore, readsCertificates: Bool, now: @escaping @Sendable () -> Date) {
        self.methods = Set(methods)
        self.agents = agents
        self.now = now
        // Without a certificate header the methods cannot work: neither offered nor advertised.
        self.capabilities = AuthenticatorCapabilities(
            purposes: [.clientAuthentication, .reactivation], clientAuthMethods: readsCertificates ? methods : [])
    }

    /// Built once: the authenticator chain reads it on every request.
    public let capabilities: AuthenticatorCapabilities

    public func authenticate(_ presentation: CredentialPresentation) async throws -> Caller? {
        guard presentation.purpose == .clientAuthentication || presentation.purpose == .reactivation, !capabilities.clientAuthMethods.isEmpty,
            presentation.basic == nil, presentation.parameters["client_secret"] == nil,
            presentation.parameters["client_assertion"] == nil, presentation.parameters["client_assertion_type"] == nil,
            let clientID = presentation.parameters["client_id"], !clientID.isEmpty,
            let agent = try await agents.agentForAuthentication(clientID: clientID), methods.contains(agent.tokenEndpointAuthMethod)
        else { return nil }
        let failure = OAuthError.invalidClient("client authentication failed", challenge: nil).counted(against: agent.clientID)
        guard let certificate = presentation.clientCertificate else {
            throw OAuthError.invalidClient(
                "this client authenticates with its certificate (\(agent.tokenEndpointAuthMethod), RFC 8705): send the request over mutual TLS",
                challenge: nil
            ).counted(against: agent.clientID)
        }
        guard Self.accepts(certificate, for: agent) else { throw failure }
        return .client(try AgentPrincipal.admitting(agent, method: agent.tokenEndpointAuthMethod, purpose: presentation.purpose, at: now()))
    }

    /// Whether `certificate` is the agent's by its method.
    static func accepts(_ certificate: ClientCertificate, for agent: Agent) -> Bool {
        switch agent.tokenEndpointAuthMethod {
        case Agent.tlsClientAuth:
            return agent.tlsClientAuthSubject.map(certificate.matches) ?? false
        case Agent.selfSignedTLSClientAuth:
            let keys = agent.jwks?.objectValue?["keys"]?.arrayValue ?? []
            return keys.contains { FieldRules.firstCertificate(of: $0) == certificate.der }
        default:
            return false
        }
    }
}
