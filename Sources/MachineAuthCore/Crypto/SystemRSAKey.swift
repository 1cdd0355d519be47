import Foundation

/// An RSA private key held by the system's OpenSSL, signing RSASSA-PKCS1-v1_5 with SHA-256 (RS256).
///
/// ```swift
/// if let key = SystemRSAKey(der: rsaKey.derRepresentation) { let signature = try key.sign(input) }
/// ```
final class SystemRSAKey: @unchecked Sendable {
    // The EVP_PKEY is never modified after decoding; OpenSSL 3 allows concurrent signing with it,
    // each call using its own digest context.
    private let libcrypto: SystemLibcrypto
    private let key: OpaquePointer

    /// Decodes a DER private key (PKCS#1 or PKCS#8); `nil` when OpenSSL is unavailable or rejects it.
    init?(der: Data, libcrypto: SystemLibcrypto? = .shared) {
        guard let libcrypto else { return nil }
        let decoded: OpaquePointer? = der.withUnsafeBytes { buffer in
            var cursor = buffer.bindMemory(to: UInt8.self).baseAddress.map { UnsafePointer($0) }
            return libcrypto.decodePrivateKey(nil, &cursor, buffer.count)
        }
        guard let decoded else {
            libcrypto.clearErrors()
            return nil
        }
        self.libcrypto = libcrypto
        self.key = decoded
    }

    deinit { libcrypto.freeKey(key) }

    /// Signs `input` (hashing it with SHA-256) and returns the 256-byte signature.
    func sign(_ input: Data) throws -> Data {
        guard let context = libcrypto.newDigestContext() else { throw SystemCryptoError.failed("EVP_MD_CTX_new") }
        defer { libcrypto.freeDigestContext(context) }
        guard libcrypto.digestSignInit(context, nil, libcrypto.sha256(), nil, key) == 1 else {
            libcrypto.clearErrors()
            throw SystemCryptoError.failed("EVP_DigestSignInit")
        }
        var signature = Data(count: 512)
        var length = signature.count
        let status = signature.withUnsafeMutableBytes { output in
            input.withUnsafeBytes { message in
                libcrypto.digestSign(
                    context, output.bindMemory(to: UInt8.self).baseAddress, &length,
                    message.bindMemory(to: UInt8.self).baseAddress, message.count)
            }
        }
        guard status == 1 else {
            libcrypto.clearErrors()
            throw SystemCryptoError.failed("EVP_DigestSign")
        }
        signature.count = length
        return signature
    }
}

/// A call into the system's OpenSSL failed.
struct SystemCryptoError: Error, CustomStringConvertible {
    var description: String

    static func failed(_ function: String) -> SystemCryptoError { SystemCryptoError(description: "OpenSSL \(function) failed") }
}
