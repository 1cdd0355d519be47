import ExternalJWT
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
        let (header, claims): (Header, Claims)
        do throws(ExternalJWT.Malformation) {
            (header, claims) = try ExternalJWT.decode(text, maxBytes: Self.maxBytes, header: Header.self, claims: Claims.self)
        } catch {
            throw Self.refused(error.reason(for: "the DPoP proof"))
        }
        // Media types compare case-insensitively, and `application/` may be written out (RFC 7515 §4.1.9).
        guard let typ = header.typ?.lowercased(), typ == "dpop+jwt" || typ == "application/dpop+jwt" else {
            throw Self.refused("the DPoP proof's typ must be dpop+jwt")
        }
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
        guard ExternalJWT.algorithm(alg, fits: key) else {
            throw Self.refused("the DPoP proof's alg \(alg) does not match its \(key["kty"]?.stringValue ?? "") key")
        }
        self.text = text
        self.algorithm = alg
        self.key = key
        self.claims = claims
    }

    /// Checks the signature with the proof's own key, through JWTKit.
    func verify() async throws(OAuthError) {
        guard await ExternalJWT.signatureVerifies(text, key: key, algorithm: algorithm, as: Claims.self) else {
            throw Self.refused("the DPoP proof's signature does not verify with its jwk")
        }
    }

    static func refused(_ reason: String) -> OAuthError {
        OAuthError.invalidDPoPProof(reason)
    }
}
