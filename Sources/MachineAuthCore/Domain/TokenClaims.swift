/// The claims of an access token being issued. Registered claims are set by the token
/// service; enrichers may add others but can never replace a registered one.
///
/// ```swift
/// try claims.set("org_id", .string(org.id))
/// try claims.set("exp", 0)   // throws ClaimError.reserved
/// ```
public struct TokenClaims: Sendable, Hashable {
    /// Claims only the token service sets (RFC 7519 registered claims, RFC 9068's, the RFC 9449
    /// key binding `cnf`, and ``grantClaims``).
    public static let reserved = Set([
        "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "agent_id", "cnf",
    ]).union(grantClaims)
    /// Claims a grant may hand the token service (``Grant/claims``): the outside identity a
    /// federated token was exchanged for. No enricher can set or remove them, on any token.
    public static let grantClaims: Set<String> = ["external_identity"]

    public private(set) var values: [String: JSONValue]

    /// Starts with the registered claims already decided by the token service.
    public init(registered: [String: JSONValue]) {
        self.values = registered
    }

    public subscript(name: String) -> JSONValue? { values[name] }

    /// Sets a non-registered claim.
    public mutating func set(_ name: String, _ value: JSONValue) throws(ClaimError) {
        guard !Self.reserved.contains(name) else { throw ClaimError(name: name) }
        values[name] = value
    }

    /// Sets a claim a grant decided (one of ``grantClaims``), after the enrichers ran.
    mutating func setGrantClaim(_ name: String, _ value: JSONValue) throws(ClaimError) {
        guard Self.grantClaims.contains(name) else { throw ClaimError(name: name) }
        values[name] = value
    }

    /// Removes a non-registered claim.
    public mutating func remove(_ name: String) throws(ClaimError) {
        guard !Self.reserved.contains(name) else { throw ClaimError(name: name) }
        values[name] = nil
    }
}

/// An attempt to change a registered claim.
public struct ClaimError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var description: String { "the registered claim \"\(name)\" cannot be set by an enricher" }
}
