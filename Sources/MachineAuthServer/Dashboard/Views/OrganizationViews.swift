import Foundation
import MachineAuthCore

/// An organization as a row of the list and the head of its page.
struct OrganizationRow: Sendable {
    var id: String
    var name: String
    var slug: String
    var ownerEmail: String?
    var createdAt: String
    var agents: String
    var teams: String

    init(_ organization: Organization, agents: Int, teams: Int) {
        id = organization.id
        name = organization.name
        slug = organization.slug
        ownerEmail = organization.ownerEmail
        createdAt = Time.text(organization.createdAt)
        self.agents = NumberRangeError.format(agents)
        self.teams = NumberRangeError.format(teams)
    }
}

/// A team of an organization.
struct TeamRow: Sendable {
    var id: String
    var name: String
    var description: String
    var createdAt: String
}

/// An API key without its hash: prefix, dates and status.
struct APIKeyRow: Sendable {
    var id: String
    var name: String
    var prefix: String
    var status: String
    var isRevocable: Bool
    var createdAt: String
    var lastUsedAt: String?
    var expiresAt: String?

    init(_ key: APIKey, now: Date) {
        id = key.id
        name = key.name
        prefix = key.prefix
        status = TenancyView.apiKeyStatus(key, now: now)
        isRevocable = key.revokedAt == nil
        createdAt = Time.text(key.createdAt)
        lastUsedAt = key.lastUsedAt.map(Time.text)
        expiresAt = key.expiresAt.map(Time.text)
    }
}

/// The organizations page.
struct OrganizationListView: Sendable {
    var chrome: Chrome
    var organizations: [OrganizationRow]
    var form: FormState
}

/// One organization with its teams, agents and API keys; `secret` is a key just made.
struct OrganizationDetailView: Sendable {
    var chrome: Chrome
    var organization: OrganizationRow
    var teams: [TeamRow]
    var agents: [AgentSummary]
    var moreAgents: Bool
    var keys: [APIKeyRow]
    var secret: RevealedSecret?
    var teamForm: FormState
    var keyForm: FormState
}
