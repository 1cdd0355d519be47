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
        var output = [UInt8]()
        output.reserveCapacity(bytes * 2)
        for byte in randomBytes(bytes) { appendHex(byte, to: &output) }
        return prefix + String(decoding: output, as: UTF8.self)
    }

    /// Cryptographically secure random bytes (see ``RandomPool``).
    public static func randomBytes(_ count: Int) -> [UInt8] {
        RandomPool.shared.take(count)
    }

    /// A lower-case random (version 4) UUID string for record ids.
    public static func uuid() -> String {
        var bytes = randomBytes(16)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        var output = [UInt8]()
        output.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { output.append(UInt8(ascii: "-")) }
            appendHex(byte, to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0F)])
    }
}
