public import Foundation

/// Sender-constrained access tokens (RFC 9449) around the DPoP stage: which tokens the token
/// endpoint binds to a key, and whether a bound token was presented with a proof of that key.
///
/// ```swift
/// let key = try await binding.keyToBind(presentation.dpop, for: agent)        // token endpoint
/// try await binding.checkPresentation(of: validated, token: text, scheme: .dpop, dpop: proofs)  // resource
/// ```
public struct DPoPBinding: Sendable {
    let verifier: (any DPoPVerifier)?
    let now: @Sendable () -> Date

    public init(verifier: (any DPoPVerifier)?, now: @escaping @Sendable () -> Date) {
        self.verifier = verifier
        self.now = now
    }

    /// Whether a DPoP stage is configured.
    public var isEnabled: Bool { verifier != nil }
    /// `dpop_signing_alg_values_supported` (empty without the stage).
    public var algorithms: [String] { verifier?.algorithms ?? [] }
    /// Whether the deployment binds every access token.
    public var requiresProof: Bool { verifier?.requiresProof ?? false }

    /// The nonce to send as `DPoP-Nonce` now, when the stage uses nonces.
    public func currentNonce() -> String? { verifier?.currentNonce(at: now()) }

    /// The token request's proof (RFC 9449 §5), checked but not yet recorded as used, or `nil`
    /// without a proof (or without the stage: a server that does not do DPoP ignores the
    /// header, §5 ¶7).
    func checkedProof(_ presentation: DPoPPresentation?) async throws -> DPoPProof? {
        guard let verifier, let presentation, !presentation.proofs.isEmpty else { return nil }
        guard presentation.proofs.count == 1 else { throw OAuthError.invalidDPoPProof("send exactly one DPoP header") }
        let request = DPoPRequest(method: presentation.method, url: presentation.url, isTokenRequest: true, at: now())
        return try await verifier.check(presentation.proofs[0], for: request)
    }

    /// Records a checked proof as used (its `jti` once).
    func recordUse(of proof: DPoPProof?) async throws {
        guard let verifier, let proof else { return }
        try await verifier.recordUse(of: proof, at: now())
    }

    /// Refuses an unbound issuance where the deployment or the agent (`dpop_bound_access_tokens`,
    /// RFC 9449 §5.2) requires binding.
    func requireBinding(_ key: String?, for agent: Agent) throws(OAuthError) {
        guard key == nil else { return }
        if agent.dpopBoundAccessTokens, verifier == nil {
            throw OAuthError.invalidDPoPProof("this client requires DPoP-bound tokens, but the server has no dpop stage configured")
        }
        if agent.dpopBoundAccessTokens || requiresProof {
            throw OAuthError.invalidDPoPProof("a DPoP proof is required: send a DPoP header (RFC 9449) with the token request")
        }
    }

    /// Checks how a valid access token was presented to a resource — the one check of every
    /// sender constraint: a token bound to a client certificate needs that certificate
    /// (``CertificateBinding``, RFC 8705 §3); a token bound to a key needs the `DPoP` scheme and
    /// one proof of its key for this request (`htm`, `htu`, `ath`, RFC 9449 §7); a token not
    /// bound to a key needs the `Bearer` scheme. Refusals are 401 with the matching challenge.
    public func checkPresentation(
        of token: ValidatedAccessToken, token text: String, scheme: AccessTokenScheme, dpop: DPoPPresentation?,
        certificate: ClientCertificate?
    ) async throws {
        try CertificateBinding.checkPresentation(of: token, certificate: certificate)
        guard let bound = Confirmation(claims: token.claims).keyThumbprint else {
            guard scheme == .bearer else { throw OAuthError.invalidToken("the token is not DPoP-bound: present it as Authorization: Bearer") }
            return
        }
        let algorithms = self.algorithms.isEmpty ? ["ES256"] : self.algorithms
        guard let verifier else {
            throw OAuthError.invalidToken("the token is DPoP-bound, but this server has no dpop stage to check proofs").atResource(algorithms: algorithms)
        }
        guard scheme == .dpop else {
            throw OAuthError.invalidToken("the token is DPoP-bound: present it as Authorization: DPoP with a DPoP proof").atResource(algorithms: algorithms)
        }
        guard let dpop, dpop.proofs.count == 1 else {
            let problem = (dpop?.proofs.isEmpty ?? true) ? "a DPoP proof (DPoP header) is required with a DPoP-bound token" : "send exactly one DPoP header"
            throw OAuthError.invalidDPoPProof(problem).atResource(algorithms: algorithms)
        }
        let proof: DPoPProof
        do {
            proof = try await verifier.verify(dpop.proofs[0], for: DPoPRequest(method: dpop.method, url: dpop.url, accessToken: text, at: now()))
        } catch let error as OAuthError {
            throw error.atResource(algorithms: algorithms)
        }
        guard ConstantTime.equals(proof.thumbprint, bound) else {
            throw OAuthError.invalidDPoPProof("the DPoP proof is signed with a key other than the one the token is bound to").atResource(algorithms: algorithms)
        }
    }
}

/// How an access token was presented (`Authorization: Bearer` or `Authorization: DPoP`).
public enum AccessTokenScheme: Sendable, Hashable {
    case bearer, dpop
}
