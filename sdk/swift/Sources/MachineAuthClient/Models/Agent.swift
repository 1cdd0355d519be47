public import Foundation

/// An agent (OAuth client) as the server describes it, never with its secret. `status` is
/// `active`, `inactive` or `expired`; `deactivatedBy` is `self` or `administrator`.
public struct Agent: Sendable, Hashable {
    public let id: String
    public let name: String
    public let clientID: String
    public let description: String
    public let scopes: [String]
    public let grantTypes: [String]
    public let allowedAudiences: [String]
    public let tags: [String]
    public let metadata: [String: String]
    public let status: String
    public let isActive: Bool
    public let organizationID: String?
    public let teamID: String?
    public let createdAt: Date?
    public let updatedAt: Date?
    public let expiresAt: Date?
    public let tokenCount: Int
    public let refreshCount: Int
    public let failedAuthCount: Int
    public let lastTokenAt: Date?
    public let lastActivityAt: Date?
    public let deactivatedBy: String?
    /// The agent as the server sent it.
    public let raw: JSONValue

    init(_ data: JSONValue) {
        id = data.text("id")
        name = data.text("name")
        clientID = data.text("client_id")
        description = data.text("description")
        scopes = data.strings("scopes")
        grantTypes = data.strings("grant_types")
        allowedAudiences = data.strings("allowed_audiences")
        tags = data.strings("tags")
        metadata = data.stringMap("metadata")
        status = data.text("status")
        isActive = data.flag("is_active")
        organizationID = data.optionalText("organization_id")
        teamID = data.optionalText("team_id")
        createdAt = data.date("created_at")
        updatedAt = data.date("updated_at")
        expiresAt = data.date("expires_at")
        tokenCount = data.integer("token_count")
        refreshCount = data.integer("refresh_count")
        failedAuthCount = data.integer("failed_auth_count")
        lastTokenAt = data.date("last_token_at")
        lastActivityAt = data.date("last_activity_at")
        deactivatedBy = data.optionalText("deactivated_by")
        raw = data
    }
}

/// An agent's usage counters, including those the server has not written to storage yet.
public struct AgentUsage: Sendable, Hashable {
    public let agentID: String
    public let clientID: String
    public let tokenCount: Int
    public let refreshCount: Int
    public let failedAuthCount: Int
    public let lastTokenAt: Date?
    public let lastActivityAt: Date?

    init(_ data: JSONValue) {
        agentID = data.text("agent_id")
        clientID = data.text("client_id")
        tokenCount = data.integer("token_count")
        refreshCount = data.integer("refresh_count")
        failedAuthCount = data.integer("failed_auth_count")
        lastTokenAt = data.date("last_token_at")
        lastActivityAt = data.date("last_activity_at")
    }
}

/// A rotated secret, which the server shows only this once. With a grace period the previous
/// secret works until `previousSecretExpiresAt`; without, it and its tokens stop at once.
public struct RotatedSecret: Sendable, Hashable {
    public let agent: Agent
    public let clientID: String
    public let clientSecret: String
    public let gracePeriodSeconds: Int
    public let previousSecretExpiresAt: Date?

    init(_ data: JSONValue) {
        agent = Agent(data.member("agent"))
        clientID = data.text("client_id")
        clientSecret = data.text("client_secret")
        gracePeriodSeconds = data.integer("grace_period_seconds")
        previousSecretExpiresAt = data.date("previous_secret_expires_at")
    }
}

/// `/oauth/userinfo`: the calling agent's profile as OAuth clients read it.
public struct UserInfo: Sendable, Hashable {
    public let subject: String
    public let clientID: String
    public let agentID: String
    public let name: String
    public let scopes: [String]
    public let status: String
    public let organizationID: String?
    public let teamID: String?

    init(_ data: JSONValue) {
        subject = data.text("sub")
        clientID = data.text("client_id")
        agentID = data.text("agent_id")
        name = data.text("name")
        scopes = data.scopeList("scope")
        status = data.text("status")
        organizationID = data.optionalText("org_id")
        teamID = data.optionalText("team_id")
    }
}
