import Foundation
import Synchronization

/// Where the agent's secret comes from: a fixed value, or a function read at every token request
/// (a file a deployment rewrites, a secrets manager), so a secret rotated elsewhere is picked up
/// on the next re-authentication without rebuilding the client.
struct SecretSource: Sendable {
    let current: @Sendable () async throws -> String
}

/// The credentials a client sends: the agent's client id and secret source, and an admin bearer
/// (a session token or an organization API key). A self-rotation replaces the secret.
final class CredentialStore: Sendable {
    let clientID: String?
    let adminToken: String?
    /// The platform token the agent's tokens are exchanged for (workload identity federation).
    let workload: WorkloadIdentity?
    private let secret: Mutex<SecretSource?>

    init(clientID: String?, secret: SecretSource?, adminToken: String?, workload: WorkloadIdentity? = nil) {
        self.clientID = clientID
        self.secret = Mutex(secret)
        self.adminToken = adminToken
        self.workload = workload
    }

    var hasClientCredentials: Bool { clientID != nil }

    /// Uses `secret` from now on (the agent rotated its own secret).
    func replaceSecret(_ secret: String) {
        self.secret.withLock { $0 = SecretSource { secret } }
    }

    /// The secret to authenticate with now.
    func currentSecret() async throws -> String {
        guard let source = secret.withLock({ $0 }) else {
            throw MachineAuthError.configuration("this call needs the agent's client id and secret")
        }
        return try await source.current()
    }

    /// `Authorization: Basic …` for `client_secret_basic`: both parts form-urlencoded before
    /// base64, as RFC 6749 §2.3.1 requires.
    func basicAuthorization() async throws -> String {
        guard let clientID else {
            if workload != nil {
                throw MachineAuthError.configuration(
                    "this call needs client credentials; a workload exchanging a platform token has none (use an admin token)")
            }
            throw MachineAuthError.configuration("this call needs the agent's client id and secret")
        }
        let pair = FormEncoding.encode(clientID) + ":" + FormEncoding.encode(try await currentSecret())
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }

    /// `Authorization: Bearer …` with the admin token.
    func adminAuthorization() throws -> String {
        guard let adminToken else {
            throw MachineAuthError.configuration("this call needs an administrator session token or an organization API key (adminToken)")
        }
        return "Bearer " + adminToken
    }
}

/// `application/x-www-form-urlencoded` as the WHATWG URL standard writes it.
enum FormEncoding {
    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._".utf8)

    static func encode(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            if unreserved.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == UInt8(ascii: " ") {
                result += "+"
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    static func encode(_ form: [(String, String)]) -> String {
        form.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
