public import Foundation

/// The fields of a new agent, before validation.
public struct AgentDraft: Sendable {
    public var name: String
    public var description: String = ""
    public var tags: [String] = []
    public var scopes: [String] = []
    public var metadata: [String: String] = [:]
    public var expiresAt: Date?
    public var organizationID: String?
    public var teamID: String?
    public var grantTypes: [String]?
    public var allowedAudiences: [String] = []
    public var managedBy: String?
    /// A pre-computed secret hash (declarative provisioning); otherwise a secret is generated.
    public var secretHash: String?
    /// A chosen client id (declarative provisioning); otherwise one is generated.
    public var clientID: String?
    /// `nil`: ``Agent/defaultAuthMethod``.
    public var tokenEndpointAuthMethod: String?
    /// The public keys of a ``Agent/privateKeyJWT`` agent.
    public var jwks: JSONValue?
    /// Where a ``Agent/privateKeyJWT`` agent publishes its keys (instead of ``jwks``).
    public var jwksURI: String?
    /// RFC 9449 §5.2: issue this client DPoP-bound access tokens only.
    public var dpopBoundAccessTokens = false
    /// RFC 8705 §3.4: issue this client certificate-bound access tokens only.
    public var tlsClientCertificateBoundAccessTokens = false
    /// The `tls_client_auth_*` fields given, by metadata name (at most one may be: RFC 8705 §2.1.2).
    public var tlsClientAuthFields: [String: String] = [:]

    public init(name: String) {
        self.name = name
    }
}

/// Changes to an agent; `nil` leaves a field as it is.
public struct AgentChanges: Sendable {
    public var name: String?
    public var description: String?
    public var tags: [String]?
    public var scopes: [String]?
    public var metadata: [String: String]?
    /// `.some(nil)` removes the expiry.
    public var expiresAt: Date??
    public var grantTypes: [String]?
    public var allowedAudiences: [String]?
    public var teamID: String??
    public var tokenEndpointAuthMethod: String?
    /// `.some(nil)` removes the keys.
    public var jwks: JSONValue??
    /// `.some(nil)` removes the key set URL.
    public var jwksURI: String??
    public var dpopBoundAccessTokens: Bool?
    public var tlsClientCertificateBoundAccessTokens: Bool?
    /// The `tls_client_auth_*` fields given with a value, by metadata name; `[:]` when only
    /// `null`s were given (the subject is removed), `nil` when none was named.
    public var tlsClientAuthFields: [String: String]?

    public init() {}
}

/// Who does something and from where, for events and audit records.
public struct Attribution: Sendable {
    public var actor: EventActor
    public var origin: RequestOrigin

    public init(actor: EventActor, origin: RequestOrigin = RequestOrigin()) {
        self.actor = actor
        self.origin = origin
    }

    public static let system = Attribution(actor: .system)
}

/// A newly created agent with its secret, which is shown this once and never stored.
public struct CreatedAgent: Sendable {
    public var agent: Agent
    public var clientSecret: String?
}
