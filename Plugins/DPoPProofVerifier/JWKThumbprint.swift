import Crypto
import Foundation
import MachineAuthCore

/// RFC 7638 JWK thumbprints: SHA-256 over the key's required members in lexicographic order,
/// with no whitespace, base64url — the `jkt` a DPoP-bound token's `cnf` names (RFC 9449 §6.1).
enum JWKThumbprint {
    /// The thumbprint of a key checked by ``FieldRules/proofKey(_:)`` (EC, OKP or RSA), or `nil`
    /// for any other shape.
    static func sha256(_ key: [String: JSONValue]) -> String? {
        let names: [String]
        switch key["kty"]?.stringValue {
        case "EC": names = ["crv", "kty", "x", "y"]
        case "OKP": names = ["crv", "kty", "x"]
        case "RSA": names = ["e", "kty", "n"]
        default: return nil
        }
        var members: [String] = []
        for name in names {
            // The checked members are base64url or fixed names: nothing to escape.
            guard let value = key[name]?.stringValue, value.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x22 && $0 != 0x5C && $0 < 0x7F }) else {
                return nil
            }
            members.append("\"\(name)\":\"\(value)\"")
        }
        let canonical = "{" + members.joined(separator: ",") + "}"
        return Base64URL.encode(Data(SHA256.hash(data: Data(canonical.utf8))))
    }
}
