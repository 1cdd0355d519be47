public import Foundation

/// The DPoP stage (RFC 9449): checks proofs of possession of a key, so access tokens can be
/// bound to it (`cnf.jkt`) and are useless to anyone who copies them without the key.
///
/// The core asks it at the token endpoint (a proof binds the token it issues) and wherever a
/// bound token is presented (`/gateway/check`, `/api/verify`, the API), and never parses a
/// proof itself.
///
/// ```swift
/// let proof = try await verifier.verify(text, for: DPoPRequest(method: "POST", url: issuer + "/oauth/token", at: now))
/// claims["cnf"] = ["jkt": .string(proof.thumbprint)]
/// ```
public protocol DPoPVerifier: Sendable {
    /// The JWS algorithms proofs may be signed with (`dpop_signing_alg_values_supported`, `algs=`).
    var algorithms: [String] { get }
    /// Whether every access token this deployment issues must be DPoP-bound.
    var requiresProof: Bool { get }
    /// Checks one proof (`DPoP` header) for `request`: signature with its own public `jwk`, `typ`,
    /// `htm`, `htu`, `iat` window, `ath` (when a token is given), the nonce where required, and a
    /// `jti` not seen before. Throws an ``OAuthError`` (`invalid_dpop_proof`, `use_dpop_nonce`;
    /// status 400, the caller adapts it to where the proof was presented), or the replay
    /// store's error.
    func verify(_ proof: String, for request: DPoPRequest) async throws -> DPoPProof
    /// The nonce to send as `DPoP-Nonce` now, or `nil` when the stage does not use nonces.
    func currentNonce(at time: Date) -> String?
}

/// What a proof must match: the HTTP request it came with.
public struct DPoPRequest: Sendable {
    /// `htm`: the request's method.
    public var method: String
    /// `htu`: the request's URL without query and fragment.
    public var url: String
    /// The access token presented with the proof (its hash must be `ath`); `nil` at the token endpoint.
    public var accessToken: String?
    /// Whether this is a token request (where nonces, when configured, are required).
    public var isTokenRequest: Bool
    public var time: Date

    public init(method: String, url: String, accessToken: String? = nil, isTokenRequest: Bool = false, at time: Date) {
        self.method = method
        self.url = url
        self.accessToken = accessToken
        self.isTokenRequest = isTokenRequest
        self.time = time
    }
}

/// A proof that checked out.
public struct DPoPProof: Sendable, Hashable {
    /// The RFC 7638 SHA-256 thumbprint of its key, base64url (`cnf.jkt`).
    public var thumbprint: String

    public init(thumbprint: String) {
        self.thumbprint = thumbprint
    }
}

/// The DPoP parts of an HTTP request: every `DPoP` header value, and the method and URL a
/// proof must name.
public struct DPoPPresentation: Sendable {
    /// Each `DPoP` header value as sent (more than one is refused).
    public var proofs: [String]
    public var method: String
    /// Without query and fragment.
    public var url: String

    public init(proofs: [String], method: String, url: String) {
        self.proofs = proofs
        self.method = method
        self.url = url
    }
}
