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
        let digits = Array("0123456789abcdef".utf8)
        var output = [UInt8]()
        output.reserveCapacity(bytes * 2)
        for byte in randomBytes(bytes) {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return prefix + String(decoding: output, as: UTF8.self)
    }

    /// Cryptographically secure random bytes, drawn eight at a time.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }

    /// A lower-case UUID string for record ids.
    public static func uuid() -> String {
        UUID().uuidString.lowercased()
    }
}
