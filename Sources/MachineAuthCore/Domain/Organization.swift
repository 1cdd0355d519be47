public import Foundation

/// A tenant: agents, teams, API keys and webhooks belong to one organization.
public struct Organization: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// Unique, a lowercase DNS label (`acme-corp`).
    public var slug: String
    public var ownerEmail: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var managedBy: String?

    public init(id: String, name: String, slug: String, ownerEmail: String?, createdAt: Date, updatedAt: Date? = nil, managedBy: String? = nil) {
        self.id = id
        self.name = name
        self.slug = slug
        self.ownerEmail = ownerEmail
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.managedBy = managedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, name, slug
        case ownerEmail = "owner_email", createdAt = "created_at", updatedAt = "updated_at", managedBy = "managed_by"
    }
}

/// A group of agents inside an organization.
public struct Team: Sendable, Hashable, Codable {
    public var id: String
    public var organizationID: String
    public var name: String
    public var description: String
    public var createdAt: Date
    public var updatedAt: Date
    public var managedBy: String?

    public init(id: String, organizationID: String, name: String, description: String = "", createdAt: Date, updatedAt: Date? = nil, managedBy: String? = nil) {
        self.id = id
        self.organizationID = organizationID
        self.name = name
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.managedBy = managedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case organizationID = "organization_id", createdAt = "created_at", updatedAt = "updated_at", managedBy = "managed_by"
    }
}

/// An organization API key (`sk_…`): only its hash is stored; it acts for its organization.
public struct APIKey: Sendable, Hashable, Codable {
    /// Every key's secret starts so (the keys are made by ``TenantService``, checked by the `api_key` stage).
    public static let secretPrefix = "sk_"

    public var id: String
    public var organizationID: String
    public var name: String
    /// The first characters of the key, to recognise it in lists (`sk_AbCd…`).
    public var prefix: String
    public var hash: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var managedBy: String?

    public init(
        id: String, organizationID: String, name: String, prefix: String, hash: String, createdAt: Date,
        lastUsedAt: Date? = nil, expiresAt: Date? = nil, revokedAt: Date? = nil, managedBy: String? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.name = name
        self.prefix = prefix
        self.hash = hash
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.managedBy = managedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, name, prefix, hash
        case organizationID = "organization_id", createdAt = "created_at", lastUsedAt = "last_used_at"
        case expiresAt = "expires_at", revokedAt = "revoked_at", managedBy = "managed_by"
    }

    public func isUsable(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}

/// An administrator account besides the configured instance owner.
public struct AdminUser: Sendable, Hashable, Codable {
    public var id: String
    public var email: String
    public var name: String
    public var passwordHash: String
    public var role: AdminRole
    public var organizationIDs: [String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, email: String, name: String, passwordHash: String, role: AdminRole, organizationIDs: [String], createdAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.role = role
        self.organizationIDs = organizationIDs
        self.createdAt = createdAt
        self.updatedAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, email, name, role
        case passwordHash = "password_hash", organizationIDs = "organization_ids", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// What an administrator may do: the owner everything; admins change their organizations; viewers only read.
public enum AdminRole: String, Sendable, Hashable, Codable, CaseIterable {
    case owner, admin, viewer
}
