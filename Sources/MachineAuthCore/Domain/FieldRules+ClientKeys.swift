import Crypto
import CryptoExtras
public import Foundation

extension FieldRules {
    /// The JWS algorithms client assertions may be signed with, by key type.
    public static let clientKeyAlgorithms: [String: Set<String>] = ["RSA": ["RS256", "PS256"], "EC": ["ES256"], "OKP": ["EdDSA"]]
    /// Every algorithm of ``clientKeyAlgorithms``, sorted (`token_endpoint_auth_signing_alg_values_supported`).
    public static let clientAssertionAlgorithms: [String] = clientKeyAlgorithms.values.flatMap { $0 }.sorted()

    /// A URL the server fetches keys or documents from (a client's `jwks_uri`, a trusted issuer):
    /// `https` (or `http` when `allowHTTP`), a host, a valid port, no user information or
    /// fragment, no whitespace or control characters, at most 2048 bytes.
    public static func isRemoteURL(_ text: String, allowHTTP: Bool) -> Bool {
        guard text.utf8.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "https" || (allowHTTP && scheme == "http"), let host = url.host, !host.isEmpty, url.user == nil, url.password == nil,
            url.fragment == nil, !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else { return false }
        return (url.port ?? 443).clamped(to: 1...65535) == (url.port ?? 443)
    }

    /// A client's `jwks_uri` (RFC 7591), checked by ``isRemoteURL(_:allowHTTP:)``.
    public static func keySetURL(_ text: String, field: String = "jwks_uri", allowHTTP: Bool) throws(ValidationError) -> String {
        guard isRemoteURL(text, allowHTTP: allowHTTP) else {
            throw ValidationError(field, "must be an https URL without user information or fragment (security.allow_insecure_issuers permits http)")
        }
        return text
    }

    /// A client's public keys (RFC 7517 JWK Set, RFC 7591 `jwks`): `{"keys": [...]}` with 1 to 10
    /// keys, each with a unique `kid` (1–128 printable characters) and of a kind the server
    /// verifies — RSA of 2048 to 8192 bits, EC P-256, OKP Ed25519 — whose members decode to a
    /// valid public key. Private members are refused (the server must never hold them), and so
    /// are `use` other than `sig`, and an `alg` the key type cannot sign. Returns the set with
    /// only the public members kept.
    public static func clientKeys(_ value: JSONValue, field: String = "jwks") throws(ValidationError) -> JSONValue {
        guard let set = value.objectValue, let keys = set["keys"]?.arrayValue else {
            throw ValidationError(field, "must be a JWK Set: {\"keys\": [...]}")
        }
        guard (1...10).contains(keys.count) else { throw ValidationError(field, "must hold 1 to 10 keys") }
        var kids = Set<String>()
        var kept: [JSONValue] = []
        for (index, key) in keys.enumerated() {
            let place = Place(field: field, index: index)
            guard let members = key.objectValue else { throw place.error("must be a JSON object (a JWK)") }
            let publicKey = try clientKey(members, place: place)
            guard let kid = members["kid"]?.stringValue else { throw place.error("needs a kid") }
            guard kids.insert(kid).inserted else { throw place.error("repeats kid \"\(kid)\"") }
            kept.append(.object(publicKey))
        }
        return .object(["keys": .array(kept)])
    }

    /// The public key a DPoP proof carries in its header (RFC 9449 §4.2): of a kind the server
    /// verifies (as ``clientKeys(_:field:)`` checks them, `kid` optional) and without private
    /// members. Returns its public members.
    public static func proofKey(_ members: [String: JSONValue]) throws(ValidationError) -> [String: JSONValue] {
        try clientKey(members, place: Place(field: "jwk", index: nil), requiresKID: false)
    }

    /// One checked key: its public members.
    private static func clientKey(
        _ members: [String: JSONValue], place: Place, requiresKID: Bool = true
    ) throws(ValidationError) -> [String: JSONValue] {
        for name in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] where members[name] != nil {
            throw place.error("holds the private member \"\(name)\": register the public key only")
        }
        var kept: [String: JSONValue] = [:]
        if requiresKID || members["kid"] != nil {
            guard let kid = members["kid"]?.stringValue, (1...128).contains(kid.utf8.count),
                kid.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
            else { throw place.error("needs a kid of 1 to 128 printable ASCII characters") }
            kept["kid"] = .string(kid)
        }
        let type = members["kty"]?.stringValue ?? ""
        guard let algorithms = clientKeyAlgorithms[type] else {
            throw place.error("kty must be RSA, EC or OKP (got \"\(type.prefix(16))\")")
        }
        if let use = members["use"], use != .string("sig") { throw place.error("use must be \"sig\"") }
        if let alg = members["alg"] {
            guard let name = alg.stringValue, algorithms.contains(name) else {
                throw place.error("alg must be one of \(algorithms.sorted().joined(separator: ", ")) for kty \(type)")
            }
        }
        kept["kty"] = .string(type)
        for name in ["alg", "use"] { kept[name] = members[name] }
        func bytes(_ name: String) throws(ValidationError) -> Data {
            guard let text = members[name]?.stringValue, let data = Base64URL.decode(text), !data.isEmpty else {
                throw place.error("needs \"\(name)\" in base64url")
            }
            kept[name] = .string(text)
            return data
        }
        switch type {
        case "RSA":
            let modulus = try bytes("n")
            let exponent = try bytes("e")
            guard modulus.count <= 1024, exponent.count <= 8,
                let key = try? _RSA.Signing.PublicKey(n: modulus, e: exponent), (2048...8192).contains(key.keySizeInBits)
            else { throw place.error("is not an RSA public key of 2048 to 8192 bits") }
        case "EC":
            guard members["crv"] == .string("P-256") else { throw place.error("crv must be P-256 for kty EC") }
            kept["crv"] = .string("P-256")
            let x = try bytes("x"), y = try bytes("y")
            guard x.count == 32, y.count == 32, (try? P256.Signing.PublicKey(rawRepresentation: x + y)) != nil else {
                throw place.error("is not a P-256 public key")
            }
        default:
            guard members["crv"] == .string("Ed25519") else { throw place.error("crv must be Ed25519 for kty OKP") }
            kept["crv"] = .string("Ed25519")
            let point = try bytes("x")
            guard point.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: point)) != nil else {
                throw place.error("is not an Ed25519 public key")
            }
        }
        return kept
    }

    /// Which key of the set a problem is in; the error names the field.
    private struct Place {
        var field: String
        var index: Int?

        func error(_ message: String) -> ValidationError {
            ValidationError(field, (index.map { "key \($0): " } ?? "") + message)
        }
    }

    /// The method an agent authenticates with, among those the configured stages offer (`valid`).
    public static func authMethod(_ value: String, valid: [String]) throws(ValidationError) -> String {
        guard valid.contains(value) else {
            throw ValidationError("token_endpoint_auth_method", "\"\(value)\" is not offered (valid: \(valid.joined(separator: ", ")))")
        }
        return value
    }
}
