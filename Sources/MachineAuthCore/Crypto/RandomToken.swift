import Foundation

/// Server-generated credentials and identifiers from the system's secure random source.
///
/// ```swift
/// RandomToken.make(prefix: "cs_", bytes: 32)  // "cs_3q2-7w…" (256 bits)
/// ```
public enum RandomToken {
    /// `prefix` followed by `bytes` random bytes in base64url.
    public static func make(prefix: String, bytes: Int = 32) -> String {
        prefix + Base64URL.encode(randomBytes(bytes))
    }

    /// `prefix` followed by `bytes` random bytes in lower-case hex.
    public static func hex(prefix: String = "", bytes: Int) -> String {
        prefix + randomBytes(bytes).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    public static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A lower-case UUID string for record ids.
    public static func uuid() -> String {
        UUID().uuidString.lowercased()
    }
}
