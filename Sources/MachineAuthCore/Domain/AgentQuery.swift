public import Foundation

/// Filters for listing agents: name search, status, organization, team and scope.
public struct AgentQuery: Sendable, Hashable {
    public var search: String?
    public var status: AgentStatus?
    public var organizationID: String?
    public var teamID: String?
    public var scope: String?
    public var page: PageRequest

    public init(
        search: String? = nil, status: AgentStatus? = nil, organizationID: String? = nil, teamID: String? = nil,
        scope: String? = nil, page: PageRequest = PageRequest()
    ) {
        self.search = search
        self.status = status
        self.organizationID = organizationID
        self.teamID = teamID
        self.scope = scope
        self.page = page
    }

    public func matches(_ agent: Agent, at now: Date) -> Bool {
        if let search, !search.isEmpty, !agent.name.localizedLowercase.contains(search.localizedLowercase) { return false }
        if let status, agent.status(at: now) != status { return false }
        if let organizationID, agent.organizationID != organizationID { return false }
        if let teamID, agent.teamID != teamID { return false }
        if let scope, !agent.scopes.contains(scope) { return false }
        return true
    }
}

/// Totals shown by health checks and metrics.
public struct AgentCounts: Sendable, Hashable, Codable {
    public var total: Int
    public var active: Int

    public init(total: Int, active: Int) {
        self.total = total
        self.active = active
    }
}

/// Agent totals by status and usage summed over all agents.
public struct AgentStatistics: Sendable, Hashable {
    public var total = 0
    public var active = 0
    public var inactive = 0
    public var expired = 0
    public var usage = AgentUsage()

    public init() {}

    /// Adds one agent.
    public mutating func count(_ agent: Agent, at now: Date) {
        total += 1
        switch agent.status(at: now) {
        case .active: active += 1
        case .inactive: inactive += 1
        case .expired: expired += 1
        }
        usage.tokenCount += agent.usage.tokenCount
        usage.refreshCount += agent.usage.refreshCount
        usage.failedAuthCount += agent.usage.failedAuthCount
    }
}
