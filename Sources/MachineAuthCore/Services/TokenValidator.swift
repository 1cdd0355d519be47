public import Foundation

/// Checks access tokens without touching the disk: cached public keys, the in-memory
/// denylist, and the storage's in-memory agent cache.
public struct TokenValidator: Sendable {
    let keyRing: KeyRing
    let revocations: RevocationList
    let agents: any AgentStore
    let settings: CoreSettings
    let now: @Sendable () -> Date
    let verified = VerifiedTokenCache()

    public init(keyRing: KeyRing, revocations: RevocationList, agents: any AgentStore, settings: CoreSettings, now: @escaping @Sendable () -> Date) {
        self.keyRing = keyRing
        self.revocations = revocations
        self.agents = agents
        self.settings = settings
        self.now = now
    }

    /// Validates an access token; `audience`, when given, must be one of the token's `aud`.
    public func validate(_ token: String, audience: String? = nil) async throws -> ValidatedAccessToken {
        let claims: [String: JSONValue]
        if let cached = verified.entry(token), keyRing.verificationKey(kid: cached.kid) != nil {
            claims = cached.claims
        } else {
            let parsed = try JWS.parse(token)
            let type = parsed.header["typ"]?.stringValue?.lowercased()
            guard type == "at+jwt" || type == "application/at+jwt" else {
                throw TokenRejection(.malformed, "not an access token")
            }
            try Self.checkSignature(parsed, keyRing: keyRing)
            claims = parsed.claims
            verified.store(token, .init(claims: claims, kid: parsed.header["kid"]?.stringValue ?? ""))
        }
        guard claims["iss"]?.stringValue == settings.server.issuer else {
            throw TokenRejection(.wrongIssuer, "token was issued by another issuer")
        }
        let time = now()
        let skew = TimeInterval(settings.tokens.clockSkew.seconds)
        guard let exp = claims["exp"]?.intValue, let iat = claims["iat"]?.intValue,
            let jti = claims["jti"]?.stringValue, let agentID = claims["agent_id"]?.stringValue
        else { throw TokenRejection(.malformed, "token lacks exp, iat, jti or agent_id") }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(exp))
        guard expiresAt.addingTimeInterval(skew) > time else { throw TokenRejection(.expired, "token has expired") }
        if let nbf = claims["nbf"]?.intValue, Date(timeIntervalSince1970: TimeInterval(nbf)) > time.addingTimeInterval(skew) {
            throw TokenRejection(.notYetValid, "token is not valid yet")
        }
        let tokenAudience = Self.audience(claims["aud"])
        if let audience, !tokenAudience.contains(audience) {
            throw TokenRejection(.wrongAudience, "token is not meant for \(audience)")
        }
        guard !revocations.contains(jti) else { throw TokenRejection(.revoked, "token has been revoked") }
        let issuedAt = Date(timeIntervalSince1970: TimeInterval(iat))
        let preciseIssue = TokenID.issueTime(of: jti) ?? issuedAt
        guard let agent = try await agents.agent(id: agentID), agent.acceptsToken(issuedAt: preciseIssue, at: time) else {
            throw TokenRejection(.agentInactive, "the agent is inactive, deleted, or its tokens were revoked")
        }
        let scopes = claims["scope"]?.stringValue.map { $0.split(separator: " ").map(String.init) } ?? []
        return ValidatedAccessToken(
            claims: claims, agent: agent, jti: jti, scopes: scopes, audience: tokenAudience, issuedAt: issuedAt, expiresAt: expiresAt)
    }

    /// Verifies the signature with the published key named by `kid`, whose algorithm must match `alg`.
    public static func checkSignature(_ parsed: JWS.Parsed, keyRing: KeyRing) throws {
        guard let kid = parsed.header["kid"]?.stringValue, let key = keyRing.verificationKey(kid: kid) else {
            throw TokenRejection(.unknownKey, "token is signed with an unknown key")
        }
        guard parsed.header["alg"]?.stringValue == key.algorithm.rawValue, key.verify(parsed.signature, for: parsed.signingInput) else {
            throw TokenRejection(.badSignature, "token signature is invalid")
        }
    }

    public static func audience(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let single): return [single]
        case .array(let many): return many.compactMap(\.stringValue)
        default: return []
        }
    }
}
