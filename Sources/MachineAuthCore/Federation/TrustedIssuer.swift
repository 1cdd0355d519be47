public import Foundation

/// An outside token issuer whose tokens a workload may exchange for an access token (workload
/// identity federation, RFC 7523 §2.1 `jwt-bearer` grant): a Kubernetes cluster, GitHub Actions,
/// a SPIFFE trust domain, any OIDC provider. Its keys come from `jwks` (inline), `jwks_uri`, or
/// else its OIDC discovery document; its ``rules`` map an outside identity to one agent.
///
/// Declared in the `jwt_bearer` grant's YAML (`issuers:`) or through `/api/trusted-issuers`;
/// both are checked by ``TrustedIssuer/problems()``.
public struct TrustedIssuer: Sendable, Hashable, Codable {
    /// `tis_…` for issuers made through the API; for YAML issuers the `id` given there, else `config-<n>`.
    public var id: String
    /// What operators call it (shown in lists and audit records).
    public var name: String?
    /// The exact `iss` of its tokens (an `https` URL).
    public var issuer: String
    /// Rules of a well-known platform (the subject's shape, defaults); `nil`: a generic OIDC issuer.
    public var preset: FederationPreset?
    /// The `aud` values its tokens may carry to be accepted here (one must be present); empty:
    /// this server's issuer identifier or its token endpoint URL.
    public var audiences: [String]
    /// Where its JWK Set is (else read from `<issuer>/.well-known/openid-configuration`).
    public var jwksURI: String?
    /// Its public keys, fixed (`{"keys": [...]}`), instead of fetching them.
    public var jwks: JSONValue?
    /// The SPIFFE trust domain (`example.org`) whose IDs it vouches for; only with preset `spiffe`.
    public var trustDomain: String?
    /// Whether each token may be exchanged only once (its `jti` recorded until it expires).
    /// Default: ``FederationPreset/singleUseByDefault``, or `true` without a preset.
    public var singleUse: Bool?
    /// The longest lifetime (`exp` - `iat`, and `exp` from now) of a token accepted, in seconds. Default 3600.
    public var maxTokenLifetime: Int?
    /// Which outside identities become which agent, tried in order; the first that matches wins.
    public var rules: [IdentityRule]
    public var createdAt: Date?
    public var updatedAt: Date?

    public init(
        id: String, name: String? = nil, issuer: String, preset: FederationPreset? = nil, audiences: [String] = [], jwksURI: String? = nil,
        jwks: JSONValue? = nil, trustDomain: String? = nil, singleUse: Bool? = nil, maxTokenLifetime: Int? = nil, rules: [IdentityRule],
        createdAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.issuer = issuer
        self.preset = preset
        self.audiences = audiences
        self.jwksURI = jwksURI
        self.jwks = jwks
        self.trustDomain = trustDomain
        self.singleUse = singleUse
        self.maxTokenLifetime = maxTokenLifetime
        self.rules = rules
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, issuer, preset, audiences, jwks, rules
        case jwksURI = "jwks_uri", trustDomain = "trust_domain", singleUse = "single_use", maxTokenLifetime = "max_token_lifetime"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        name = try container.decodeIfPresent(String.self, forKey: .name)
        issuer = try container.decode(String.self, forKey: .issuer)
        preset = try container.decodeIfPresent(FederationPreset.self, forKey: .preset)
        audiences = try container.decodeIfPresent([String].self, forKey: .audiences) ?? []
        jwksURI = try container.decodeIfPresent(String.self, forKey: .jwksURI)
        jwks = try container.decodeIfPresent(JSONValue.self, forKey: .jwks)
        trustDomain = try container.decodeIfPresent(String.self, forKey: .trustDomain)
        singleUse = try container.decodeIfPresent(Bool.self, forKey: .singleUse)
        maxTokenLifetime = try container.decodeIfPresent(Int.self, forKey: .maxTokenLifetime)
        rules = try container.decodeIfPresent([IdentityRule].self, forKey: .rules) ?? []
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt)
        updatedAt = try container.decodeIfPresent(Date.self, forKey: .updatedAt)
    }

    /// The default of ``maxTokenLifetime``: an hour, what Kubernetes projects by default.
    public static let defaultMaxTokenLifetime = 3600
    /// The accepted range of ``maxTokenLifetime`` in seconds: a minute to a day.
    public static let maxTokenLifetimeRange = 60...86_400

    /// Whether a token's `jti` is recorded so it can be exchanged once.
    public var isSingleUse: Bool { singleUse ?? preset?.singleUseByDefault ?? true }
    /// ``maxTokenLifetime`` or its default.
    public var tokenLifetimeLimit: Int { maxTokenLifetime ?? Self.defaultMaxTokenLifetime }

    /// The first rule that maps these (verified) claims, if any.
    public func rule(for claims: [String: JSONValue]) -> IdentityRule? {
        rules.first { $0.matches(claims) }
    }
}

/// One mapping of outside identities to an agent: every condition must hold (globs on string
/// claims), and the agent's token then carries at most ``scopes``.
///
/// ```yaml
/// - subject: "repo:acme/deploy:ref:refs/heads/main"
///   claims: { workflow: "release" }
///   agent: deploy-bot
///   scopes: [deploy:write]
/// ```
public struct IdentityRule: Sendable, Hashable, Codable {
    /// A glob (``ClaimGlob``) the token's `sub` must match.
    public var subject: String?
    /// Globs other top-level string claims must match (`repository`, `environment`, …).
    public var claims: [String: String]
    /// The `client_id` of the agent the token is issued to.
    public var agent: String
    /// The most the token may carry; `nil`: the agent's own scopes.
    public var scopes: [String]?

    public init(subject: String? = nil, claims: [String: String] = [:], agent: String, scopes: [String]? = nil) {
        self.subject = subject
        self.claims = claims
        self.agent = agent
        self.scopes = scopes
    }

    enum CodingKeys: String, CodingKey { case subject, claims, agent, scopes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        claims = try container.decodeIfPresent([String: String].self, forKey: .claims) ?? [:]
        agent = try container.decode(String.self, forKey: .agent)
        scopes = try container.decodeIfPresent([String].self, forKey: .scopes)
    }

    /// Every condition, `sub` included, as claim name → glob.
    public var conditions: [String: String] {
        var all = claims
        if let subject { all["sub"] = subject }
        return all
    }

    /// Whether every condition holds for `claims` (a condition on a missing or non-string claim fails).
    public func matches(_ claims: [String: JSONValue]) -> Bool {
        conditions.allSatisfy { name, pattern in
            guard let value = claims[name]?.stringValue else { return false }
            return ClaimGlob.matches(value, pattern: pattern)
        }
    }
}

/// Platforms whose tokens have a known shape; a preset checks rules against that shape and
/// sets defaults, so a rule cannot accidentally admit every workload of the platform.
public enum FederationPreset: String, Sendable, Hashable, Codable, CaseIterable, ConfigChoice {
    /// Kubernetes service-account tokens: `sub` is `system:serviceaccount:<namespace>:<name>`.
    case kubernetes
    /// GitHub Actions OIDC tokens: `sub` is `repo:<owner>/<repo>:…`, with `repository`, `ref`, `environment`, … claims.
    case githubActions = "github_actions"
    /// SPIFFE JWT-SVIDs: `sub` is the SPIFFE ID, `spiffe://<trust domain>/<path>`.
    case spiffe

    /// Kubernetes projects one token that pods reuse until it is renewed, and SPIFFE workloads
    /// cache their JWT-SVIDs: those may be exchanged more than once. GitHub mints one per request.
    public var singleUseByDefault: Bool { self == .githubActions }

    /// GitHub's issuer, the one every GitHub Actions token names.
    public static let githubActionsIssuer = "https://token.actions.githubusercontent.com"
}
