/// The claims of an access token being issued. Registered claims are set by the token
/// service; enrichers may add others but can never replace a registered one.
///
/// ```swift
/// try claims.set("org_id", .string(org.id))
/// try claims.set("exp", 0)   // throws ClaimError.reserved
/// ```
public struct TokenClaims: Sendable, Hashable {
    /// Claims only the token service sets (RFC 7519 registered claims, RFC 9068's, and the
    /// RFC 9449 key binding `cnf`).
    public static let reserved: Set<String> = [
        "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "agent_id", "cnf",
    ]

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
