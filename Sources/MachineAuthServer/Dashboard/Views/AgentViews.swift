/// The agents list.
struct AgentListView: Sendable {
    var chrome: Chrome
    var filter: FormState
    var statuses: [Option]
    var organizations: [Option]
    var teams: [Option]
    var agents: [AgentSummary]
    var total: String
    var pages: Pagination
}

/// One agent, with its secret when it was just made or rotated.
struct AgentDetailView: Sendable {
    var chrome: Chrome
    var agent: AgentSummary
    var secret: RevealedSecret?
    var rotation: FormState
    /// What an agent without allowed audiences may ask for.
    var defaultAudiences: String
}

/// "Delete this agent?"
struct AgentDeleteView: Sendable {
    var chrome: Chrome
    var agent: AgentSummary
}

/// The form for a new agent.
struct AgentFormView: Sendable {
    var chrome: Chrome
    var form: FormState
    var organizations: [Option]
    var teams: [Option]
    var grantTypes: [Option]
}
