public import Foundation

/// An RFC 6749 §5.1 token response.
public struct AccessToken: Sendable, Hashable {
    /// The bearer token (a JWT).
    public let accessToken: String
    /// `Bearer`.
    public let tokenType: String
    /// Seconds the token lives from when it was issued.
    public let expiresIn: Int
    /// The granted scopes.
    public let scopes: [String]
    /// A refresh token, when the server issues them for client credentials.
    public let refreshToken: String?
    /// The answer as the server sent it.
    public let raw: JSONValue

    init(_ data: JSONValue) {
        accessToken = data.text("access_token")
        tokenType = data.text("token_type", "Bearer")
        expiresIn = data.integer("expires_in")
        scopes = data.scopeList("scope")
        refreshToken = data.optionalText("refresh_token")
        raw = data
    }
}

/// An RFC 7662 introspection answer. For a token that is not active (revoked, expired, unknown,
/// or not one the caller may see) only `active` is false and the rest is empty.
public struct Introspection: Sendable, Hashable {
    public let active: Bool
    public let tokenType: String?
    public let scopes: [String]
    public let clientID: String?
    public let agentID: String?
    public let subject: String?
    public let audience: [String]
    public let issuer: String?
    public let expiresAt: Date?
    public let issuedAt: Date?
    public let jti: String?
    /// Every field of the answer.
    public let raw: JSONValue

    init(_ data: JSONValue) {
        active = data.flag("active")
        tokenType = data.optionalText("token_type")
        scopes = data.scopeList("scope")
        clientID = data.optionalText("client_id")
        agentID = data.optionalText("agent_id")
        subject = data.optionalText("sub")
        audience = data.strings("aud")
        issuer = data.optionalText("iss")
        expiresAt = data.epochDate("exp")
        issuedAt = data.epochDate("iat")
        jti = data.optionalText("jti")
        raw = data
    }
}

/// RFC 8414 authorization server metadata (the fields a client uses; `raw` has all of them).
public struct ServerMetadata: Sendable, Hashable {
    /// The `iss` of the server's tokens.
    public let issuer: String
    public let tokenEndpoint: String
    public let jwksURI: String
    public let introspectionEndpoint: String?
    public let revocationEndpoint: String?
    public let grantTypesSupported: [String]
    public let signingAlgorithms: [String]
    public let raw: JSONValue

    init(_ data: JSONValue) {
        issuer = data.text("issuer")
        tokenEndpoint = data.text("token_endpoint")
        jwksURI = data.text("jwks_uri")
        introspectionEndpoint = data.optionalText("introspection_endpoint")
        revocationEndpoint = data.optionalText("revocation_endpoint")
        grantTypesSupported = data.strings("grant_types_supported")
        signingAlgorithms = data.strings("access_token_signing_alg_values_supported")
        raw = data
    }
}
