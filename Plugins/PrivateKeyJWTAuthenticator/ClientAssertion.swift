import ExternalJWT
import Foundation
import JWTKit
import MachineAuthCore

/// An RFC 7523 client assertion as sent: its protected header and claims, read without
/// verification so the client and its key can be found. Nothing read here is trusted until
/// ``verify(with:)`` has checked the signature.
struct ClientAssertion {
    /// `client_assertion_type` for a JWT (RFC 7523 §2.2).
    static let type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// Larger assertions are refused before any parsing.
    static let maxBytes = 8192

    /// The claims RFC 7523 §3 requires, with numeric dates as sent.
    struct Claims: JWTPayload {
        var iss: String?
        var sub: String?
        var aud: AudienceClaim?
        var exp: Double?
        var nbf: Double?
        var iat: Double?
        var jti: String?

        /// Claims are checked by ``ClientAssertionRules`` after the signature, with the server's clock.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    let text: String
    let header: ExternalJWT.AssertionHeader
    let claims: Claims

    /// Splits and decodes `text`; any malformation is `invalid_client`.
    init(_ text: String) throws(OAuthError) {
        let (header, claims): (ExternalJWT.AssertionHeader, Claims)
        do throws(ExternalJWT.Malformation) {
            (header, claims) = try ExternalJWT.decode(text, maxBytes: Self.maxBytes, header: ExternalJWT.AssertionHeader.self, claims: Claims.self)
        } catch {
            throw Self.refused(error.reason(for: "the client assertion"))
        }
        guard !header.namesOwnKey else {
            throw Self.refused("the client assertion names its own key (jwk, jku, x5u, x5c): keys come only from the client's registration")
        }
        self.text = text
        self.header = header
        self.claims = claims
    }

    /// Checks the signature with the one registered key the header selects, through JWTKit:
    /// `kid` must name a key of `registered` (it may be left out when there is exactly one), and
    /// `alg` must be one that key's type signs with (and its `alg`, if the key names one).
    func verify(with registered: [[String: JSONValue]]) async throws(OAuthError) {
        let chosen: [String: JSONValue]?
        if let kid = header.kid {
            chosen = registered.first { $0["kid"] == .string(kid) }
        } else {
            chosen = registered.count == 1 ? registered.first : nil
        }
        // Until the signature holds, every refusal reads the same: nothing about the client's keys leaks.
        guard let key = chosen, ExternalJWT.algorithm(header.alg, fits: key),
            await ExternalJWT.signatureVerifies(text, key: key, algorithm: header.alg, as: Claims.self)
        else { throw Self.unverified }
    }

    /// The one answer to an assertion whose client, key or signature does not check out.
    static let unverified = refused("client authentication failed")

    static func refused(_ reason: String) -> OAuthError {
        OAuthError.invalidClient(reason, challenge: nil)
    }
}
