import Foundation
import JWTKit
import MachineAuthCore

/// A DPoP proof as sent in the `DPoP` header (RFC 9449 §4.2): a JWT of type `dpop+jwt`
/// signed with the private key whose public half its header carries as `jwk`. Nothing read
/// here is trusted until ``verify()`` has checked the signature with that key.
struct ProofToken {
    /// Larger proofs are refused before any parsing (an RSA 8192 key and the claims fit well within).
    static let maxBytes = 8192

    /// The JOSE header members the server acts on.
    struct Header: Decodable {
        var typ: String?
        var alg: String?
        var jwk: JSONValue?
        var crit: JSONValue?
        var b64: JSONValue?
    }

    /// The claims of RFC 9449 §4.2, numeric dates as sent.
    struct Claims: JWTPayload {
        var jti: String?
        var htm: String?
        var htu: String?
        var iat: Double?
        var ath: String?
        var nonce: String?

        /// Claims are checked by ``ProofRules`` with the server's clock.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    let text: String
    let algorithm: String
    /// The checked public key (``FieldRules/proofKey(_:)``).
    let key: [String: JSONValue]
    let claims: Claims

    /// Splits and decodes `text` and checks its header: `typ` `dpop+jwt`, an `alg` of
    /// `algorithms` that the key's type signs with, and a public `jwk`. Any malformation is
    /// `invalid_dpop_proof`.
    init(_ text: String, algorithms: Set<String>) throws(OAuthError) {
        guard text.utf8.count <= Self.maxBytes else { throw Self.refused("the DPoP proof is larger than \(Self.maxBytes) bytes") }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let claimBytes = Base64URL.decode(parts[1]) else {
            throw Self.refused("the DPoP proof is not a compact JWS")
        }
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(Header.self, from: headerBytes) else { throw Self.refused("the DPoP proof's header is not valid") }
        guard let claims = try? decoder.decode(Claims.self, from: claimBytes) else { throw Self.refused("the DPoP proof's claims are not valid") }
        // Media types compare case-insensitively, and `application/` may be written out (RFC 7515 §4.1.9).
        guard let typ = header.typ?.lowercased(), typ == "dpop+jwt" || typ == "application/dpop+jwt" else {
            throw Self.refused("the DPoP proof's typ must be dpop+jwt")
        }
        guard header.crit == nil, header.b64 == nil else { throw Self.refused("the DPoP proof uses a JWS extension (crit, b64) this server does not support") }
        guard let alg = header.alg, algorithms.contains(alg) else {
            throw Self.refused("the DPoP proof's alg must be one of \(algorithms.sorted().joined(separator: ", "))")
        }
        guard let members = header.jwk?.objectValue else { throw Self.refused("the DPoP proof's header needs jwk, the public key") }
        let key: [String: JSONValue]
        do throws(ValidationError) {
            key = try FieldRules.proofKey(members)
        } catch {
            throw Self.refused("the DPoP proof's \(error.field) \(error.message)")
        }
        let type = key["kty"]?.stringValue ?? ""
        guard FieldRules.clientKeyAlgorithms[type]?.contains(alg) == true, key["alg"].map({ $0 == .string(alg) }) ?? true else {
            throw Self.refused("the DPoP proof's alg \(alg) does not match its \(type) key")
        }
        self.text = text
        self.algorithm = alg
        self.key = key
        self.claims = claims
    }

    /// Checks the signature with the proof's own key, through JWTKit.
    func verify() async throws(OAuthError) {
        var key = key
        key["alg"] = .string(algorithm)  // JWTKit then builds the verifier for exactly this algorithm
        key["kid"] = "dpop-proof"  // JWTKit files keys by kid; the header names none, so this one is the default
        do {
            let jwk = try JSONDecoder().decode(JWK.self, from: JSONEncoder().encode(JSONValue.object(key)))
            let collection = JWTKeyCollection()
            try await collection.add(jwk: jwk, isDefault: true)
            _ = try await collection.verify(text, as: Claims.self)
        } catch {
            throw Self.refused("the DPoP proof's signature does not verify with its jwk")
        }
    }

    static func refused(_ reason: String) -> OAuthError {
        OAuthError.invalidDPoPProof(reason)
    }
}
