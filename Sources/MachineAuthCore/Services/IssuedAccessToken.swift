public import Foundation

/// A freshly signed access token and what it grants.
public struct IssuedAccessToken: Sendable {
    public var token: String
    public var jti: String
    public var scopes: [String]
    public var audience: [String]
    public var issuedAt: Date
    public var expiresAt: Date
    public var claims: [String: JSONValue]
    /// What producing the JWS cost; `nil` for a token built elsewhere (tests).
    public var signing: Signing?

    public init(
        token: String, jti: String, scopes: [String], audience: [String], issuedAt: Date, expiresAt: Date, claims: [String: JSONValue]
    ) {
        self.token = token
        self.jti = jti
        self.scopes = scopes
        self.audience = audience
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.claims = claims
    }

    /// The algorithm a token was signed with and the CPU time that took (claims serialized,
    /// encoded and signed), for ``Telemetry/tokenIssued(grantType:renewal:signing:)``.
    public struct Signing: Sendable, Equatable {
        public var algorithm: String
        public var cpuTime: Duration
    }

    /// Seconds until expiry, for `expires_in`.
    public var expiresIn: Int { Int(expiresAt.timeIntervalSince(issuedAt)) }
}

/// An access token that passed every check: signature, issuer, lifetime, denylist, agent state.
public struct ValidatedAccessToken: Sendable {
    public var claims: [String: JSONValue]
    public var agent: Agent
    public var jti: String
    public var scopes: [String]
    public var audience: [String]
    public var issuedAt: Date
    public var expiresAt: Date
}
