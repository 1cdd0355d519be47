import Crypto
import CryptoExtras
import Foundation
import Synchronization

/// Hashes human-chosen passwords slowly (PBKDF2-HMAC-SHA-256), unlike server-generated secrets.
///
/// Stored form: `pbkdf2-sha256$<rounds>$<salt base64url>$<hash base64url>`.
public enum PasswordHasher {
    public static let rounds = 210_000

    public static func hash(_ password: String, rounds: Int = rounds) throws -> String {
        let salt = RandomToken.randomBytes(16)
        let derived = try derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Base64URL.encode(salt))$\(Base64URL.encode(derived))"
    }

    private static let memo = Mutex<[String: String]>([:])

    /// A hash of `password`, computed once per process and password: for passwords the server
    /// holds itself (the owner's from the configuration), whose hash is never stored.
    static func memoizedHash(_ password: String) -> String {
        let key = SHA256.hash(data: Data(password.utf8)).map { String(format: "%02x", $0) }.joined()
        if let known = memo.withLock({ $0[key] }) { return known }
        let made = (try? hash(password)) ?? ""
        memo.withLock { $0[key] = made }
        return made
    }

    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = try? WholeNumber.parse(parts[1], in: 1...10_000_000),
            let salt = Base64URL.decode(parts[2]), let expected = Base64URL.decode(parts[3]),
            let derived = try? derive(password, salt: Array(salt), rounds: rounds)
        else { return false }
        return ConstantTime.equals(derived, Array(expected))
    }

    private static func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}
