public import Foundation

/// A machine client: it authenticates with its `client_id` and a secret, a signed assertion or
/// a client certificate (``tokenEndpointAuthMethod``) and receives access tokens.
///
/// This is the stored record; it holds secret *hashes* and is never sent to clients as is
/// (the HTTP layer renders a view without them).
public struct Agent: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var description: String
    public var tags: [String]
    public var metadata: [String: String]
    public var clientID: String
    /// Current secret first; older ones stay valid until their `expiresAt` (rotation grace period).
    public var secrets: [ClientSecretHash]
    public var scopes: [String]
    public var isActive: Bool
    public var organizationID: String?
    public var teamID: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var expiresAt: Date?
    public var usage: AgentUsage
    /// Rules that make tokens issued before a moment inactive (deactivation, rotation).
    public var tokenCutoffs: [TokenCutoff]
    /// Who manages the record: `nil` for the API, `"provision"` for declarative YAML.
    public var managedBy: String?
    /// Grants this client may use (`client_credentials`, `refresh_token`); others get `unauthorized_client`.
    public var grantTypes: [String]
    /// Audiences (`resource` / `audience`) the agent may ask for; empty: the deployment's
    /// `tokens.allowed_audiences`. Anything else is `invalid_target`.
    public var allowedAudiences: [String]
    /// Who deactivated the agent; only a deactivation the agent made itself can it undo itself.
    public var deactivatedBy: Deactivation?
    /// How the client authenticates at the token endpoint (RFC 7591 `token_endpoint_auth_method`):
    /// ``defaultAuthMethod`` (a client secret, by Basic or in the form) or ``privateKeyJWT``.
    public var tokenEndpointAuthMethod: String
    /// The public keys (a JWK Set, checked by ``FieldRules/clientKeys(_:field:)``) its client
    /// assertions are signed with, for ``privateKeyJWT``.
    public var jwks: JSONValue?
    /// Where those keys are published instead (RFC 7591 `jwks_uri`, an `https` URL): fetched
    /// through the SSRF guard and cached by the `private_key_jwt` stage. At most one of the two.
    public var jwksURI: String?
    /// RFC 9449 §5.2 `dpop_bound_access_tokens`: the token endpoint issues this client only
    /// DPoP-bound access tokens (a request without a proof is refused).
    public var dpopBoundAccessTokens: Bool
    /// RFC 8705 §3.4 `tls_client_certificate_bound_access_tokens`: the token endpoint issues this
    /// client only certificate-bound access tokens (a request without a client certificate is refused).
    public var tlsClientCertificateBoundAccessTokens: Bool
    /// The certificate subject a ``tlsClientAuth`` agent's CA-issued certificate must carry (RFC 8705 §2.1.2).
    public var tlsClientAuthSubject: TLSClientAuthSubject?

    /// Grants an agent may use unless restricted.
    public static let defaultGrantTypes = ["client_credentials", "refresh_token"]
    /// The method of an agent registered with a client secret.
    public static let defaultAuthMethod = "client_secret_basic"
    /// RFC 7523 §2.2 client assertions signed with a key of ``jwks``; such an agent has no secret.
    public static let privateKeyJWT = "private_key_jwt"
    /// RFC 8705 §2.1: a certificate from the proxy's CA with the registered ``tlsClientAuthSubject``; no secret.
    public static let tlsClientAuth = "tls_client_auth"
    /// RFC 8705 §2.2: a certificate registered in ``jwks`` (`x5c`); no secret.
    public static let selfSignedTLSClientAuth = "self_signed_tls_client_auth"

    /// The methods by which an agent authenticates with a client certificate (RFC 8705 §2).
    public static let certificateMethods = [tlsClientAuth, selfSignedTLSClientAuth]

    /// Whether agents of `method` authenticate with a client certificate.
    public static func usesCertificate(_ method: String) -> Bool { certificateMethods.contains(method) }

    /// Whether agents of `method` register a JWK Set (signing keys, or self-signed certificates).
    public static func usesKeys(_ method: String) -> Bool { method == privateKeyJWT || method == selfSignedTLSClientAuth }

    /// Whether the agent authenticates with a client secret (else it holds none).
    public var usesSecret: Bool { Self.usesSecret(tokenEndpointAuthMethod) }

    /// Whether agents of `method` authenticate with a client secret.
    public static func usesSecret(_ method: String) -> Bool {
        method != privateKeyJWT && !usesCertificate(method)
    }

    public init(
        id: String, name: String, description: String = "", tags: [String] = [], metadata: [String: String] = [:],
        clientID: String, secrets: [ClientSecretHash], scopes: [String], isActive: Bool = true,
        organizationID: String? = nil, teamID: String? = nil, createdAt: Date, updatedAt: Date? = nil,
        expiresAt: Date? = nil, usage: AgentUsage = AgentUsage(), tokenCutoffs: [TokenCutoff] = [], managedBy: String? = nil,
        grantTypes: [String] = Agent.defaultGrantTypes, allowedAudiences: [String] = [], deactivatedBy: Deactivation? = nil,
        tokenEndpointAuthMethod: String = Agent.defaultAuthMethod, jwks: JSONValue? = nil, dpopBoundAccessTokens: Bool = false,
        tlsClientCertificateBoundAccessTokens: Bool = false, tlsClientAuthSubject: TLSClientAuthSubject? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.tags = tags
        self.metadata = metadata
        self.clientID = clientID
        self.secrets = secrets
        self.scopes = scopes
        self.isActive = isActive
        self.organizationID = organizationID
        self.teamID = teamID
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.expiresAt = expiresAt
        self.usage = usage
        self.tokenCutoffs = tokenCutoffs
        self.managedBy = managedBy
        self.grantTypes = grantTypes
        self.allowedAudiences = allowedAudiences
        self.deactivatedBy = deactivatedBy
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.jwks = jwks
        self.dpopBoundAccessTokens = dpopBoundAccessTokens
        self.tlsClientCertificateBoundAccessTokens = tlsClientCertificateBoundAccessTokens
        self.tlsClientAuthSubject = tlsClientAuthSubject
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, tags, metadata, secrets, scopes, usage
        case clientID = "client_id", isActive = "is_active", organizationID = "organization_id", teamID = "team_id"
        case createdAt = "created_at", updatedAt = "updated_at", expiresAt = "expires_at"
        case tokenCutoffs = "token_cutoffs", managedBy = "managed_by", grantTypes = "grant_types"
        case allowedAudiences = "allowed_audiences", deactivatedBy = "deactivated_by"
        case tokenEndpointAuthMethod = "token_endpoint_auth_method", jwks, jwksURI = "jwks_uri"
        case dpopBoundAccessTokens = "dpop_bound_access_tokens"
        case tlsClientCertificateBoundAccessTokens = "tls_client_certificate_bound_access_tokens"
        case tlsClientAuthSubject = "tls_client_auth_subject"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        clientID = try container.decode(String.self, forKey: .clientID)
        secrets = try container.decodeIfPresent([ClientSecretHash].self, forKey: .secrets) ?? []
        scopes = try container.decodeIfPresent([String].self, forKey: .scopes) ?? []
        isActive = try container.decodeIfPresent(Bool.self, forKey: .isActive) ?? true
        organizationID = try container.decodeIfPresent(String.self, forKey: .organizationID)
        teamID = try container.decodeIfPresent(String.self, forKey: .teamID)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(Date.self, forKey: .updatedAt) ?? createdAt
        expiresAt = try container.decodeIfPresent(Date.self, forKey: .expiresAt)
        usage = try container.decodeIfPresent(AgentUsage.self, forKey: .usage) ?? AgentUsage()
        tokenCutoffs = try container.decodeIfPresent([TokenCutoff].self, forKey: .tokenCutoffs) ?? []
        managedBy = try container.decodeIfPresent(String.self, forKey: .managedBy)
        grantTypes = try container.decodeIfPresent([String].self, forKey: .grantTypes) ?? Agent.defaultGrantTypes
        allowedAudiences = try container.decodeIfPresent([String].self, forKey: .allowedAudiences) ?? []
        deactivatedBy = try container.decodeIfPresent(Deactivation.self, forKey: .deactivatedBy)
        tokenEndpointAuthMethod = try container.decodeIfPresent(String.self, forKey: .tokenEndpointAuthMethod) ?? Agent.defaultAuthMethod
        jwks = try container.decodeIfPresent(JSONValue.self, forKey: .jwks)
        jwksURI = try container.decodeIfPresent(String.self, forKey: .jwksURI)
        dpopBoundAccessTokens = try container.decodeIfPresent(Bool.self, forKey: .dpopBoundAccessTokens) ?? false
        tlsClientCertificateBoundAccessTokens = try container.decodeIfPresent(Bool.self, forKey: .tlsClientCertificateBoundAccessTokens) ?? false
        tlsClientAuthSubject = try container.decodeIfPresent(TLSClientAuthSubject.self, forKey: .tlsClientAuthSubject)
    }

    /// `active`, `inactive` (deactivated) or `expired`.
    public func status(at now: Date) -> AgentStatus {
        if !isActive { return .inactive }
        if let expiresAt, expiresAt <= now { return .expired }
        return .active
    }

    /// Whether a token issued at `issuedAt` is still honoured for this agent at `now`.
    public func acceptsToken(issuedAt: Date, at now: Date) -> Bool {
        guard status(at: now) == .active else { return false }
        return !tokenCutoffs.contains { $0.revokes(issuedAt: issuedAt, at: now) }
    }
}

/// Who deactivated an agent.
public enum Deactivation: String, Sendable, Codable, Hashable {
    /// The agent itself (`POST /api/agents/me/deactivate`): it may reactivate itself.
    case selfService = "self"
    /// An administrator, an API key or provisioning: only they can reactivate it.
    case administrator
}

/// The lifecycle state shown in the API.
public enum AgentStatus: String, Sendable, Codable, CaseIterable {
    case active, inactive, expired
}

/// A keyed hash of one client secret, with the end of its grace period after a rotation.
public struct ClientSecretHash: Sendable, Hashable, Codable {
    public var hash: String
    public var createdAt: Date
    public var expiresAt: Date?

    public init(hash: String, createdAt: Date, expiresAt: Date? = nil) {
        self.hash = hash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case hash, createdAt = "created_at", expiresAt = "expires_at"
    }

    public func isUsable(at now: Date) -> Bool {
        expiresAt.map { now < $0 } ?? true
    }
}

/// Tokens issued before `issuedBefore` stop being honoured from `effectiveAt` on.
public struct TokenCutoff: Sendable, Hashable, Codable {
    public var issuedBefore: Date
    public var effectiveAt: Date

    public init(issuedBefore: Date, effectiveAt: Date) {
        self.issuedBefore = issuedBefore
        self.effectiveAt = effectiveAt
    }

    enum CodingKeys: String, CodingKey {
        case issuedBefore = "issued_before", effectiveAt = "effective_at"
    }

    /// `issuedAt` is the token's precise issue time (see ``TokenID``).
    public func revokes(issuedAt: Date, at now: Date) -> Bool {
        now >= effectiveAt && issuedAt <= issuedBefore
    }
}
