public import Foundation

/// A grant stage: answers one `grant_type` of the token endpoint (RFC 6749 §4.4
/// `client_credentials`, §6 `refresh_token`, or an extension grant's URI).
///
/// The ``TokenService`` authenticates the client (when the grant requires it), asks the grant
/// who the token is for and within which limits, narrows scope and audience to what was
/// asked, signs, and lets every grant add to the response. Adding a grant is one stage: the
/// metadata, the validation of agents' `grant_types` and the dispatch all come from here.
///
/// ```swift
/// struct DeviceGrant: GrantHandler {
///     let grantType = "urn:example:device"
///     func grant(_ request: GrantRequest) async throws -> Grant { … }
/// }
/// ```
public protocol GrantHandler: Sendable {
    /// The `grant_type` it answers.
    var grantType: String { get }
    /// Whether the client must authenticate before ``grant(_:)`` is asked (`invalid_client` otherwise).
    var requiresClientAuthentication: Bool { get }
    /// Who the token is for and its limits; throws an ``OAuthError`` (`invalid_grant`, …) to refuse.
    func grant(_ request: GrantRequest) async throws -> Grant
    /// Adds to the response of every issuance, whatever its grant (a refresh token); default nothing.
    func contribute(to response: inout TokenResponse, for issuance: Issuance) async throws
    /// Describes a token of this grant's own kind (RFC 7662), or `nil` when it is not one.
    func introspect(_ token: String, hint: String?) async throws -> IssuedGrantToken?
    /// Revokes a token of this grant's own kind (RFC 7009) if `mayRevoke` allows its agent.
    func revoke(_ token: String, hint: String?, mayRevoke: @Sendable (Agent) -> Bool) async throws -> GrantTokenRevocation
}

extension GrantHandler {
    public func contribute(to response: inout TokenResponse, for issuance: Issuance) async throws {}
    public func introspect(_ token: String, hint: String?) async throws -> IssuedGrantToken? { nil }
    public func revoke(_ token: String, hint: String?, mayRevoke: @Sendable (Agent) -> Bool) async throws -> GrantTokenRevocation {
        .notMine
    }
}

/// What a grant is given: the request's parameters and the client, if it authenticated.
public struct GrantRequest: Sendable {
    public var parameters: RequestParameters
    /// The client that authenticated in this request (always set when the grant requires it).
    public var client: AgentPrincipal?
    public var time: Date

    public init(parameters: RequestParameters, client: AgentPrincipal?, time: Date) {
        self.parameters = parameters
        self.client = client
        self.time = time
    }
}

/// A grant's decision: the agent the token is for and the most it may carry.
public struct Grant: Sendable {
    public var agent: Agent
    /// The scopes the token may carry at most; the request's `scope` narrows them.
    public var scopes: [String]
    /// The audience carried over from an earlier grant (a refresh), which the request may only
    /// narrow; `nil`: whatever the agent may ask for.
    public var audience: [String]?
    /// Whether this issuance renews an earlier one (counted as a refresh, event `token.refreshed`).
    public var isRenewal: Bool
    /// State a grant hands on to its ``GrantHandler/contribute(to:for:)`` (a refresh-token family).
    public var continuation: String?
    /// Claims the grant adds to the access token and to the issuance event (and so the audit
    /// record): the outside identity a federated token was exchanged for. Only names of
    /// ``TokenClaims/grantClaims``, which enrichers cannot touch.
    public var claims: [String: JSONValue]

    public init(
        agent: Agent, scopes: [String], audience: [String]? = nil, isRenewal: Bool = false, continuation: String? = nil,
        claims: [String: JSONValue] = [:]
    ) {
        self.agent = agent
        self.scopes = scopes
        self.audience = audience
        self.isRenewal = isRenewal
        self.continuation = continuation
        self.claims = claims
    }
}

/// One issued access token, as grants see it when they contribute to the response.
public struct Issuance: Sendable {
    public var grantType: String
    public var grant: Grant
    public var token: IssuedAccessToken

    public init(grantType: String, grant: Grant, token: IssuedAccessToken) {
        self.grantType = grantType
        self.grant = grant
        self.token = token
    }
}

/// The token endpoint's answer (RFC 6749 §5.1).
public struct TokenResponse: Sendable {
    public var accessToken: String
    public var tokenType: String
    public var expiresIn: Int
    public var scope: String
    public var refreshToken: String?
    /// Further members contributed by stages.
    public var extra: [String: JSONValue] = [:]
    /// The agent the token was issued to (for the request log; not part of the response body).
    public var agentID: String?

    public init(accessToken: String, tokenType: String, expiresIn: Int, scope: String, refreshToken: String? = nil) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.scope = scope
        self.refreshToken = refreshToken
    }

    /// The JSON body.
    public var json: JSONValue {
        var body = extra
        body["access_token"] = .string(accessToken)
        body["token_type"] = .string(tokenType)
        body["expires_in"] = .int(expiresIn)
        body["scope"] = .string(scope)
        if let refreshToken { body["refresh_token"] = .string(refreshToken) }
        return .object(body)
    }
}

/// A token a grant stage issued itself (such as a refresh token), as introspection describes it.
public struct IssuedGrantToken: Sendable {
    public var agent: Agent
    /// Whether it can still be used.
    public var isActive: Bool
    /// The RFC 7662 members (`token_type`, `scope`, `exp`, …) when active.
    public var claims: [String: JSONValue]

    public init(agent: Agent, isActive: Bool, claims: [String: JSONValue]) {
        self.agent = agent
        self.isActive = isActive
        self.claims = claims
    }
}

/// What revoking a token meant to a grant stage.
public enum GrantTokenRevocation: Sendable {
    /// Not a token of this stage.
    case notMine
    /// Its token, but nothing to do (already revoked, or not the caller's to revoke).
    case unchanged
    /// Revoked: `kind` is what `token.revoked` names as `token_type`, `id` what it targets.
    case revoked(agent: Agent, kind: String, id: String)
}
