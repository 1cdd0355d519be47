import Foundation

/// Admin sign-in: checks the configured owner credentials (rate limited) and issues
/// short-lived admin tokens signed by the key ring with `typ: admin+jwt`, which can never be
/// mistaken for an agent's access token (`at+jwt`) or the other way round.
public struct AdminSessions: Sendable {
    let keyRing: KeyRing
    let revocations: RevocationList
    let settings: CoreSettings
    let limiter: FailureLimiter
    let now: @Sendable () -> Date

    public static let tokenType = "admin+jwt"
    static let audience = "machineauth-admin"

    public init(keyRing: KeyRing, revocations: RevocationList, settings: CoreSettings, now: @escaping @Sendable () -> Date) {
        self.keyRing = keyRing
        self.revocations = revocations
        self.settings = settings
        self.limiter = FailureLimiter(limit: settings.admin.maxFailedLogins, window: TimeInterval(settings.admin.loginWindow.seconds))
        self.now = now
    }

    /// The user id of the configured instance owner.
    public static let ownerID = "owner"

    /// Checks the credentials — the configured owner, else an administrator account from
    /// `users` — and throws ``AdminLoginError`` when refused or rate limited.
    public func login(email: String, password: String, from address: String?, users: any TenantStore) async throws -> AdminSession {
        let time = now()
        let keys = ["address:\(address ?? "-")", "email:\(email.lowercased())"]
        if let wait = keys.compactMap({ limiter.retryAfter($0, at: time) }).max() {
            throw AdminLoginError.rateLimited(retryAfter: wait)
        }
        let emailMatches = ConstantTime.equals(email.lowercased(), settings.admin.email.lowercased())
        let passwordMatches = ConstantTime.equals(password, settings.admin.password)
        if emailMatches && passwordMatches {
            return try issue(email: settings.admin.email, role: AdminRole.owner.rawValue, userID: Self.ownerID)
        }
        if !emailMatches, let user = try await users.user(email: email), PasswordHasher.verify(password, against: user.passwordHash) {
            return try issue(email: user.email, role: user.role.rawValue, userID: user.id, organizationID: user.organizationIDs.first)
        }
        for key in keys { limiter.recordFailure(key, at: time) }
        throw AdminLoginError.invalidCredentials
    }

    /// Signs a session token for an administrator; `organizationID` is the organization they work in.
    public func issue(email: String, role: String, userID: String, organizationID: String? = nil) throws -> AdminSession {
        let issued = Int(now().timeIntervalSince1970)
        let expires = issued + settings.admin.sessionTTL.seconds
        let jti = TokenID.make(at: now())
        var claims: [String: JSONValue] = [
            "iss": .string(settings.server.issuer), "aud": .string(Self.audience), "sub": .string(email),
            "role": .string(role), "uid": .string(userID), "iat": .int(issued), "exp": .int(expires), "jti": .string(jti),
        ]
        if let organizationID { claims["org"] = .string(organizationID) }
        let token = try JWS.sign(header: ["typ": .string(Self.tokenType)], claims: claims, with: try keyRing.signingKey)
        return AdminSession(token: token, email: email, role: role, userID: userID, jti: jti,
                            expiresAt: Date(timeIntervalSince1970: TimeInterval(expires)), organizationID: organizationID)
    }

    /// Returns the session of a valid admin token, or `nil` when `token` is not an admin token at all.
    public func validate(_ token: String) throws -> AdminSession? {
        guard let parsed = try? JWS.parse(token), parsed.header["typ"]?.stringValue == Self.tokenType else { return nil }
        try TokenValidator.checkSignature(parsed, keyRing: keyRing)
        let claims = parsed.claims
        guard claims["iss"]?.stringValue == settings.server.issuer, claims["aud"]?.stringValue == Self.audience,
            let exp = claims["exp"]?.intValue, let email = claims["sub"]?.stringValue, let jti = claims["jti"]?.stringValue
        else { throw TokenRejection(.malformed, "malformed admin token") }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(exp))
        guard expiresAt > now() else { throw TokenRejection(.expired, "the admin session has expired; sign in again") }
        guard !revocations.contains(jti) else { throw TokenRejection(.revoked, "the admin session was signed out") }
        return AdminSession(
            token: token, email: email, role: claims["role"]?.stringValue ?? "viewer", userID: claims["uid"]?.stringValue ?? email,
            jti: jti, expiresAt: expiresAt, organizationID: claims["org"]?.stringValue)
    }
}

/// A signed-in administrator.
public struct AdminSession: Sendable, Hashable {
    public var token: String
    public var email: String
    /// `owner`, `admin` or `viewer`.
    public var role: String
    public var userID: String
    public var jti: String
    public var expiresAt: Date
    /// The organization the administrator currently works in (`POST /api/auth/switch-org`).
    public var organizationID: String?

    public var isOwner: Bool { role == AdminRole.owner.rawValue && userID == AdminSessions.ownerID }
}

/// Why a sign-in was refused.
public enum AdminLoginError: Error, Sendable, Equatable {
    case invalidCredentials
    case rateLimited(retryAfter: Int)
}
