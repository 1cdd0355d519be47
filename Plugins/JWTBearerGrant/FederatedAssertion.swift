import ExternalJWT
import Foundation
import JWTKit
import MachineAuthCore

/// A token from an outside issuer presented as the `assertion` of a jwt-bearer grant (RFC 7523
/// §2.1): its header and claims as sent. Nothing read here is trusted until ``verify(with:)``
/// has checked the signature with a key of the issuer the unverified `iss` names.
struct FederatedAssertion {
    /// `grant_type` of the grant (RFC 7523 §2.1).
    static let grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    /// Larger assertions are refused before any parsing (a Kubernetes token is about 1 KB).
    static let maxBytes = 16_384
    /// The algorithms an outside issuer may sign with (each fits one key type, ``FieldRules/clientKeyAlgorithms``).
    static let algorithms = FieldRules.clientAssertionAlgorithms

    /// Every claim, as sent: rules may match any of them.
    struct Claims: JWTPayload {
        var values: [String: JSONValue]

        init(from decoder: any Decoder) throws {
            values = try [String: JSONValue](from: decoder)
        }

        func encode(to encoder: any Encoder) throws {
            try values.encode(to: encoder)
        }

        /// Claims are checked by ``AssertionRules`` after the signature, with the server's clock.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    let text: String
    let header: ExternalJWT.AssertionHeader
    let claims: [String: JSONValue]

    /// Splits and decodes `text`; any malformation is `invalid_grant`.
    init(_ text: String) throws(OAuthError) {
        let (header, claims): (ExternalJWT.AssertionHeader, Claims)
        do throws(ExternalJWT.Malformation) {
            (header, claims) = try ExternalJWT.decode(text, maxBytes: Self.maxBytes, header: ExternalJWT.AssertionHeader.self, claims: Claims.self)
        } catch {
            throw OAuthError.invalidGrant(error.reason(for: "the assertion"))
        }
        guard !header.namesOwnKey else {
            throw OAuthError.invalidGrant("the assertion names its own key (jwk, jku, x5u, x5c): keys come only from the trusted issuer")
        }
        // Tokens of other purposes signed by the same issuer (access tokens, DPoP proofs, logout or
        // event tokens) are not grants: only a plain JWT is.
        if let typ = header.typ, !["jwt", "application/jwt"].contains(typ.lowercased()) {
            throw OAuthError.invalidGrant("the assertion's typ must be JWT (or absent), not \(typ.prefix(64))")
        }
        self.text = text
        self.header = header
        self.claims = claims.values
    }

    /// The unverified issuer, to find the trusted issuer and its keys.
    var issuer: String? { claims["iss"]?.stringValue }

    /// Checks the signature with the one key of `keys` the header selects (by `kid`, or the only
    /// key when the header has none) for exactly the header's `alg`, through JWTKit. Every
    /// failure is ``unverified``; `reason` says which for the log.
    func verify(with keys: [[String: JSONValue]], reason: (String) -> Void) async throws(OAuthError) {
        let chosen: [String: JSONValue]?
        if let kid = header.kid {
            chosen = keys.first { $0["kid"]?.stringValue == kid }
        } else {
            chosen = keys.count == 1 ? keys.first : nil
        }
        guard let key = chosen else {
            reason(header.kid == nil ? "the assertion names no kid and the issuer has several keys" : "the issuer has no key with the assertion's kid")
            throw Self.unverified
        }
        guard Self.algorithms.contains(header.alg), ExternalJWT.algorithm(header.alg, fits: key),
            await ExternalJWT.signatureVerifies(text, key: key, algorithm: header.alg, as: Claims.self)
        else {
            reason("the signature does not verify with the key \(key["kid"]?.stringValue ?? "") for alg \(header.alg.prefix(16))")
            throw Self.unverified
        }
    }

    /// The one answer until the signature holds (untrusted issuer, unknown key, bad signature,
    /// keys unavailable): which issuers are trusted and what keys they have is not for a caller
    /// to probe. The log says which.
    static let unverified = OAuthError.invalidGrant("the assertion is not signed by a key of a trusted issuer")
}
