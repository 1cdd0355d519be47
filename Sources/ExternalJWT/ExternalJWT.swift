public import Foundation
public import JWTKit
public import MachineAuthCore

/// JWTs that come from outside — client assertions (RFC 7523), DPoP proofs (RFC 9449) — read
/// and verified one way, by JWTKit: the compact form split and its header and claims decoded
/// (nothing trusted yet), JWS extensions refused, then the signature checked with one chosen
/// public key for exactly one algorithm.
///
/// ```swift
/// let (header, claims) = try ExternalJWT.decode(text, maxBytes: 8192, header: Header.self, claims: Claims.self)
/// guard ExternalJWT.algorithm(alg, fits: key), await ExternalJWT.signatureVerifies(text, key: key, algorithm: alg, as: Claims.self) else { … }
/// ```
public enum ExternalJWT {
    /// Why a token could not be read; ``reason(for:)`` words it for the caller.
    public enum Malformation: Error, Sendable, Equatable {
        case tooLarge(Int), notCompact, invalidHeader, invalidClaims, extensionUsed

        /// The refusal's text, naming the token (`"the DPoP proof"`).
        public func reason(for token: String) -> String {
            switch self {
            case .tooLarge(let limit): return "\(token) is larger than \(limit) bytes"
            case .notCompact: return "\(token) is not a compact JWS"
            case .invalidHeader: return "\(token)'s header is not valid"
            case .invalidClaims: return "\(token)'s claims are not valid"
            case .extensionUsed: return "\(token) uses a JWS extension (crit, b64) this server does not support"
            }
        }
    }

    /// The JOSE header members of an assertion whose key the server already knows (a client
    /// assertion, a federated token): the algorithm, the key id, the type, and the members by
    /// which a token would name its own key, which such a token must not use.
    public struct AssertionHeader: Decodable, Sendable {
        public var alg: String
        public var kid: String?
        public var typ: String?
        var jwk: JSONValue?
        var jku: JSONValue?
        var x5u: JSONValue?
        var x5c: JSONValue?

        /// Whether the token names or carries a key itself (`jwk`, `jku`, `x5u`, `x5c`).
        public var namesOwnKey: Bool { jwk != nil || jku != nil || x5u != nil || x5c != nil }
    }

    /// The header members no external token may use: this server supports no JWS extension.
    private struct Extensions: Decodable {
        var crit: JSONValue?
        var b64: JSONValue?
    }

    /// Splits `text` (at most `maxBytes`) into its three base64url parts and decodes the header
    /// and the claims. Nothing in them is verified yet.
    public static func decode<Header: Decodable, Claims: Decodable>(
        _ text: String, maxBytes: Int, header: Header.Type, claims: Claims.Type
    ) throws(Malformation) -> (header: Header, claims: Claims) {
        guard text.utf8.count <= maxBytes else { throw .tooLarge(maxBytes) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let claimBytes = Base64URL.decode(parts[1]) else {
            throw .notCompact
        }
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(Header.self, from: headerBytes), let extensions = try? decoder.decode(Extensions.self, from: headerBytes)
        else { throw .invalidHeader }
        guard let claims = try? decoder.decode(Claims.self, from: claimBytes) else { throw .invalidClaims }
        guard extensions.crit == nil, extensions.b64 == nil else { throw .extensionUsed }
        return (header, claims)
    }

    /// Whether `algorithm` is one that `key`'s type signs with (``FieldRules/clientKeyAlgorithms``)
    /// and, if the key names an `alg`, that one.
    public static func algorithm(_ algorithm: String, fits key: [String: JSONValue]) -> Bool {
        let type = key["kty"]?.stringValue ?? ""
        return FieldRules.clientKeyAlgorithms[type]?.contains(algorithm) == true && (key["alg"].map { $0 == .string(algorithm) } ?? true)
    }

    /// Whether `text`'s signature verifies with the public `key` used for exactly `algorithm`.
    public static func signatureVerifies<Claims: JWTPayload>(_ text: String, key: [String: JSONValue], algorithm: String, as claims: Claims.Type) async -> Bool {
        var key = key
        key["alg"] = .string(algorithm)  // JWTKit then builds the verifier for exactly this algorithm
        key["kid"] = "external"  // JWTKit files keys by kid; this one is the default, whatever the token names
        do {
            let jwk = try JSONDecoder().decode(JWK.self, from: JSONEncoder().encode(JSONValue.object(key)))
            let collection = JWTKeyCollection()
            try await collection.add(jwk: jwk, isDefault: true)
            _ = try await collection.verify(text, as: Claims.self)
            return true
        } catch {
            return false
        }
    }
}
