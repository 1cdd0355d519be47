public import Foundation

/// A stored refresh token: only its hash is kept. Tokens of one grant share a `familyID`,
/// so re-use of a rotated token can revoke the whole family (RFC 9700 §4.14).
public struct RefreshTokenRecord: Sendable, Hashable, Codable {
    public var hash: String
    public var familyID: String
    public var agentID: String
    public var clientID: String
    public var scopes: [String]
    public var audience: [String]
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?
    public var revokedAt: Date?

    public init(
        hash: String, familyID: String, agentID: String, clientID: String, scopes: [String], audience: [String],
        createdAt: Date, expiresAt: Date, usedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.hash = hash
        self.familyID = familyID
        self.agentID = agentID
        self.clientID = clientID
        self.scopes = scopes
        self.audience = audience
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.revokedAt = revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case hash, scopes, audience
        case familyID = "family_id", agentID = "agent_id", clientID = "client_id"
        case createdAt = "created_at", expiresAt = "expires_at", usedAt = "used_at", revokedAt = "revoked_at"
    }
}

/// What happened when a refresh token was presented.
public enum RefreshTokenUse: Sendable, Hashable {
    /// Unused until now; it is now marked used.
    case fresh(RefreshTokenRecord)
    /// Already used or revoked: a replay.
    case replayed(RefreshTokenRecord)
    case unknown
}

/// An access token on the denylist until it would have expired anyway.
public struct RevokedAccessToken: Sendable, Hashable, Codable {
    public var jti: String
    public var expiresAt: Date
    public var agentID: String?

    public init(jti: String, expiresAt: Date, agentID: String? = nil) {
        self.jti = jti
        self.expiresAt = expiresAt
        self.agentID = agentID
    }

    enum CodingKeys: String, CodingKey {
        case jti, expiresAt = "expires_at", agentID = "agent_id"
    }
}

/// A signing key of the key ring. The active key signs; retired keys are published in the
/// JWKS until `publishUntil` so tokens they signed still verify.
public struct SigningKeyRecord: Sendable, Hashable, Codable {
    public var kid: String
    public var algorithm: SigningAlgorithm
    /// The private key: PKCS#8 DER (RSA) or raw bytes (P-256, Ed25519), base64.
    public var privateKey: String
    public var createdAt: Date
    public var retiredAt: Date?
    public var publishUntil: Date?

    public init(kid: String, algorithm: SigningAlgorithm, privateKey: String, createdAt: Date, retiredAt: Date? = nil, publishUntil: Date? = nil) {
        self.kid = kid
        self.algorithm = algorithm
        self.privateKey = privateKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
        self.publishUntil = publishUntil
    }

    enum CodingKeys: String, CodingKey {
        case kid, algorithm
        case privateKey = "private_key", createdAt = "created_at", retiredAt = "retired_at", publishUntil = "publish_until"
    }

    public var isActive: Bool { retiredAt == nil }
}

/// The JWS algorithms MachineAuth signs with.
public enum SigningAlgorithm: String, Sendable, Codable, ConfigChoice {
    case rs256 = "RS256"
    case es256 = "ES256"
    case edDSA = "EdDSA"
}
