import Crypto
import CryptoExtras
public import Foundation

/// A private key that signs JWS compact tokens (RS256, ES256 or EdDSA/Ed25519).
public struct SigningKey: Sendable {
    enum Backing: Sendable {
        /// The swift-crypto key, and the same key in the system's OpenSSL when it is available.
        case rsa(_RSA.Signing.PrivateKey, SystemRSAKey?)
        case p256(P256.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    public let kid: String
    public let algorithm: SigningAlgorithm
    let backing: Backing

    /// Generates a new key (RSA keys are 2048-bit).
    public static func generate(_ algorithm: SigningAlgorithm, kid: String) throws -> SigningKey {
        switch algorithm {
        case .rs256: return SigningKey(kid: kid, algorithm: algorithm, backing: rsaBacking(try _RSA.Signing.PrivateKey(keySize: .bits2048)))
        case .es256: return SigningKey(kid: kid, algorithm: algorithm, backing: .p256(P256.Signing.PrivateKey()))
        case .edDSA: return SigningKey(kid: kid, algorithm: algorithm, backing: .ed25519(Curve25519.Signing.PrivateKey()))
        }
    }

    /// Restores a key from its stored record.
    public init(record: SigningKeyRecord) throws {
        guard let bytes = Data(base64Encoded: record.privateKey) else {
            throw StorageError.corrupt("signing key \(record.kid) is not valid base64")
        }
        kid = record.kid
        algorithm = record.algorithm
        switch record.algorithm {
        case .rs256: backing = Self.rsaBacking(try _RSA.Signing.PrivateKey(derRepresentation: bytes))
        case .es256: backing = .p256(try P256.Signing.PrivateKey(rawRepresentation: bytes))
        case .edDSA: backing = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: bytes))
        }
    }

    init(kid: String, algorithm: SigningAlgorithm, backing: Backing) {
        self.kid = kid
        self.algorithm = algorithm
        self.backing = backing
    }

    static func rsaBacking(_ key: _RSA.Signing.PrivateKey) -> Backing {
        .rsa(key, SystemRSAKey(der: key.derRepresentation))
    }

    /// The record to store (private key material included: storage must be protected).
    public func record(createdAt: Date) -> SigningKeyRecord {
        let bytes: Data
        switch backing {
        case .rsa(let key, _): bytes = key.derRepresentation
        case .p256(let key): bytes = key.rawRepresentation
        case .ed25519(let key): bytes = key.rawRepresentation
        }
        return SigningKeyRecord(kid: kid, algorithm: algorithm, privateKey: bytes.base64EncodedString(), createdAt: createdAt)
    }

    /// Signs the JWS signing input (`header.payload`).
    public func sign(_ input: some DataProtocol) throws -> Data {
        switch backing {
        case .rsa(_, let system?):
            return try system.sign(Data(input))
        case .rsa(let key, nil):
            return try key.signature(for: SHA256.hash(data: Data(input)), padding: .insecurePKCS1v1_5).rawRepresentation
        case .p256(let key):
            return try key.signature(for: Data(input)).rawRepresentation
        case .ed25519(let key):
            return try key.signature(for: Data(input))
        }
    }

    /// The matching public key.
    public var verificationKey: VerificationKey {
        switch backing {
        case .rsa(let key, _): return VerificationKey(kid: kid, algorithm: algorithm, backing: .rsa(key.publicKey))
        case .p256(let key): return VerificationKey(kid: kid, algorithm: algorithm, backing: .p256(key.publicKey))
        case .ed25519(let key): return VerificationKey(kid: kid, algorithm: algorithm, backing: .ed25519(key.publicKey))
        }
    }
}
