import Crypto
import Foundation

/// Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-id`,
/// `webhook-timestamp`, and `webhook-signature: v1,<base64 HMAC-SHA256>` over `id.timestamp.body`
/// with the key from a `whsec_…` secret.
enum StandardWebhooks {
    static func signature(secret: String, id: String, timestamp: Int, body: String) -> String {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        let key = SymmetricKey(data: Data(base64Encoded: encoded) ?? Data(encoded.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: key)
        return "v1," + Data(mac).base64EncodedString()
    }
}
