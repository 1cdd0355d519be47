#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The machine's OpenSSL 3 `libcrypto`, loaded at run time for RSA signing.
///
/// OpenSSL 3 signs RSA-2048 about twice as fast as the BoringSSL inside swift-crypto on CPUs with
/// AVX-512 IFMA (measured here: 6,600 vs 3,750 signatures/s on 2 cores), and RS256 issuance is
/// bound by signing. It is optional: when `libcrypto.so.3` is missing or a symbol cannot be found,
/// or `MACHINEAUTH_OPENSSL=off` is set, ``SigningKey`` signs with swift-crypto (the signatures
/// are identical: RSASSA-PKCS1-v1_5 is deterministic).
///
/// ```swift
/// if let libcrypto = SystemLibcrypto.shared { print(libcrypto.version) }
/// ```
public final class SystemLibcrypto: @unchecked Sendable {
    // The function pointers and the library handle never change after loading.
    typealias DecodeKey = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, Int) -> OpaquePointer?
    typealias NewContext = @convention(c) () -> OpaquePointer?
    typealias FreePointer = @convention(c) (OpaquePointer?) -> Void
    typealias Digest = @convention(c) () -> OpaquePointer?
    typealias DigestSignInit = @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
    typealias DigestSign = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?, UnsafePointer<UInt8>?, Int) -> Int32
    typealias ClearErrors = @convention(c) () -> Void
    typealias Version = @convention(c) (Int32) -> UnsafePointer<CChar>?

    let decodePrivateKey: DecodeKey
    let newDigestContext: NewContext
    let freeDigestContext: FreePointer
    let freeKey: FreePointer
    let sha256: Digest
    let digestSignInit: DigestSignInit
    let digestSign: DigestSign
    let clearErrors: ClearErrors

    /// The library's version line, e.g. `OpenSSL 3.0.19 27 Jan 2026`.
    public let version: String

    /// The loaded library, or `nil` when it is unavailable or switched off.
    public static let shared: SystemLibcrypto? = {
        if let setting = ProcessInfo.processInfo.environment["MACHINEAUTH_OPENSSL"]?.lowercased(),
            ["off", "0", "false", "no"].contains(setting)
        {
            return nil
        }
        return SystemLibcrypto(path: "libcrypto.so.3")
    }()

    /// Which implementation signs RS256 tokens, for logs and `keys speed`.
    public static var rsaBackend: String { shared.map { "\($0.version) (system libcrypto)" } ?? "swift-crypto (BoringSSL)" }

    init?(path: String) {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else { return nil }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let pointer = dlsym(handle, name) else { return nil }
            return unsafeBitCast(pointer, to: type)
        }
        guard let decodePrivateKey = symbol("d2i_AutoPrivateKey", as: DecodeKey.self),
            let newDigestContext = symbol("EVP_MD_CTX_new", as: NewContext.self),
            let freeDigestContext = symbol("EVP_MD_CTX_free", as: FreePointer.self),
            let freeKey = symbol("EVP_PKEY_free", as: FreePointer.self),
            let sha256 = symbol("EVP_sha256", as: Digest.self),
            let digestSignInit = symbol("EVP_DigestSignInit", as: DigestSignInit.self),
            let digestSign = symbol("EVP_DigestSign", as: DigestSign.self),
            let clearErrors = symbol("ERR_clear_error", as: ClearErrors.self),
            let version = symbol("OpenSSL_version", as: Version.self)
        else {
            dlclose(handle)
            return nil
        }
        self.decodePrivateKey = decodePrivateKey
        self.newDigestContext = newDigestContext
        self.freeDigestContext = freeDigestContext
        self.freeKey = freeKey
        self.sha256 = sha256
        self.digestSignInit = digestSignInit
        self.digestSign = digestSign
        self.clearErrors = clearErrors
        self.version = version(0).map { String(cString: $0) } ?? "OpenSSL 3"
    }
}
