import Foundation

/// A declared object with where it was written, for error messages.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation
    public var keyPath: String
}

/// `provision.organizations[]`: identified by `slug`.
public struct DeclaredOrganization: Decodable, Sendable, Hashable {
    public var slug: String
    public var name: String
    public var ownerEmail: String?

    enum CodingKeys: String, CodingKey {
        case slug, name, ownerEmail = "owner_email"
    }
}

/// `provision.teams[]`: identified by organization slug and name.
public struct DeclaredTeam: Decodable, Sendable, Hashable {
    public var organization: String
    public var name: String
    public var description: String?
}

/// `provision.agents[]`: identified by organization slug (or none) and name — or by `client_id`
/// within that organization, so agents may share a name. The secret comes from an environment
/// variable, a file, or a pre-computed hash — never the YAML in clear.
public struct DeclaredAgent: Decodable, Sendable, Hashable {
    public var name: String
    public var organization: String?
    public var team: String?
    public var clientID: String?
    public var description: String?
    public var tags: [String]?
    public var scopes: [String]?
    public var metadata: [String: String]?
    public var grantTypes: [String]?
    public var allowedAudiences: [String]?
    public var expiresAt: String?
    public var active: Bool?
    public var clientSecretEnv: String?
    public var clientSecretFile: String?
    public var clientSecretHash: String?
    /// `private_key_jwt` with ``jwks``: the agent signs client assertions and has no secret.
    public var tokenEndpointAuthMethod: String?
    public var jwks: JSONValue?
    /// Or where the agent publishes its keys (`jwks_uri`).
    public var jwksURI: String?
    /// RFC 9449 §5.2: DPoP-bound access tokens only.
    public var dpopBoundAccessTokens: Bool?
    /// RFC 8705 §3.4: certificate-bound access tokens only.
    public var tlsClientCertificateBoundAccessTokens: Bool?
    /// RFC 8705 §2.1.2, with `tls_client_auth`: exactly one certificate subject.
    public var tlsClientAuthSubjectDN: String?
    public var tlsClientAuthSANDNS: String?
    public var tlsClientAuthSANURI: String?
    public var tlsClientAuthSANIP: String?
    public var tlsClientAuthSANEmail: String?

    /// The `tls_client_auth_*` fields given, by metadata name.
    public var tlsClientAuthFields: [String: String] {
        let values: [(TLSClientAuthSubject.Kind, String?)] = [
            (.subjectDN, tlsClientAuthSubjectDN), (.sanDNS, tlsClientAuthSANDNS), (.sanURI, tlsClientAuthSANURI),
            (.sanIP, tlsClientAuthSANIP), (.sanEmail, tlsClientAuthSANEmail),
        ]
        return Dictionary(uniqueKeysWithValues: values.compactMap { kind, value in value.map { (kind.metadataName, $0) } })
    }

    enum CodingKeys: String, CodingKey {
        case name, organization, team, description, tags, scopes, metadata, active, jwks, jwksURI = "jwks_uri"
        case tlsClientAuthSubjectDN = "tls_client_auth_subject_dn", tlsClientAuthSANDNS = "tls_client_auth_san_dns"
        case tlsClientAuthSANURI = "tls_client_auth_san_uri", tlsClientAuthSANIP = "tls_client_auth_san_ip"
        case tlsClientAuthSANEmail = "tls_client_auth_san_email"
        case tokenEndpointAuthMethod = "token_endpoint_auth_method", dpopBoundAccessTokens = "dpop_bound_access_tokens"
        case tlsClientCertificateBoundAccessTokens = "tls_client_certificate_bound_access_tokens"
        case clientID = "client_id", grantTypes = "grant_types", expiresAt = "expires_at", allowedAudiences = "allowed_audiences"
        case clientSecretEnv = "client_secret_env", clientSecretFile = "client_secret_file", clientSecretHash = "client_secret_hash"
    }
}

/// `provision.api_keys[]`: identified by organization slug and name; the key from env or file, or generated.
public struct DeclaredAPIKey: Decodable, Sendable, Hashable {
    public var organization: String
    public var name: String
    public var expiresAt: String?
    public var keyEnv: String?
    public var keyFile: String?

    enum CodingKeys: String, CodingKey {
        case organization, name
        case expiresAt = "expires_at", keyEnv = "key_env", keyFile = "key_file"
    }
}

/// `provision.webhooks[]`: identified by organization slug (or none) and name.
public struct DeclaredWebhook: Decodable, Sendable, Hashable {
    public var name: String
    public var organization: String?
    public var team: String?
    public var url: String
    public var events: [String]?
    public var maxRetries: Int?
    public var retryBackoffBase: Double?
    public var active: Bool?
    public var secretEnv: String?
    public var secretFile: String?

    enum CodingKeys: String, CodingKey {
        case name, organization, team, url, events, active
        case maxRetries = "max_retries", retryBackoffBase = "retry_backoff_base", secretEnv = "secret_env", secretFile = "secret_file"
    }
}

/// Everything a provision section (and the files it includes) declares.
public struct ProvisionDocument: Sendable {
    /// Delete objects provisioning created earlier that are no longer declared.
    public var prune = false
    public var organizations: [Located<DeclaredOrganization>] = []
    public var teams: [Located<DeclaredTeam>] = []
    public var agents: [Located<DeclaredAgent>] = []
    public var apiKeys: [Located<DeclaredAPIKey>] = []
    public var webhooks: [Located<DeclaredWebhook>] = []
    /// Secrets read from the environment or files, by object key (`agent:acme/reporter`).
    public var secrets: [String: String] = [:]

    public init() {}

    public var isEmpty: Bool {
        organizations.isEmpty && teams.isEmpty && agents.isEmpty && apiKeys.isEmpty && webhooks.isEmpty
    }

    static func key(_ organization: String?, _ name: String) -> String { "\(organization ?? "-")/\(name)" }

    /// How an agent is named in reports and checks: `acme/reporter`, with its client id when declared.
    static func key(_ agent: DeclaredAgent) -> String {
        key(agent.organization, agent.name) + (agent.clientID.map { " (client_id \($0))" } ?? "")
    }
}
