import Foundation
import MachineAuthCore

/// API representations of organizations, teams, API keys and administrator accounts.
enum TenancyView {
    static func organization(_ organization: Organization) -> JSONValue {
        [
            "id": .string(organization.id), "name": .string(organization.name), "slug": .string(organization.slug),
            "owner_email": organization.ownerEmail.map(JSONValue.string) ?? .null,
            "created_at": AgentView.timestamp(organization.createdAt), "updated_at": AgentView.timestamp(organization.updatedAt),
        ]
    }

    static func team(_ team: Team) -> JSONValue {
        [
            "id": .string(team.id), "organization_id": .string(team.organizationID), "name": .string(team.name),
            "description": .string(team.description), "created_at": AgentView.timestamp(team.createdAt),
            "updated_at": AgentView.timestamp(team.updatedAt),
        ]
    }

    /// An API key without its hash: prefix, dates and status.
    static func apiKey(_ key: APIKey, now: Date) -> JSONValue {
        let status = apiKeyStatus(key, now: now)
        return [
            "id": .string(key.id), "organization_id": .string(key.organizationID), "name": .string(key.name),
            "prefix": .string(key.prefix), "status": .string(status), "created_at": AgentView.timestamp(key.createdAt),
            "last_used_at": key.lastUsedAt.map(AgentView.timestamp) ?? .null, "expires_at": key.expiresAt.map(AgentView.timestamp) ?? .null,
            "revoked_at": key.revokedAt.map(AgentView.timestamp) ?? .null,
        ]
    }

    /// `revoked`, `active` or `expired`.
    static func apiKeyStatus(_ key: APIKey, now: Date) -> String {
        key.revokedAt != nil ? "revoked" : (key.isUsable(at: now) ? "active" : "expired")
    }

    static func user(_ user: AdminUser) -> JSONValue {
        [
            "id": .string(user.id), "email": .string(user.email), "name": .string(user.name), "role": .string(user.role.rawValue),
            "organization_ids": .array(user.organizationIDs.map(JSONValue.string)),
            "created_at": AgentView.timestamp(user.createdAt), "updated_at": AgentView.timestamp(user.updatedAt),
        ]
    }
}
