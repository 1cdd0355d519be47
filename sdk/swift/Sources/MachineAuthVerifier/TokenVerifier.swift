public import AsyncHTTPClient
import Foundation
import JWTKit
public import MachineAuthClient

/// Verifies MachineAuth access tokens locally against the issuer's JWKS, with jwt-kit.
///
/// ```swift
/// let verifier = TokenVerifier(issuer: "https://auth.example.com", audiences: ["https://api.example.com"])
/// let claims = try await verifier.verify(bearer, scopes: ["orders:read"])
/// ```
///
/// Checked, in this order: the header (`alg` RS256, ES256 or EdDSA — no `none`, no HMAC; a
/// `kid`; `typ` `at+jwt`, so admin session tokens are refused; no `crit`), the key (`kid` in the JWKS, of
/// the token's algorithm), the signature, `exp`/`nbf`/`iat` within `leeway`, `iss`, `aud` (any
/// of the accepted audiences), then the scopes. Every refusal is a `TokenVerificationError`; a
/// JWKS that could never be fetched is `MachineAuthError` `jwks_unavailable`, the server's fault.
///
/// Local verification cannot see revocations: `verify(_:introspect: true)` also asks the
/// server, through the `introspector` (see `MachineAuthClient.verifier()`).
public struct TokenVerifier: Sendable {
    /// The `iss` tokens must carry.
    public let issuer: String
    /// The audiences accepted when `verify` names none (default: the issuer).
    public let audiences: [String]
    /// Clock skew tolerated on `exp`, `nbf` and `iat`.
    public let leeway: Duration
    private let jwks: JWKSCache
    private let introspector: (@Sendable (String) async throws -> Introspection)?

    /// - Parameters:
    ///   - issuer: MachineAuth's `ISSUER`.
    ///   - audiences: The resource server's identifiers; default the issuer.
    ///   - jwksURL: Where the keys are; default `{issuer}/.well-known/jwks.json`.
    ///   - leeway: Clock skew tolerated on the token's times.
    ///   - cacheTTL: The longest a fetched key set is used without asking again (the server's
    ///     `max-age` when shorter).
    ///   - minimumRefetchInterval: No two JWKS fetches closer than this (unknown `kid`s included).
    ///   - introspector: Asks the server whether a token is active, for `introspect: true`.
    public init(
        issuer: String, audiences: [String] = [], jwksURL: String? = nil, leeway: Duration = .seconds(5),
        cacheTTL: Duration = .seconds(300), minimumRefetchInterval: Duration = .seconds(10), httpClient: HTTPClient = .shared,
        introspector: (@Sendable (String) async throws -> Introspection)? = nil
    ) {
        self.issuer = issuer
        self.audiences = audiences.isEmpty ? [issuer] : audiences
        self.leeway = leeway
        var base = issuer
        while base.hasSuffix("/") { base.removeLast() }
        self.jwks = JWKSCache(
            url: jwksURL ?? base + "/.well-known/jwks.json", httpClient: httpClient, ttl: cacheTTL,
            minimumInterval: minimumRefetchInterval)
        self.introspector = introspector
    }

    /// The token's claims once header, signature, times, issuer, audience and scopes check out.
    ///
    /// - Parameters:
    ///   - audiences: Accepted audiences for this call; default the verifier's.
    ///   - scopes: Scopes the token must grant (else `insufficient_scope`).
    ///   - introspect: Also ask the server that the token is still active (not revoked, its
    ///     agent not deactivated); needs an `introspector`.
    public func verify(_ token: String, audiences: [String]? = nil, scopes: [String] = [], introspect: Bool = false) async throws -> VerifiedToken {
        let header = try Self.header(of: token)
        guard let (keyAlgorithm, collection) = try await jwks.keys(for: header.kid) else {
            throw TokenVerificationError.invalid("the token is signed with an unknown key (\(header.kid))")
        }
        guard keyAlgorithm == header.algorithm else {
            throw TokenVerificationError.invalid(
                "key \(header.kid) is for \(keyAlgorithm.rawValue), the token says \(header.algorithm.rawValue)")
        }
        let payload: ClaimSet
        do {
            payload = try await collection.verify(token, as: ClaimSet.self)
        } catch let error as JWTError
            where error.errorType == .signatureVerificationFailed || error.errorType == .signingAlgorithmFailure
        {
            throw TokenVerificationError.invalid("the token's signature is invalid")
        } catch {
            throw TokenVerificationError.invalid("the token could not be verified: \(error)")
        }
        let verified = try check(payload.claims, audiences: audiences.flatMap { $0.isEmpty ? nil : $0 } ?? self.audiences)
        try Self.checkScopes(verified, scopes)
        if introspect {
            guard let introspector else {
                throw MachineAuthError.configuration("introspect: true needs a verifier with an introspector (MachineAuthClient.verifier())")
            }
            guard try await introspector(token).active else {
                throw TokenVerificationError.invalid("the token is not active (revoked, or its agent is no longer active)")
            }
        }
        return verified
    }

    /// How many times the JWKS was requested so far (fresh or revalidated).
    public var jwksFetches: Int {
        get async { await jwks.fetches }
    }

    /// `insufficient_scope` naming `scopes` when the token lacks one of them.
    public static func checkScopes(_ token: VerifiedToken, _ scopes: [String]) throws {
        guard !token.hasScopes(scopes) else { return }
        let missing = scopes.filter { !token.scopes.contains($0) }
        throw TokenVerificationError(
            .insufficientScope, "the token lacks the scope \(missing.joined(separator: " "))", requiredScopes: scopes)
    }

    // MARK: Checks

    struct Header {
        let algorithm: SigningAlgorithm
        let kid: String
    }

    /// The header fields that pick the key, refusing what MachineAuth never issues.
    static func header(of token: String) throws -> Header {
        let header: JWTHeader
        do {
            header = try DefaultJWTParser().parse([UInt8](token.utf8), as: ClaimSet.self).header
        } catch {
            throw TokenVerificationError.invalid("the token is not a JWT")
        }
        guard let name = header.alg, let algorithm = SigningAlgorithm(rawValue: name) else {
            throw TokenVerificationError.invalid("the token's algorithm \(header.alg.map { "\"\($0)\"" } ?? "(none)") is not accepted")
        }
        guard let kid = header.kid, !kid.isEmpty else {
            throw TokenVerificationError.invalid("the token names no signing key (kid)")
        }
        guard let type = header.typ, accessTokenTypes.contains(type.lowercased()) else {
            throw TokenVerificationError.invalid("the token is not an access token (typ \(header.typ ?? "missing"))")
        }
        guard header.fields["crit"] == nil else {  // RFC 7515 §4.1.11: extensions it does not know make a token invalid
            throw TokenVerificationError.invalid("the token names critical header extensions, which MachineAuth never issues")
        }
        return Header(algorithm: algorithm, kid: kid)
    }

    private func check(_ claims: [String: JSONValue], audiences: [String]) throws -> VerifiedToken {
        for name in ["exp", "iat", "iss", "sub", "aud"] where claims[name] == nil {
            throw TokenVerificationError.invalid("the token lacks the \(name) claim")
        }
        func time(_ name: String) throws -> Double {
            guard let value = claims[name]?.doubleValue else { throw TokenVerificationError.invalid("the token's \(name) is not a number") }
            return value
        }
        let now = Date().timeIntervalSince1970
        let skew = Double(leeway.components.seconds) + Double(leeway.components.attoseconds) / 1e18
        let expires = try time("exp"), issued = try time("iat")
        guard expires > now - skew else { throw TokenVerificationError.invalid("the token has expired") }
        if claims["nbf"] != nil, try time("nbf") > now + skew { throw TokenVerificationError.invalid("the token is not valid yet") }
        guard issued <= now + skew else { throw TokenVerificationError.invalid("the token is not valid yet") }
        guard claims["iss"]?.stringValue == issuer else { throw TokenVerificationError.invalid("the token is from another issuer") }
        guard !Set(claims["aud"]?.stringList ?? []).isDisjoint(with: audiences) else {
            throw TokenVerificationError.invalid("the token is not meant for this audience")
        }
        return VerifiedToken(
            claims: claims, expiresAt: Date(timeIntervalSince1970: expires), issuedAt: Date(timeIntervalSince1970: issued))
    }
}

/// A token's claims as jwt-kit hands them over; checked by `TokenVerifier` after the signature.
struct ClaimSet: JWTPayload {
    let claims: [String: JSONValue]

    init(from decoder: any Decoder) throws {
        claims = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(claims)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension MachineAuthClient {
    /// A `TokenVerifier` for this server's tokens, from its metadata (issuer and JWKS URL), whose
    /// `introspect: true` asks this client's `introspect`. Make the client with an admin token
    /// (an organization API key) to see other agents' tokens: an agent's own credentials
    /// introspect only its own.
    public func verifier(
        audiences: [String] = [], leeway: Duration = .seconds(5), cacheTTL: Duration = .seconds(300),
        minimumRefetchInterval: Duration = .seconds(10), httpClient: HTTPClient = .shared
    ) async throws -> TokenVerifier {
        let metadata = try await metadata()
        return TokenVerifier(
            issuer: metadata.issuer, audiences: audiences, jwksURL: metadata.jwksURI, leeway: leeway, cacheTTL: cacheTTL,
            minimumRefetchInterval: minimumRefetchInterval, httpClient: httpClient,
            introspector: { token in try await self.introspect(token) })
    }
}
