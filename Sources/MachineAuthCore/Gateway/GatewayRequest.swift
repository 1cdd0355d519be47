import Foundation

/// A request as a forward-auth proxy describes it.
public struct GatewayRequest: Sendable {
    public var method: String
    public var host: String
    /// The raw request target as the proxy forwarded it (canonicalized by the engine, ``CanonicalPath``).
    public var path: String
    public var scheme: String
    /// The bearer token or API key presented, if any.
    public var credential: String?
    /// How ``credential`` was presented: `Authorization: Bearer` (or `X-API-Key`) or `Authorization: DPoP`.
    public var credentialScheme: AccessTokenScheme
    /// Every `DPoP` header value the proxy passed on (RFC 9449 proofs).
    public var dpopProofs: [String]
    /// The client certificate the proxy verified and passed on (RFC 8705), if any.
    public var clientCertificate: ClientCertificate?

    public init(
        method: String, host: String, path: String, scheme: String, credential: String?, credentialScheme: AccessTokenScheme = .bearer,
        dpopProofs: [String] = []
    ) {
        self.method = method
        self.host = host
        self.path = path
        self.scheme = scheme
        self.credential = credential
        self.credentialScheme = credentialScheme
        self.dpopProofs = dpopProofs
    }

    /// The original request as a DPoP proof names it (`htm`, and `htu`: scheme, host and path
    /// without the query, RFC 9449 §4.3).
    public var dpop: DPoPPresentation {
        let bare = path.prefix { $0 != "?" && $0 != "#" }
        return DPoPPresentation(proofs: dpopProofs, method: method, url: "\(scheme)://\(host)\(bare.isEmpty ? "/" : bare)")
    }
}

/// Allow with identity headers for the upstream, or deny with an RFC 6750 error.
public enum GatewayDecision: Sendable {
    case allow(headers: [(name: String, value: String)], rule: GatewayRule?)
    case deny(OAuthError)
}
