import Foundation

/// Envoy's `x-forwarded-client-cert` (XFCC): elements separated by `,`, one per proxy that
/// appended one, each of `Key=Value` pairs separated by `;`; values holding `,`, `;` or `=` are
/// double-quoted, with `\"` for a quote inside (other backslashes are literal, as Envoy writes them). `Cert` is the client certificate as URL-encoded PEM.
///
/// ```swift
/// let certificate = try ForwardedClientCertificate.certificate(in: #"Hash=ab12;Cert="-----BEGIN%20CERTIFICATE-----%0A…""#)
/// ```
///
/// The last element is the one the proxy nearest to MachineAuth appended; only its `Cert` counts.
/// Anything malformed or ambiguous (an unbalanced quote, a quote in an unquoted value, a key twice
/// in one element, an empty element) is refused rather than guessed at.
public enum ForwardedClientCertificate {
    /// The largest header accepted: room for a few elements with chains.
    public static let maxBytes = 65_536
    static let maxElements = 32
    static let maxPairs = 16

    /// The certificate of the last element's `Cert`.
    /// - Throws: ``ClientCertificate/Problem`` saying what is wrong with the value.
    public static func certificate(in value: String) throws(ClientCertificate.Problem) -> ClientCertificate {
        guard value.utf8.count <= maxBytes else { throw ClientCertificate.Problem("is longer than \(maxBytes) bytes") }
        let elements = try elements(Array(value.utf8))
        guard let last = elements.last else { throw ClientCertificate.Problem("holds no XFCC element") }
        guard let cert = last["cert"] else {
            throw ClientCertificate.Problem("has no Cert in its last element (Envoy: set_current_client_cert_details with cert: true)")
        }
        return try ClientCertificate.parse(escapedPEM: cert)
    }

    /// The elements, each a map from lower-cased key to unquoted value.
    static func elements(_ bytes: [UInt8]) throws(ClientCertificate.Problem) -> [[String: String]] {
        var elements: [[String: String]] = []
        var current: [String: String] = [:]
        var index = 0
        func fail(_ message: String) -> ClientCertificate.Problem { ClientCertificate.Problem("is not a valid XFCC value: \(message)") }
        while true {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            let keyStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "=") {
                guard Self.isKeyByte(bytes[index]) else { throw fail("a key holds \(Self.describe(bytes[index])) at byte \(index + 1)") }
                index += 1
            }
            guard index < bytes.count, index > keyStart, index - keyStart <= 32 else { throw fail("expected Key=Value at byte \(keyStart + 1)") }
            let key = String(decoding: bytes[keyStart..<index], as: UTF8.self).lowercased()
            index += 1
            var value: [UInt8] = []
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "\"") { closed = true; break }
                    // Envoy escapes only quotes (\"); other backslashes are the value's own, such as
                    // those of an RFC 4514 subject (CN=Example\, Inc.). A value ending in \ is ambiguous
                    // and reads as unclosed.
                    if byte == UInt8(ascii: "\\"), index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                        value.append(bytes[index])
                        index += 1
                        continue
                    }
                    value.append(byte)
                }
                guard closed else { throw fail("a quoted value is not closed") }
            } else {
                while index < bytes.count, bytes[index] != UInt8(ascii: ";"), bytes[index] != UInt8(ascii: ",") {
                    guard bytes[index] != UInt8(ascii: "\"") else { throw fail("an unquoted value holds a quote") }
                    value.append(bytes[index])
                    index += 1
                }
            }
            guard current.updateValue(String(decoding: value, as: UTF8.self), forKey: key) == nil else {
                throw fail("the key \(key) appears twice in one element")
            }
            guard current.count <= maxPairs else { throw fail("an element has more than \(maxPairs) pairs") }
            if index == bytes.count {
                elements.append(current)
                return elements
            }
            let separator = bytes[index]
            guard separator == UInt8(ascii: ";") || separator == UInt8(ascii: ",") else { throw fail("expected ; or , after a quoted value at byte \(index + 1)") }
            index += 1
            if separator == UInt8(ascii: ",") {
                elements.append(current)
                current = [:]
                guard elements.count < maxElements else { throw fail("more than \(maxElements) elements") }
            }
            guard index < bytes.count else { throw fail("ends with a separator") }
        }
    }

    /// Envoy's keys: `By`, `Hash`, `Cert`, `Chain`, `Subject`, `URI`, `DNS`; letters, digits, `-` and `_`.
    static func isKeyByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
    }

    static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }
}
