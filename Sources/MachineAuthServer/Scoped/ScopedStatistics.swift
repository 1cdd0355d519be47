import Foundation
import MachineAuthCore

/// Agent figures a caller may see: instance-wide (with summed usage) for the owner, counted
/// over their organizations for an organization administrator or viewer.
struct ScopedStatistics: Sendable {
    let runtime: MachineAuthRuntime
    let scope: AccessScope

    /// Totals by status; `usage` is summed only for the owner (zero otherwise).
    func agents() async throws -> AgentStatistics {
        guard let organizations = scope.organizations else { return try await runtime.storage.agentStatistics() }
        var statistics = AgentStatistics()
        for organization in organizations {
            statistics.total += try await count(organization, nil)
            statistics.active += try await count(organization, .active)
            statistics.inactive += try await count(organization, .inactive)
            statistics.expired += try await count(organization, .expired)
        }
        return statistics
    }

    private func count(_ organization: String, _ status: AgentStatus?) async throws -> Int {
        try await runtime.storage.listAgents(AgentQuery(status: status, organizationID: organization, page: PageRequest(page: 1, limit: 1))).total
    }
}
