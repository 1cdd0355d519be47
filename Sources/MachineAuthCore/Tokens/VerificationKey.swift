import Crypto
import CryptoExtras
public import Foundation

/// A public key that verifies JWS signatures and is published in the JWKS.
public struct VerificationKey: Sendable {
    enum Backing: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    public let kid: String
    public let algorithm: SigningAlgorithm
    let backing: Backing

    /// Whether `signature` is this key's signature of `input` (the algorithm is fixed by the key).
    public func verify(_ signature: Data, for input: some DataProtocol) -> Bool {
        switch backing {
        case .rsa(let key):
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: Data(input)),
                padding: .insecurePKCS1v1_5)
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: Data(input))
        case .ed25519(let key):
            return key.isValidSignature(signature, for: Data(input))
        }
    }

    /// The JSON Web Key (RFC 7517) for the JWKS document.
    public var jwk: [String: JSONValue] {
        var jwk: [String: JSONValue] = ["kid": .string(kid), "alg": .string(algorithm.rawValue), "use": "sig"]
        switch backing {
        case .rsa(let key):
            if let primitives = try? key.getKeyPrimitives() {
                jwk["kty"] = "RSA"
                jwk["n"] = .string(Base64URL.encode(primitives.modulus))
                jwk["e"] = .string(Base64URL.encode(primitives.publicExponent))
            }
        case .p256(let key):
            let raw = key.rawRepresentation
            jwk["kty"] = "EC"
            jwk["crv"] = "P-256"
            jwk["x"] = .string(Base64URL.encode(raw.prefix(32)))
            jwk["y"] = .string(Base64URL.encode(raw.suffix(32)))
        case .ed25519(let key):
            jwk["kty"] = "OKP"
            jwk["crv"] = "Ed25519"
            jwk["x"] = .string(Base64URL.encode(key.rawRepresentation))
        }
        return jwk
    }
}
