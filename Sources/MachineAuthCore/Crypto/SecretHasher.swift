import Crypto
public import Foundation

/// Hashes server-generated secrets (client secrets, API keys, refresh tokens) with a keyed
/// HMAC-SHA-256 and checks them in constant time.
///
/// Such secrets carry ≥256 bits of entropy, so a fast keyed hash is safe and keeps token
/// issuance bound by signing rather than hashing. Stored form: `hmac-sha256:<base64url>`.
/// Pre-computed `sha256:<base64url>` hashes (from `machineauth hash-secret`) verify too.
public struct SecretHasher: Sendable {
    /// The storage setting that keeps a generated secret-hashing key (when `SECRET_HASH_KEY` is not set).
    public static let settingName = "secret_hash_key"

    /// HMAC state with the key already absorbed; each hash continues from a copy of it.
    private let keyed: HMAC<SHA256>

    public init(key: some DataProtocol) {
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(key)))
    }

    /// The stored form of `secret`. Deterministic, so it can serve as a lookup key.
    public func hash(_ secret: String) -> String {
        var mac = keyed
        mac.update(data: Array(secret.utf8))
        return "hmac-sha256:" + Base64URL.encode(mac.finalize())
    }

    /// Whether `secret` matches `stored`, compared in constant time.
    public func verify(_ secret: String, against stored: String) -> Bool {
        let candidate: String
        if stored.hasPrefix("hmac-sha256:") {
            candidate = hash(secret)
        } else if stored.hasPrefix("sha256:") {
            candidate = Self.unkeyedHash(secret)
        } else {
            return false
        }
        return ConstantTime.equals(Array(candidate.utf8), Array(stored.utf8))
    }

    /// The unkeyed form, for hashes computed outside the server (`machineauth hash-secret`).
    public static func unkeyedHash(_ secret: String) -> String {
        "sha256:" + Base64URL.encode(Data(SHA256.hash(data: Data(secret.utf8))))
    }
}

/// Comparisons whose time does not depend on where the inputs differ.
public enum ConstantTime {
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        // Not the lengths' low byte: lengths 256 apart would compare equal with zero padding.
        var difference: UInt8 = lhs.count == rhs.count ? 0 : 1
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }

    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
