import Crypto
public import Foundation
public import MachineAuthCore

/// A client's DPoP key (RFC 9449) that signs proofs with swift-crypto directly — never with
/// the server's own code — and knows its RFC 7638 thumbprint.
///
/// ```swift
/// let key = DPoPTestKey(.p256)
/// let proof = key.proof("POST", "http://issuer.test/oauth/token", at: clock.now)
/// ```
public struct DPoPTestKey: Sendable {
    public enum Kind: Sendable { case p256, ed25519 }

    private let p256: P256.Signing.PrivateKey?
    private let ed25519: Curve25519.Signing.PrivateKey?
    public let alg: String
    /// The public JWK a proof's header carries.
    public let publicJWK: [String: JSONValue]

    public init(_ kind: Kind = .p256) {
        switch kind {
        case .p256:
            let key = P256.Signing.PrivateKey()
            let raw = key.publicKey.rawRepresentation
            (p256, ed25519, alg) = (key, nil, "ES256")
            publicJWK = ["kty": "EC", "crv": "P-256", "x": .string(Base64URL.encode(raw.prefix(32))), "y": .string(Base64URL.encode(raw.suffix(32)))]
        case .ed25519:
            let key = Curve25519.Signing.PrivateKey()
            (p256, ed25519, alg) = (nil, key, "EdDSA")
            publicJWK = ["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(key.publicKey.rawRepresentation))]
        }
    }

    /// RFC 7638: SHA-256 of the required members in lexicographic order, base64url.
    public var thumbprint: String {
        let names = alg == "ES256" ? ["crv", "kty", "x", "y"] : ["crv", "kty", "x"]
        let canonical = "{" + names.map { "\"\($0)\":\"\(publicJWK[$0]?.stringValue ?? "")\"" }.joined(separator: ",") + "}"
        return Base64URL.encode(SHA256.hash(data: Data(canonical.utf8)))
    }

    /// A proof for `method` `url` issued at `time`; `accessToken` adds its `ath`.
    public func proof(
        _ method: String, _ url: String, at time: Date, accessToken: String? = nil, nonce: String? = nil, jti: String = UUID().uuidString
    ) -> String {
        sign(claims: claims(method, url, at: time, accessToken: accessToken, nonce: nonce, jti: jti))
    }

    public func claims(
        _ method: String, _ url: String, at time: Date, accessToken: String? = nil, nonce: String? = nil, jti: String = UUID().uuidString
    ) -> [String: JSONValue] {
        var claims: [String: JSONValue] = ["jti": .string(jti), "htm": .string(method), "htu": .string(url), "iat": .int(Int(time.timeIntervalSince1970))]
        if let accessToken { claims["ath"] = .string(Base64URL.encode(SHA256.hash(data: Data(accessToken.utf8)))) }
        if let nonce { claims["nonce"] = .string(nonce) }
        return claims
    }

    /// Signs `claims` under the usual header with `header` merged over it.
    public func sign(claims: [String: JSONValue], header: [String: JSONValue] = [:]) -> String {
        let base: [String: JSONValue] = ["typ": "dpop+jwt", "alg": .string(alg), "jwk": .object(publicJWK)]
        return signJWS(claims: claims, protected: base.merging(header) { $1 })
    }

    /// Signs `claims` as a plain JWT naming the key by `kid` (no embedded key): a token of an
    /// outside issuer whose JWK Set holds ``publicJWK``.
    public func signJWT(claims: [String: JSONValue], kid: String) -> String {
        signJWS(claims: claims, protected: ["typ": "JWT", "alg": .string(alg), "kid": .string(kid)])
    }

    private func signJWS(claims: [String: JSONValue], protected: [String: JSONValue]) -> String {
        let input = Base64URL.encode(Data(JSONValue.object(protected).jsonText.utf8)) + "." + Base64URL.encode(Data(JSONValue.object(claims).jsonText.utf8))
        let signature: Data
        if let p256 {
            signature = (try? p256.signature(for: Data(input.utf8)).rawRepresentation) ?? Data()
        } else {
            signature = (try? ed25519!.signature(for: Data(input.utf8))) ?? Data()
        }
        return input + "." + Base64URL.encode(signature)
    }
}
