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

    /// How the client should authenticate next.
    public enum Challenge: Sendable, Hashable {
        case basic
        case bearer
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

    public var description: String { "\(code): \(message)" }
}
