import Crypto
import CryptoExtras
import Foundation
import X509

extension FieldRules {
    /// The JWK Set of a `self_signed_tls_client_auth` agent (RFC 8705 §2.2.2): each key is
    /// checked as ``clientKeys(_:field:)`` checks them and carries its certificate in `x5c`
    /// (standard base64 DER, the first entry the key's own certificate, at most 5 entries),
    /// whose public key is the key's (RFC 7517 §4.7). Returns the keys with `x5c` kept.
    public static func certificateKeys(_ value: JSONValue, field: String = "jwks") throws(ValidationError) -> JSONValue {
        let checked = try clientKeys(value, field: field)
        let originals = value.objectValue?["keys"]?.arrayValue ?? []
        var kept: [JSONValue] = []
        for (index, (key, original)) in zip(checked.objectValue?["keys"]?.arrayValue ?? [], originals).enumerated() {
            guard var members = key.objectValue else { continue }
            let chain = try certificateChain(original.objectValue?["x5c"], field: field, index: index)
            guard let publicKey = publicKey(of: members), publicKey == chain.first?.publicKey else {
                throw ValidationError(field, "key \(index): x5c[0] is a certificate for another key than this JWK's")
            }
            members["x5c"] = original.objectValue?["x5c"]
            kept.append(.object(members))
        }
        return .object(["keys": .array(kept)])
    }

    /// The DER of the first certificate of a key's `x5c`, if it has one that decodes.
    public static func firstCertificate(of key: JSONValue) -> [UInt8]? {
        guard let text = key.objectValue?["x5c"]?.arrayValue?.first?.stringValue, let der = Base64URL.decodeStandard(text) else { return nil }
        return Array(der)
    }

    private static func certificateChain(_ value: JSONValue?, field: String, index: Int) throws(ValidationError) -> [Certificate] {
        guard let entries = value?.arrayValue, (1...5).contains(entries.count) else {
            throw ValidationError(field, "key \(index): needs x5c, 1 to 5 base64 DER certificates (self_signed_tls_client_auth matches the client's certificate against x5c[0])")
        }
        var chain: [Certificate] = []
        for (position, entry) in entries.enumerated() {
            guard let text = entry.stringValue, text.utf8.count <= ClientCertificate.maxHeaderBytes,
                let der = Base64URL.decodeStandard(text), CertificateDER.isCertificate(Array(der)),
                let certificate = ClientCertificate(der: Array(der)).x509
            else { throw ValidationError(field, "key \(index): x5c[\(position)] is not a base64 DER X.509 certificate") }
            chain.append(certificate)
        }
        return chain
    }

    /// A checked JWK's public key as a certificate holds it.
    private static func publicKey(of members: [String: JSONValue]) -> Certificate.PublicKey? {
        func bytes(_ name: String) -> Data? { members[name]?.stringValue.flatMap { Base64URL.decode($0) } }
        switch members["kty"]?.stringValue {
        case "RSA":
            guard let n = bytes("n"), let e = bytes("e"), let key = try? _RSA.Signing.PublicKey(n: n, e: e) else { return nil }
            return Certificate.PublicKey(key)
        case "EC":
            guard let x = bytes("x"), let y = bytes("y"), let key = try? P256.Signing.PublicKey(rawRepresentation: x + y) else { return nil }
            return Certificate.PublicKey(key)
        case "OKP":
            guard let x = bytes("x"), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: x) else { return nil }
            return Certificate.PublicKey(key)
        default:
            return nil
        }
    }
}
