public import Foundation

/// Admin sign-in: checks the owner's or an administrator account's password (rate limited per
/// e-mail and address, the same slow hash on every path so the time reveals nothing) and
/// issues short-lived admin tokens signed by the key ring with `typ: admin+jwt`, which can
/// never be mistaken for an agent's access token (`at+jwt`) or the other way round.
///
/// A session carries a fingerprint of the password it was opened with (`pwv`): when the
/// password changes, every session opened with the old one stops working.
public struct AdminSessions: Sendable {
    let keyRing: KeyRing
    let revocations: RevocationList
    let settings: CoreSettings
    let hasher: SecretHasher
    let limiter: FailureLimiter
    let now: @Sendable () -> Date
    /// The owner's password, hashed like the accounts' (so both paths cost the same).
    let ownerPasswordHash: String
    /// Verified when the e-mail is unknown, so unknown e-mails take as long as known ones.
    let decoyPasswordHash: String

    public static let tokenType = "admin+jwt"
    /// One decoy hash per process (hashing is the slow part of starting a runtime).
    static let decoy = PasswordHasher.memoizedHash(RandomToken.hex(bytes: 16))
    static let audience = "machineauth-admin"

    public init(keyRing: KeyRing, revocations: RevocationList, settings: CoreSettings, hasher: SecretHasher, now: @escaping @Sendable () -> Date) {
        self.keyRing = keyRing
        self.revocations = revocations
        self.settings = settings
        self.hasher = hasher
        self.limiter = FailureLimiter(limit: settings.admin.maxFailedLogins, window: TimeInterval(settings.admin.loginWindow.seconds))
        self.now = now
        self.ownerPasswordHash = PasswordHasher.memoizedHash(settings.admin.password)
        self.decoyPasswordHash = Self.decoy
    }

    /// The user id of the configured instance owner.
    public static let ownerID = "owner"

    /// Checks the credentials — the configured owner, else an administrator account from
    /// `users` — and throws ``AdminLoginError`` when refused or rate limited.
    public func login(email: String, password: String, from address: String?, users: any TenantStore) async throws -> AdminSession {
        let time = now()
        let keys = FailureKeys.login(email: email, address: address)
        if let wait = limiter.retryAfter(keys, at: time) {
            throw AdminLoginError.rateLimited(retryAfter: wait)
        }
        let isOwner = ConstantTime.equals(email.lowercased(), settings.admin.email.lowercased())
        let user = isOwner ? nil : try await users.user(email: email)
        let stored = isOwner ? ownerPasswordHash : (user?.passwordHash ?? decoyPasswordHash)
        let matches = PasswordHasher.verify(password, against: stored)
        if matches, isOwner {
            limiter.recordSuccess(keys, at: time)
            return try issue(email: settings.admin.email, role: AdminRole.owner.rawValue, userID: Self.ownerID,
                             passwordVersion: ownerPasswordVersion)
        }
        if matches, let user {
            limiter.recordSuccess(keys, at: time)
            return try issue(email: user.email, role: user.role.rawValue, userID: user.id, organizationID: user.organizationIDs.first,
                             passwordVersion: passwordVersion(of: user))
        }
        limiter.recordFailure(keys, at: time)
        throw AdminLoginError.invalidCredentials
    }

    /// Signs a session token for an administrator; `organizationID` is the organization they work in.
    public func issue(email: String, role: String, userID: String, organizationID: String? = nil, passwordVersion: String) throws -> AdminSession {
        let issued = Int(now().timeIntervalSince1970)
        let expires = issued + settings.admin.sessionTTL.seconds
        let jti = TokenID.make(at: now())
        var claims: [String: JSONValue] = [
            "iss": .string(settings.server.issuer), "aud": .string(Self.audience), "sub": .string(email),
            "role": .string(role), "uid": .string(userID), "iat": .int(issued), "exp": .int(expires), "jti": .string(jti),
            "pwv": .string(passwordVersion),
        ]
        if let organizationID { claims["org"] = .string(organizationID) }
        let token = try JWS.sign(header: ["typ": .string(Self.tokenType)], claims: claims, with: try keyRing.signingKey)
        return AdminSession(token: token, email: email, role: role, userID: userID, jti: jti,
                            expiresAt: Date(timeIntervalSince1970: TimeInterval(expires)), organizationID: organizationID,
                            passwordVersion: passwordVersion)
    }

    /// A new session like `session`, working in `organizationID`.
    public func reissue(_ session: AdminSession, organizationID: String) throws -> AdminSession {
        try issue(email: session.email, role: session.role, userID: session.userID, organizationID: organizationID,
                  passwordVersion: session.passwordVersion)
    }

    /// Returns the session of a valid admin token, or `nil` when `token` is not an admin token at all.
    /// An owner session opened with another password than today's is refused here; accounts'
    /// sessions are checked against the stored account (``passwordVersion(of:)``) by the caller.
    public func validate(_ token: String) throws -> AdminSession? {
        guard let parsed = try? JWS.parse(token), parsed.header["typ"]?.stringValue == Self.tokenType else { return nil }
        try TokenValidator.checkSignature(parsed, keyRing: keyRing)
        let claims = parsed.claims
        guard claims["iss"]?.stringValue == settings.server.issuer, claims["aud"]?.stringValue == Self.audience,
            let exp = claims["exp"]?.intValue, let email = claims["sub"]?.stringValue, let jti = claims["jti"]?.stringValue,
            let version = claims["pwv"]?.stringValue
        else { throw TokenRejection(.malformed, "malformed admin token") }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(exp))
        guard expiresAt > now() else { throw TokenRejection(.expired, "the admin session has expired; sign in again") }
        guard !revocations.contains(jti) else { throw TokenRejection(.revoked, "the admin session was signed out") }
        let session = AdminSession(
            token: token, email: email, role: claims["role"]?.stringValue ?? "viewer", userID: claims["uid"]?.stringValue ?? email,
            jti: jti, expiresAt: expiresAt, organizationID: claims["org"]?.stringValue, passwordVersion: version)
        if session.isOwner, !ConstantTime.equals(version, ownerPasswordVersion) {
            throw TokenRejection(.revoked, "the password changed since this session began; sign in again")
        }
        return session
    }

    /// The fingerprint of an account's current password that its sessions must carry.
    public func passwordVersion(of user: AdminUser) -> String {
        fingerprint("password:" + user.passwordHash)
    }

    var ownerPasswordVersion: String { fingerprint("owner-password:" + settings.admin.password) }

    /// The CSRF token of a session: cookie-authenticated requests that change something send it
    /// in `X-CSRF-Token` (bound to the session, so it cannot be planted from elsewhere).
    public func csrfToken(for session: AdminSession) -> String {
        fingerprint("csrf:" + session.jti)
    }

    private func fingerprint(_ text: String) -> String {
        String(hasher.hash(text).dropFirst("hmac-sha256:".count).prefix(22))
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
    /// Fingerprint of the password the session was opened with.
    public var passwordVersion: String

    public var isOwner: Bool { role == AdminRole.owner.rawValue && userID == AdminSessions.ownerID }
}

/// Why a sign-in was refused.
public enum AdminLoginError: Error, Sendable, Equatable {
    case invalidCredentials
    case rateLimited(retryAfter: Int)
}
