import Foundation
import Crypto

/// The client certificate a TLS-terminating proxy accepted and passed on (RFC 8705), read from
/// nginx's `$ssl_client_escaped_cert`: one URL-escaped PEM certificate.
///
/// ```swift
/// let certificate = try ClientCertificate.parse(escapedPEM: header)
/// certificate.thumbprint  // base64url(SHA-256(DER)): the token's cnf."x5t#S256"
/// ```
public struct ClientCertificate: Sendable, Hashable {
    /// The DER encoding of the certificate.
    public let der: [UInt8]
    /// `x5t#S256`: base64url of the SHA-256 of the DER encoding (RFC 8705 §3.1).
    public let thumbprint: String

    /// The largest header accepted (escaped PEM of a certificate with a 4096-bit RSA key and
    /// several extensions is about 3 KB).
    public static let maxHeaderBytes = 16_384

    public init(der: [UInt8]) {
        self.der = der
        self.thumbprint = Base64URL.encode(SHA256.hash(data: der))
    }

    /// One certificate from a header: percent-escapes decoded, exactly one
    /// `-----BEGIN CERTIFICATE-----` block of base64, whose content is an X.509 certificate.
    /// - Throws: ``Problem`` saying what is wrong with the value.
    public static func parse(escapedPEM value: String) throws(Problem) -> ClientCertificate {
        guard value.utf8.count <= maxHeaderBytes else { throw Problem("is longer than \(maxHeaderBytes) bytes") }
        guard let pem = PercentDecoding.decode(Array(value.utf8)[...], plusIsSpace: false) else {
            throw Problem("is not URL-escaped PEM (a malformed % escape)")
        }
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        let text = pem.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix(begin), text.hasSuffix(end), text.count >= begin.count + end.count else {
            throw Problem("is not one PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)")
        }
        let body = text.dropFirst(begin.count).dropLast(end.count)
        guard !body.contains("-----") else { throw Problem("holds more than one PEM block; send only the client certificate") }
        let base64 = body.filter { !$0.isWhitespace }
        guard !base64.isEmpty, base64.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }),
            let der = Base64URL.decodeStandard(base64), !der.isEmpty
        else { throw Problem("is not valid base64 inside the PEM block") }
        guard CertificateDER.isCertificate(Array(der)) else { throw Problem("is not an X.509 certificate (DER)") }
        return ClientCertificate(der: Array(der))
    }

    /// Why a header value is not a client certificate.
    public struct Problem: Error, Sendable, Hashable {
        public let message: String
        init(_ message: String) { self.message = message }
    }
}
