public import Foundation

/// JWS compact serialization (RFC 7515) for MachineAuth's access tokens.
///
/// ```swift
/// let token = try JWS.sign(header: ["typ": "at+jwt"], claims: claims, with: key)
/// let parsed = try JWS.parse(token)
/// ```
public enum JWS {
    /// Signs `claims`; `alg` and `kid` come from the key and override any in `header`.
    public static func sign(header: [String: JSONValue], claims: [String: JSONValue], with key: SigningKey) throws -> String {
        var header = header
        header["alg"] = .string(key.algorithm.rawValue)
        header["kid"] = .string(key.kid)
        let input = Base64URL.encode(JSONValue.object(header).jsonBytes) + "." + Base64URL.encode(JSONValue.object(claims).jsonBytes)
        let signature = try key.sign(Data(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }

    /// A token split into its parts; the signature is *not* yet checked.
    public struct Parsed: Sendable {
        public var header: [String: JSONValue]
        public var claims: [String: JSONValue]
        public var signingInput: Data
        public var signature: Data
    }

    /// Splits and decodes a compact JWS; throws for anything malformed.
    public static func parse(_ token: String) throws(TokenRejection) -> Parsed {
        guard token.utf8.count <= 16_384 else { throw .malformed("token is too long") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("not a JWT (expected three dot-separated parts)") }
        guard let headerBytes = Base64URL.decode(parts[0]), let claimBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2])
        else { throw .malformed("JWT parts are not base64url") }
        guard let header = (try? JSONValue.parse(headerBytes))?.objectValue,
            let claims = (try? JSONValue.parse(claimBytes))?.objectValue
        else { throw .malformed("JWT header or claims are not JSON objects") }
        let input = Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        return Parsed(header: header, claims: claims, signingInput: input, signature: signature)
    }
}

/// Why a presented token is not accepted. The message is safe to show to the caller.
public struct TokenRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case malformed, badSignature, expired, notYetValid, wrongIssuer, wrongAudience, revoked, agentInactive, unknownKey
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public static func malformed(_ message: String) -> TokenRejection { TokenRejection(.malformed, message) }

    public var description: String { message }
}
