/// An OAuth 2.0 error response (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009, RFC 8707).
///
/// ```swift
/// throw OAuthError.invalidClient("client authentication failed", challenge: .basic)
/// ```
public struct OAuthError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `error` code, such as `invalid_grant`.
    public var code: String
    /// The `error_description`.
    public var message: String
    /// The HTTP status.
    public var status: Int
    /// The `WWW-Authenticate` challenge to send, if any.
    public var challenge: Challenge?
    /// Seconds to wait, sent as `Retry-After` (rate limiting).
    public var retryAfter: Int?
    /// For `insufficient_scope`: the scope needed (RFC 6750 §3).
    public var scope: String?
    /// The known client a failed authentication was for (counted by the rate limiter; never sent).
    public var clientID: String?
    /// RFC 9728 `resource_metadata` for the Bearer challenge, so clients can discover the authorization server.
    public var resourceMetadata: String?
    /// A fresh `DPoP-Nonce` to send (RFC 9449 §8: with `use_dpop_nonce`).
    public var dpopNonce: String?

    /// How the client should authenticate next.
    public enum Challenge: Sendable, Hashable {
        case basic
        case bearer
        /// RFC 9449 §7.1: `DPoP` with the proof algorithms the server accepts.
        case dpop(algorithms: [String])
    }

    public init(code: String, message: String, status: Int, challenge: Challenge? = nil, retryAfter: Int? = nil, scope: String? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.challenge = challenge
        self.retryAfter = retryAfter
        self.scope = scope
    }

    public static func invalidRequest(_ message: String) -> OAuthError {
        OAuthError(code: "invalid_request", message: message, status: 400)
    }

    /// 401 with a challenge: `Basic` when the client used Basic authentication (RFC 6749 §5.2).
    public static func invalidClient(_ message: String, challenge: Challenge? = nil) -> OAuthError {
        OAuthError(code: "invalid_client", message: message, status: 401, challenge: challenge)
    }

    public static func invalidGrant(_ message: String) -> OAuthError {
        OAuthError(code: "invalid_grant", message: message, status: 400)
    }

    public static func unauthorizedClient(_ message: String) -> OAuthError {
        OAuthError(code: "unauthorized_client", message: message, status: 400)
    }

    public static func unsupportedGrantType(_ message: String) -> OAuthError {
        OAuthError(code: "unsupported_grant_type", message: message, status: 400)
    }

    public static func invalidScope(_ message: String) -> OAuthError {
        OAuthError(code: "invalid_scope", message: message, status: 400)
    }

    public static func invalidTarget(_ message: String) -> OAuthError {
        OAuthError(code: "invalid_target", message: message, status: 400)
    }

    public static func unsupportedTokenType(_ message: String) -> OAuthError {
        OAuthError(code: "unsupported_token_type", message: message, status: 400)
    }

    /// RFC 6750: a missing, malformed, expired or revoked bearer token.
    public static func invalidToken(_ message: String) -> OAuthError {
        OAuthError(code: "invalid_token", message: message, status: 401, challenge: .bearer)
    }

    public static func insufficientScope(_ message: String, scope: String) -> OAuthError {
        OAuthError(code: "insufficient_scope", message: message, status: 403, challenge: .bearer, scope: scope)
    }

    /// A valid caller that this resource does not admit (gateway rules).
    public static func accessDenied(_ message: String) -> OAuthError {
        OAuthError(code: "access_denied", message: message, status: 403)
    }

    public static func slowDown(retryAfter: Int) -> OAuthError {
        OAuthError(
            code: "slow_down", message: "too many failed attempts; retry after \(retryAfter) seconds", status: 429,
            retryAfter: retryAfter)
    }

    /// RFC 9449: a DPoP proof that is missing, malformed or does not match the request (400
    /// at the token endpoint; ``atResource(algorithms:)`` makes it a 401 challenge).
    public static func invalidDPoPProof(_ message: String) -> OAuthError {
        OAuthError(code: "invalid_dpop_proof", message: message, status: 400)
    }

    /// RFC 9449 §8: the proof must carry the server's nonce, sent along as `DPoP-Nonce`.
    public static func useDPoPNonce(_ nonce: String, _ message: String = "the DPoP proof must carry the server's nonce (DPoP-Nonce)") -> OAuthError {
        var error = OAuthError(code: "use_dpop_nonce", message: message, status: 400)
        error.dpopNonce = nonce
        return error
    }

    /// The refusal of a presented DPoP-bound token or its proof at a resource (RFC 9449 §7.1):
    /// 401 with a `DPoP` challenge naming `algorithms`.
    public func atResource(algorithms: [String]) -> OAuthError {
        var error = self
        error.status = 401
        error.challenge = .dpop(algorithms: algorithms)
        return error
    }

    public var description: String { "\(code): \(message)" }
}
