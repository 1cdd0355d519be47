public import Foundation

/// Administrators: signing in and out, switching organizations, and the accounts the owner
/// manages — validated here and announced here (`admin.login`, `admin.logout`, `user.*`), so
/// every way in publishes the same events.
public struct AdministratorService: Sendable {
    let sessions: AdminSessions
    let storage: any Storage
    let revocations: RevocationList
    let events: EventBus
    let settings: CoreSettings
    let now: @Sendable () -> Date

    public init(
        sessions: AdminSessions, storage: any Storage, revocations: RevocationList, events: EventBus, settings: CoreSettings,
        now: @escaping @Sendable () -> Date
    ) {
        self.sessions = sessions
        self.storage = storage
        self.revocations = revocations
        self.events = events
        self.settings = settings
        self.now = now
    }

    /// Signs in (``AdminLoginError`` when refused or rate limited); both outcomes are published.
    public func login(email: String, password: String, from address: String?, origin: RequestOrigin) async throws -> AdminSession {
        do {
            let session = try await sessions.login(email: email, password: password, from: address, users: storage)
            await publish("admin.login", actor: .admin(session.email), outcome: .success, origin: origin)
            return session
        } catch AdminLoginError.invalidCredentials {
            await publish("admin.login", actor: .admin(email), outcome: .failure, origin: origin)
            throw AdminLoginError.invalidCredentials
        }
    }

    /// Ends a session.
    public func logout(_ session: AdminSession, origin: RequestOrigin) async throws {
        try await end(session)
        await publish("admin.logout", actor: .admin(session.email), outcome: .success, origin: origin)
    }

    /// A new session working in `organizationID`; the one it replaces ends.
    public func switchOrganization(_ session: AdminSession, to organizationID: String) async throws -> AdminSession {
        let next = try sessions.reissue(session, organizationID: organizationID)
        try await end(session)
        return next
    }

    private func end(_ session: AdminSession) async throws {
        let revoked = RevokedAccessToken(jti: session.jti, expiresAt: session.expiresAt)
        try await storage.revokeAccessToken(revoked)
        revocations.insert(revoked)
    }

    // MARK: Accounts

    /// A new administrator (`admin` unless `role` says `viewer`) of `organizationIDs`.
    public func createUser(
        email: String, password: String, name: String, role: String?, organizationIDs: [String], by attribution: Attribution
    ) async throws -> AdminUser {
        let email = try FieldRules.email(email)
        guard email.lowercased() != settings.admin.email.lowercased() else { throw StorageError.conflict("that is the instance owner's e-mail") }
        let user = AdminUser(
            id: RandomToken.uuid(), email: email, name: name, passwordHash: try PasswordHasher.hash(try FieldRules.password(password)),
            role: try Self.role(role) ?? .admin, organizationIDs: try await memberships(organizationIDs), createdAt: now())
        try await storage.insertUser(user)
        await publish("user.created", user, attribution)
        return user
    }

    /// Changes an account; a new password ends the account's sessions (their password fingerprint no longer matches).
    public func updateUser(
        id: String, name: String?, role: String?, organizationIDs: [String]?, password: String?, by attribution: Attribution
    ) async throws -> AdminUser? {
        let role = try Self.role(role)
        let organizations: [String]? = if let organizationIDs { try await memberships(organizationIDs) } else { nil }
        let passwordHash = try password.map { try PasswordHasher.hash(try FieldRules.password($0)) }
        let time = now()
        guard let user = try await storage.updateUser(id: id, { user in
            if let name { user.name = name }
            if let role { user.role = role }
            if let organizations { user.organizationIDs = organizations }
            if let passwordHash { user.passwordHash = passwordHash }
            user.updatedAt = time
        }) else { return nil }
        await publish("user.updated", user, attribution)
        return user
    }

    public func deleteUser(id: String, by attribution: Attribution) async throws -> AdminUser? {
        guard let user = try await storage.deleteUser(id: id) else { return nil }
        await publish("user.deleted", user, attribution)
        return user
    }

    static func role(_ text: String?) throws(ValidationError) -> AdminRole? {
        guard let text else { return nil }
        guard let role = AdminRole(rawValue: text), role != .owner else { throw ValidationError("role", "must be admin or viewer") }
        return role
    }

    private func memberships(_ ids: [String]) async throws -> [String] {
        for id in ids where try await storage.organization(id: id) == nil {
            throw ValidationError("organization_ids", "unknown organization \(id)")
        }
        return Array(Set(ids)).sorted()
    }

    private func publish(_ type: String, _ user: AdminUser, _ attribution: Attribution) async {
        await events.publish(DomainEvent(
            type: type, time: now(), actor: attribution.actor, target: EventTarget(kind: "user", id: user.id),
            data: ["email": .string(user.email), "role": .string(user.role.rawValue)], origin: attribution.origin))
    }

    private func publish(_ type: String, actor: EventActor, outcome: DomainEvent.Outcome, origin: RequestOrigin) async {
        await events.publish(DomainEvent(type: type, time: now(), actor: actor, outcome: outcome, origin: origin))
    }
}
