public import Foundation
public import MachineAuthCore

/// Checks DPoP proofs (RFC 9449) with JWTKit: each proof is signed by the key its header
/// carries, made for the request it comes with, recent, and used once — its `jti` is recorded
/// in the store's replay table (shared by every instance on PostgreSQL) until it would be too
/// old anyway. With `nonce: true`, token requests must also carry a server nonce (§8).
public struct DPoPProofVerifier: DPoPVerifier {
    let replays: any ReplayStore
    let rules: ProofRules
    let nonces: DPoPNonces?
    let accepted: Set<String>
    public let algorithms: [String]
    public let requiresProof: Bool

    public init(config: DPoPProofVerifierFactory.Config, replays: any ReplayStore, hasher: SecretHasher) {
        self.replays = replays
        self.rules = ProofRules(maxAge: TimeInterval(config.maxAge.seconds), clockSkew: TimeInterval(config.clockSkew.seconds))
        self.nonces = config.nonce ? DPoPNonces(hasher: hasher, window: config.nonceLifetime.seconds) : nil
        self.algorithms = config.algorithms
        self.accepted = Set(config.algorithms)
        self.requiresProof = config.required
    }

    public func currentNonce(at time: Date) -> String? {
        nonces?.nonce(at: time)
    }

    public func check(_ text: String, for request: DPoPRequest) async throws -> DPoPProof {
        let proof = try ProofToken(text, algorithms: accepted)
        let usableUntil = try rules.check(proof.claims, for: request)
        if request.isTokenRequest, let nonces {
            guard let nonce = proof.claims.nonce else { throw OAuthError.useDPoPNonce(nonces.nonce(at: request.time)) }
            guard nonces.accepts(nonce, at: request.time) else {
                throw OAuthError.useDPoPNonce(nonces.nonce(at: request.time), "the DPoP proof's nonce has expired or is not this server's: use the one in DPoP-Nonce")
            }
        }
        try await proof.verify()
        guard let thumbprint = JWKThumbprint.sha256(proof.key) else { throw ProofToken.refused("the DPoP proof's jwk has no thumbprint") }
        // The thumbprint is fixed-length base64url, so one key's jti cannot name another's.
        return DPoPProof(thumbprint: thumbprint, replayKey: "dpop:\(thumbprint):\(proof.claims.jti ?? "")", usableUntil: usableUntil)
    }

    public func recordUse(of proof: DPoPProof, at time: Date) async throws {
        guard try await replays.recordFirstUse(proof.replayKey, until: proof.usableUntil, at: time) else {
            throw ProofToken.refused("the DPoP proof was used before (jti): make a new one for each request")
        }
    }
}
