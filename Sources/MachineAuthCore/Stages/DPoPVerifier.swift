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
    /// Checks one proof (`DPoP` header) for `request` without recording it: signature with its
    /// own public `jwk`, `typ`, `htm`, `htu`, `iat` window, `ath` (when a token is given), the
    /// nonce where required. Throws an ``OAuthError`` (`invalid_dpop_proof`, `use_dpop_nonce`;
    /// status 400, the caller adapts it to where the proof was presented).
    func check(_ proof: String, for request: DPoPRequest) async throws -> DPoPProof
    /// Records that `proof` was used; throws `invalid_dpop_proof` when its `jti` was seen before
    /// (or the replay store's error). Separate from ``check(_:for:)`` so the token endpoint writes
    /// nothing for a request whose client has not authenticated.
    func recordUse(of proof: DPoPProof, at time: Date) async throws
    /// The nonce to send as `DPoP-Nonce` now, or `nil` when the stage does not use nonces.
    func currentNonce(at time: Date) -> String?
}

extension DPoPVerifier {
    /// ``check(_:for:)`` then ``recordUse(of:at:)``: a proof accepted once.
    public func verify(_ proof: String, for request: DPoPRequest) async throws -> DPoPProof {
        let checked = try await check(proof, for: request)
        try await recordUse(of: checked, at: request.time)
        return checked
    }
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
    /// What the replay table records for it (its key and `jti`).
    public var replayKey: String
    /// Until when it would be accepted, so how long its use must be remembered.
    public var usableUntil: Date

    public init(thumbprint: String, replayKey: String, usableUntil: Date) {
        self.thumbprint = thumbprint
        self.replayKey = replayKey
        self.usableUntil = usableUntil
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
