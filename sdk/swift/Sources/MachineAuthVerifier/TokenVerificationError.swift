/// A token failed verification: `invalid_token` (HTTP 401) or `insufficient_scope` (403), the
/// RFC 6750 codes a resource server answers with.
///
/// ```swift
/// do { claims = try await verifier.verify(bearer, scopes: ["orders:read"]) }
/// catch let error as TokenVerificationError {
///     // error.status, error.wwwAuthenticate(realm: "api")
/// }
/// ```
public struct TokenVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The RFC 6750 error codes of a bearer token refusal.
    public enum Code: String, Sendable {
        /// Malformed, forged, expired, for another issuer or audience, or revoked.
        case invalidToken = "invalid_token"
        /// Valid, but without every scope the resource needs.
        case insufficientScope = "insufficient_scope"
    }

    public let code: Code
    /// Why, in words (sent as `error_description`).
    public let errorDescription: String
    /// The scopes the resource needs (named in the `insufficient_scope` challenge).
    public let requiredScopes: [String]

    public init(_ code: Code, _ errorDescription: String, requiredScopes: [String] = []) {
        self.code = code
        self.errorDescription = errorDescription
        self.requiredScopes = requiredScopes
    }

    /// An `invalid_token` refusal.
    public static func invalid(_ description: String) -> TokenVerificationError {
        TokenVerificationError(.invalidToken, description)
    }

    /// The OAuth `error` code.
    public var error: String { code.rawValue }

    /// 401 for `invalid_token`, 403 for `insufficient_scope`.
    public var status: Int { code == .insufficientScope ? 403 : 401 }

    /// The `WWW-Authenticate` value: `Bearer realm="api", error="…", error_description="…"`,
    /// with `scope="…"` for `insufficient_scope` (RFC 6750 §3).
    public func wwwAuthenticate(realm: String? = nil) -> String {
        var parameters: [(String, String)] = []
        if let realm { parameters.append(("realm", realm)) }
        parameters.append(("error", code.rawValue))
        parameters.append(("error_description", errorDescription))
        if code == .insufficientScope, !requiredScopes.isEmpty {
            parameters.append(("scope", requiredScopes.joined(separator: " ")))
        }
        return BearerChallenge.render(parameters)
    }

    public var description: String { "\(code.rawValue): \(errorDescription)" }
}

/// Renders RFC 6750 `WWW-Authenticate: Bearer …` challenges.
public enum BearerChallenge {
    /// `Bearer name="value", …`, each value a quoted-string (RFC 9110 §5.6.4); characters a
    /// quoted-string cannot hold (controls) are dropped, `"` and `\` escaped.
    public static func render(_ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return "Bearer" }
        let rendered = parameters.map { name, value in "\(name)=\(quoted(value))" }
        return "Bearer " + rendered.joined(separator: ", ")
    }

    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars where scalar.value >= 0x20 && scalar.value != 0x7F {
            if scalar == "\"" || scalar == "\\" { result.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        return result + "\""
    }
}
