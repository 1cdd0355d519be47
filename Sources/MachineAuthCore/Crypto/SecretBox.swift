import Crypto
public import Foundation

/// Encrypts secrets the server must be able to read back (webhook signing secrets) with
/// AES-256-GCM under a key derived from the instance's secret key. Stored form:
/// `enc:v1:<base64url(nonce ‖ ciphertext ‖ tag)>`.
public struct SecretBox: Sendable {
    private let key: SymmetricKey

    public init(masterKey: some DataProtocol) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(masterKey)), info: Data("machineauth secret box v1".utf8), outputByteCount: 32)
    }

    public func seal(_ secret: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key)
        guard let combined = box.combined else { throw StorageError.corrupt("cannot seal a secret") }
        return "enc:v1:" + Base64URL.encode(combined)
    }

    public func open(_ sealed: String) throws -> String {
        guard sealed.hasPrefix("enc:v1:"), let data = Base64URL.decode(sealed.dropFirst(7)) else {
            throw StorageError.corrupt("a sealed secret has an unknown format")
        }
        do {
            let plain = try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: key)
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw StorageError.corrupt("a sealed secret cannot be opened with this server's key (was SECRET_HASH_KEY changed?)")
        }
    }
}
